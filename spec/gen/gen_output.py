# smtpspec: the file writing shared by the generators of spec/gen.
# SPDX-License-Identifier: MIT
"""Helpers shared by gen_catalogue.py, gen_tables.py and gen_citations.py."""
import os


def write_if_changed(path, text):
    """Write TEXT to PATH unless it already holds it.

    An unchanged file keeps its timestamp, so the build recompiles nothing
    that includes it. Missing parent folders are created.
    """
    try:
        with open(path, encoding='utf-8') as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
