#!/usr/bin/env python3
# smtpspec: lists every requirement keyword of an RFC text, in order, per section.
# Used to number the requirement catalogue and by the test that re-counts it.
"""Print (section, keyword, ordinal) for each RFC 2119 keyword in an RFC text.

Usage: rfc_keywords.py RFC.txt [--tsv]

The keywords listed in the conventions section (1.3 of RFC 5321), where the
RFC introduces them in quotes, are not requirements and are skipped.
"""
import re
import sys

HEADING = re.compile(
    r'^(\d+(?:\.\d+)*)\.?\s{2,}\S|^Appendix ([A-Z])\.\s|^([A-Z]\.\d+(?:\.\d+)*)\.?\s{2,}\S')
KEYWORD = re.compile(
    r'(?<!")\b(MUST(?:\s+NOT)?|SHOULD(?:\s+NOT)?|SHALL(?:\s+NOT)?|NOT\s+RECOMMENDED'
    r'|MAY|REQUIRED|RECOMMENDED|OPTIONAL)\b(?!")')
PAGE_LINE = re.compile(r'^(RFC \d+ {2,}|\S.*\[Page \d+\]$)')


def sections(path):
    """Yield (section, text) with the text of each section joined into one line.

    Headings start in column 0; the table of contents is indented, so it never
    opens a section. Page footers and headers are dropped.
    """
    lines = open(path, encoding='ascii', errors='replace').read().split('\n')
    current, text = None, []
    for line in lines:
        line = line.replace('\f', '')
        match = HEADING.match(line)
        if match:
            if current is not None:
                yield current, ' '.join(text)
            current, text = match.group(1) or match.group(2) or match.group(3), []
        elif current is not None and not PAGE_LINE.match(line):
            text.append(line.strip())
    if current is not None:
        yield current, ' '.join(text)


def keywords(path):
    """Return [(section, keyword, ordinal)], ordinal counting from 1 per section."""
    result = []
    for number, text in sections(path):
        for ordinal, match in enumerate(KEYWORD.finditer(text), start=1):
            result.append((number, re.sub(r'\s+', ' ', match.group(1)), ordinal))
    return result


def main():
    rows = keywords(sys.argv[1])
    for number, word, ordinal in rows:
        print(f'R-{number}-{ordinal}\t{number}\t{word}')


if __name__ == '__main__':
    main()
