#!/usr/bin/env python3
# smtpspec: checks that the catalogues word things in the project's own words.
# Run by ctest; fails naming the file, entry and field that copy RFC text.
"""Fail when a catalogue text shares a run of N consecutive words with an RFC.

Usage: check_no_copied_prose.py DATA_DIR RFC.txt... [--run N]

The texts checked are every summary, meaning, title, accepts, why and
reading in the TOML files of DATA_DIR, except the titles of sections.toml:
those are the RFCs' own headings, kept verbatim so that a reader can find the
section. Words are lower-cased runs of letters and digits, so punctuation,
line breaks and page furniture of the RFC do not hide a copy.
"""
import argparse
import os
import re
import sys
import tomllib

WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
CHECKED_FIELDS = ('summary', 'meaning', 'title', 'accepts', 'why', 'readings', 'na', 'change',
                  'note')
PAGE_LINE = re.compile(r'^(RFC \d+ {2,}.*|\S.*\[Page \d+\])$')


def words(text):
    return WORD.findall(text.lower())


def rfc_runs(paths, n):
    """Every run of n consecutive words of the RFC texts, with its source."""
    runs = {}
    for path in paths:
        with open(path, encoding='ascii', errors='replace') as f:
            lines = [line for line in f.read().split('\n') if not PAGE_LINE.match(line)]
        tokens = words(' '.join(lines))
        for i in range(len(tokens) - n + 1):
            runs.setdefault(tuple(tokens[i:i + n]), os.path.basename(path))
    return runs


def catalogue_texts(data_dir):
    """Yield (file, entry id, field, text) for every checked text."""
    for name in sorted(os.listdir(data_dir)):
        if not name.endswith('.toml'):
            continue
        with open(os.path.join(data_dir, name), 'rb') as f:
            tables = tomllib.load(f)
        for entries in tables.values():
            if not isinstance(entries, list):
                continue
            for entry in entries:
                key = entry.get('id', entry.get('number', entry.get('code', entry.get(
                    'requirement', entry.get('keyword', '?')))))
                for field in CHECKED_FIELDS:
                    if name == 'sections.toml' and field == 'title':
                        continue
                    value = entry.get(field)
                    values = value if isinstance(value, list) else [value]
                    for text in values:
                        if isinstance(text, str):
                            yield name, key, field, text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('data_dir')
    parser.add_argument('rfcs', nargs='+')
    parser.add_argument('--run', type=int, default=8)
    args = parser.parse_args()

    runs = rfc_runs(args.rfcs, args.run)
    failures = 0
    checked = 0
    for name, key, field, text in catalogue_texts(args.data_dir):
        checked += 1
        tokens = words(text)
        for i in range(len(tokens) - args.run + 1):
            run = tuple(tokens[i:i + args.run])
            if run in runs:
                print(f'{name}: entry {key}: field "{field}" copies {args.run} words from '
                      f'{runs[run]}: "{" ".join(run)}"')
                failures += 1
                break
    print(f'{checked} texts checked against {len(args.rfcs)} RFCs, {failures} with copied prose')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
