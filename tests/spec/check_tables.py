#!/usr/bin/env python3
# smtpspec: checks the Markdown tables generated from the catalogues.
# Run by ctest; fails naming the table and the entry that is missing.
"""Render the catalogue tables into a temporary directory and check every row.

Usage: check_tables.py GEN_TABLES.py DATA_DIR
"""
import os
import subprocess
import sys
import tempfile
import tomllib


def rows(path):
    """The first cell of every body row of the one table in a Markdown file."""
    with open(path, encoding='utf-8') as f:
        lines = [line for line in f.read().split('\n') if line.startswith('| ')]
    return [line.split(' | ')[0][2:] for line in lines[1:]]


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: check_tables.py GEN_TABLES.py DATA_DIR')
    generator, data_dir = sys.argv[1], sys.argv[2]
    expected = {
        'requirements.md': ('requirements.toml', 'requirement', 'id'),
        'reply_codes.md': ('reply_codes.toml', 'reply', 'code'),
        'deviations.md': ('deviations.toml', 'deviation', 'id'),
        'extensions.md': ('extensions.toml', 'extension', 'keyword'),
        'bis_changes.md': ('bis_changes.toml', 'change', 'requirement'),
    }
    failures = 0
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([sys.executable, generator, data_dir, out], check=True)
        for table, (source, key, field) in expected.items():
            with open(os.path.join(data_dir, source), 'rb') as f:
                want = [str(e[field]) for e in tomllib.load(f)[key]]
            got = rows(os.path.join(out, table))
            if got != want:
                missing = sorted(set(want) - set(got))
                extra = sorted(set(got) - set(want))
                print(f'{table}: rows differ from {source}: missing {missing}, extra {extra}'
                      + ('' if missing or extra else ', order differs'))
                failures += 1
            else:
                print(f'{table}: {len(got)} rows, one per entry of {source}')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
