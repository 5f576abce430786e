#!/usr/bin/env python3
# smtpspec: shows each requirement keyword of an RFC text in its sentence.
# A reading aid for writing and reviewing the requirement catalogue's summaries.
"""Print every requirement id of an RFC text with the sentence it stands in.

Usage: keyword_context.py RFC.txt [ID_PREFIX]

The ids are those of rfc_keywords.py ("R-<section>-<n>"). With ID_PREFIX,
only ids starting with it are printed (e.g. "R-4.1.1").
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rfc_keywords  # noqa: E402

# A sentence ends at a full stop, question mark or colon followed by a space
# and a capital letter or a quote; good enough for reading, not for parsing.
SENTENCE_END = re.compile(r'(?<=[.?!])\s+(?=[A-Z"(])')


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit('usage: keyword_context.py RFC.txt [ID_PREFIX]')
    prefix = sys.argv[2] if len(sys.argv) == 3 else ''
    for number, text in rfc_keywords.sections(sys.argv[1]):
        text = re.sub(r'\s+', ' ', text)
        starts = [0] + [m.end() for m in SENTENCE_END.finditer(text)]
        for ordinal, match in enumerate(rfc_keywords.KEYWORD.finditer(text), start=1):
            rid = f'R-{number}-{ordinal}'
            if not rid.startswith(prefix):
                continue
            begin = max(s for s in starts if s <= match.start())
            later = [s for s in starts if s > match.end()]
            end = later[0] if later else len(text)
            sentence = text[begin:end].strip()
            word = re.sub(r'\s+', ' ', match.group(1))
            print(f'{rid} [{word}] {sentence}')


if __name__ == '__main__':
    main()
