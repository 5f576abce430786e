#!/usr/bin/env python3
# smtpspec: re-counts the requirement keywords of RFC 5321 against the catalogue.
# Run by ctest; fails naming each id that is missing, extra or different.
"""Compare spec/data/requirements.toml with a fresh count of the RFC's keywords.

Usage: check_requirement_count.py REQUIREMENTS.toml RFC5321.txt

The count comes from spec/gen/rfc_keywords.py (found next to this repository's
spec/data), so the ids mean the same thing in the catalogue and in the check.
"""
import os
import sys
import tomllib


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: check_requirement_count.py REQUIREMENTS.toml RFC5321.txt')
    toml_path, rfc_path = sys.argv[1], sys.argv[2]
    gen_dir = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(toml_path))), 'gen')
    sys.path.insert(0, gen_dir)
    import rfc_keywords  # noqa: E402  (path set just above)

    counted = {f'R-{section}-{n}': (section, word)
               for section, word, n in rfc_keywords.keywords(rfc_path)}
    with open(toml_path, 'rb') as f:
        entries = tomllib.load(f).get('requirement', [])
    catalogued = {e['id']: (e.get('section'), e.get('keyword')) for e in entries}

    problems = []
    for rid in counted:
        if rid not in catalogued:
            problems.append(f'{rid}: in the RFC ({counted[rid][1]} in {counted[rid][0]}) '
                            f'but missing from the catalogue')
    for rid in catalogued:
        if rid not in counted:
            problems.append(f'{rid}: in the catalogue but not a keyword of the RFC')
        elif catalogued[rid] != counted[rid]:
            problems.append(f'{rid}: catalogue says {catalogued[rid][1]} in '
                            f'{catalogued[rid][0]}, the RFC has {counted[rid][1]} in '
                            f'{counted[rid][0]}')
    order = [e['id'] for e in entries if e['id'] in counted]
    if order != [rid for rid in counted if rid in catalogued]:
        problems.append('catalogue entries are not in the RFC text order')

    for p in problems:
        print(f'{toml_path}: {p}')
    print(f'{len(counted)} keywords in the RFC, {len(catalogued)} in the catalogue, '
          f'{len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
