#!/usr/bin/env python3
# smtpspec: checks that the catalogue generator rejects bad data clearly.
# Run by ctest; each case breaks one field of a copy of spec/data.
"""Feed gen_catalogue.py broken copies of the catalogues.

Usage: check_gen_errors.py GEN_CATALOGUE.py DATA_DIR

For every case, the generator must exit with an error whose message names the
file, the entry and the field that is wrong.
"""
import os
import shutil
import subprocess
import sys
import tempfile

# (file, line that starts the entry, text after it to replace, replacement,
#  words the error message must contain)
CASES = [
    ('requirements.toml', 'id = "R-2.1-1"', 'summary = "', 'summary = "" #',
     ['requirements.toml', 'entry R-2.1-1', 'field "summary"']),
    ('requirements.toml', 'id = "R-2.1-2"', 'actor = "server"', 'actor = "nobody"',
     ['requirements.toml', 'entry R-2.1-2', 'field "actor"']),
    ('requirements.toml', 'id = "R-4.1.4-13"', 'wg = [101, 116]', 'wg = [117]',
     ['requirements.toml', 'entry R-4.1.4-13', 'field "wg"']),
    ('requirements.toml', 'id = "R-3.1-1"', 'section = "3.1"', 'section = "3.2"',
     ['requirements.toml', 'entry R-3.1-1', 'field "section"']),
    ('requirements.toml', 'id = "R-3.1-2"', 'wire = false', 'wire = "no"',
     ['requirements.toml', 'entry R-3.1-2', 'field "wire"']),
    ('reply_codes.toml', 'code = 250', 'group = "mail system"', 'group = "syntax"',
     ['reply_codes.toml', 'entry 250', 'field "group"']),
    ('reply_codes.toml', 'code = 221', 'commands = ["QUIT"]', 'commands = ["QUIT", "FOO"]',
     ['reply_codes.toml', 'entry 221', 'field "commands"']),
    ('reply_codes.toml', 'code = 354', 'sections = ["3.3"', 'sections = ["9.9"',
     ['reply_codes.toml', 'entry 354', 'field "sections"']),
    ('reply_codes.toml', 'code = 211', 'meaning = "', 'meaning = "" #',
     ['reply_codes.toml', 'entry 211', 'field "meaning"']),
    ('sections.toml', 'id = "1.1"', 'id = "1.1"', 'id = "1..1"',
     ['sections.toml', 'entry 1..1', 'field "id"']),
    ('wg_issues.toml', 'number = 116', 'switch = "helo_resets_transaction"', 'switch = ""',
     ['wg_issues.toml', 'entry 116', 'field "switch"']),
    ('deviations.toml', 'id = "long-local-part"', 'default = false', 'default = "off"',
     ['deviations.toml', 'entry long-local-part', 'field "default"']),
    ('deviations.toml', 'id = "bare-lf-command"', 'requirements = ["R-2.3.8-1"]',
     'requirements = ["R-2.3.8-99"]',
     ['deviations.toml', 'entry bare-lf-command', 'field "requirements"']),
    ('deviations.toml', 'id = "space-after-colon"', 'id = "space-after-colon"',
     'id = "Space_After_Colon"', ['deviations.toml', 'entry Space_After_Colon', 'field "id"']),
    ('requirements.toml', 'id = "R-5.1-9"', 'na = "', 'na = "" #',
     ['requirements.toml', 'entry R-5.1-9', 'field "na"']),
    ('bis_changes.toml', 'requirement = "R-3.1-3"', 'state = "draft"', 'state = "maybe"',
     ['bis_changes.toml', 'entry R-3.1-3', 'field "state"']),
    ('bis_changes.toml', 'requirement = "R-F.1-1"', 'requirement = "R-F.1-1"',
     'requirement = "R-F.1-99"', ['bis_changes.toml', 'entry R-F.1-99', 'field "requirement"']),
    ('bis_changes.toml', 'requirement = "R-4.1.4-4"', 'wg = [116]', 'wg = []',
     ['bis_changes.toml', 'entry R-4.1.4-4', 'field "wg"']),
    ('extensions.toml', 'keyword = "SIZE"', 'server = "default"', 'server = "yes"',
     ['extensions.toml', 'entry SIZE', 'field "server"']),
    ('deviations.toml', 'id = "long-text-line"', 'exim = "none known"', 'exim = ""',
     ['deviations.toml', 'entry long-text-line', 'field "exim"']),
]


def break_copy(data_dir, work, name, marker, old, new):
    shutil.copytree(data_dir, work, dirs_exist_ok=True)
    path = os.path.join(work, name)
    with open(path, encoding='utf-8') as f:
        text = f.read()
    start = text.index(marker)
    at = text.index(old, start)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text[:at] + new + text[at + len(old):])


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: check_gen_errors.py GEN_CATALOGUE.py DATA_DIR')
    generator, data_dir = sys.argv[1], sys.argv[2]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        clean = subprocess.run([sys.executable, generator, data_dir, os.path.join(tmp, 'ok')],
                               capture_output=True, text=True)
        if clean.returncode != 0:
            print(f'the unbroken catalogue is rejected: {clean.stderr.strip()}')
            return 1
        for i, (name, marker, old, new, expected) in enumerate(CASES):
            work = os.path.join(tmp, f'case{i}')
            break_copy(data_dir, work, name, marker, old, new)
            run = subprocess.run([sys.executable, generator, work, os.path.join(work, 'out')],
                                 capture_output=True, text=True)
            message = run.stderr.strip()
            if run.returncode == 0:
                print(f'case {i} ({name}, {new}): accepted, should be rejected')
                failures += 1
            elif not all(word in message for word in expected):
                print(f'case {i} ({name}, {new}): message lacks {expected}: {message}')
                failures += 1
            else:
                print(f'case {i}: rejected as expected: {message}')
    print(f'{len(CASES)} cases, {failures} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
