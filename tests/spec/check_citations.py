#!/usr/bin/env python3
# smtpspec: checks the citation scanner behind `smtpspec coverage`.
# Run by ctest; fails naming the fixture and what the scanner did wrong.
"""Run gen_citations.py on the fixtures of tests/spec/fixtures.

Usage: check_citations.py GEN_CITATIONS.py DATA_DIR FIXTURE_DIR

A spec comment with an unknown id, section or kind must stop the scanner with
the fixture's path and the comment's line. The good fixture must give exactly
the expected rows, as implementation under grammar/ and as test under tests/.
Under validate/ (the prober's cases) citations are checks, and a spec comment
there that claims implementation or test stops the scanner.
"""
import os
import shutil
import subprocess
import sys
import tempfile

# (fixture, folder it is copied to, line, words of the error)
BAD = [
    ('bad_spec_comment_id.cpp', 'tests/spec/fixtures', 8, 'unknown requirement id "R-4.1.1.3-99"'),
    ('bad_spec_comment_kind.cpp', 'tests/spec/fixtures', 10, 'needs a kind'),
    ('bad_spec_comment_section.cpp', 'tests/spec/fixtures', 6, 'unknown section "4.1.1.99"'),
    ('bad_prober_kind.cpp', 'validate/cases', 6, 'takes the kind check, not test'),
]

# The prober fixture under validate/: both forms are checks.
PROBER = [
    (8, '4.1.1.4', 'R-4.1.1.4-5', 'check'),
    (9, '4.1.4', 'R-4.1.4-16', 'check'),
]

# (line, section, requirement, kind); None as kind means "as the folder says".
GOOD = [
    (8, '4.1.1.4', 'R-4.1.1.4-5', 'implementation'),
    (8, '4.1.1.4', 'R-4.1.1.4-6', 'implementation'),
    (9, '4.1.4', 'R-4.1.4-16', None),
    (10, '4.1.4', 'R-4.1.4-17', None),
    (11, '3.1', '', None),
    (15, '6.1', '', 'todo'),
    (17, '4.1.4', 'R-4.1.4-14', 'test'),
]


def run(generator, data_dir, root, rel):
    out = os.path.join(root, 'out.inc')
    result = subprocess.run(
        [sys.executable, generator, '--root', root, '--data', data_dir, '--out', out,
         os.path.join(root, rel)], capture_output=True, text=True)
    rows = None
    if result.returncode == 0:
        with open(out, encoding='utf-8') as f:
            rows = [line.strip() for line in f if line.startswith('    {')]
    return result, rows


def main():
    if len(sys.argv) != 4:
        sys.exit('usage: check_citations.py GEN_CITATIONS.py DATA_DIR FIXTURE_DIR')
    generator, data_dir, fixtures = sys.argv[1:]
    failures = 0
    with tempfile.TemporaryDirectory() as root:
        for name, folder, line, words in BAD:
            rel = f'{folder}/{name}'
            os.makedirs(os.path.join(root, os.path.dirname(rel)), exist_ok=True)
            shutil.copy(os.path.join(fixtures, name), os.path.join(root, rel))
            result, _ = run(generator, data_dir, root, rel)
            where = f'{rel}:{line}:'
            if result.returncode == 0 or where not in result.stderr or words not in result.stderr:
                print(f'{name}: expected failure with "{where}" and "{words}", '
                      f'got exit {result.returncode}: {result.stderr.strip()}')
                failures += 1
            else:
                print(f'{name}: rejected as expected: {result.stderr.strip()}')
        # (fixture, folder it is copied to, the kind of its literal ids, rows)
        good = [('good_citations.cpp', 'grammar', 'implementation', GOOD),
                ('good_citations.cpp', 'tests/model', 'test', GOOD),
                ('prober_citations.cpp', 'validate/cases', 'check', PROBER)]
        for name, folder, literal_kind, expected in good:
            rel = f'{folder}/{name}'
            os.makedirs(os.path.join(root, folder), exist_ok=True)
            shutil.copy(os.path.join(fixtures, name), os.path.join(root, rel))
            result, rows = run(generator, data_dir, root, rel)
            want = [f'{{"{rel}", {line}, "{section}", "{rid}", '
                    f'citation_kind::{kind or literal_kind}}},'
                    for line, section, rid, kind in expected]
            if rows != want:
                print(f'{rel}: exit {result.returncode} {result.stderr.strip()}\n'
                      f'  got  {rows}\n  want {want}')
                failures += 1
            else:
                print(f'{rel}: {len(rows)} rows as expected')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
