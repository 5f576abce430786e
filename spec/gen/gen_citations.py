#!/usr/bin/env python3
# smtpspec: finds where the code and the tests cite the catalogue, for coverage.
# Run by the build; the output goes to the build tree, never into the sources.
"""Scan source files for citations of requirements and write a C++ table.

Usage: gen_citations.py --root SRC --data DATA_DIR --out FILE
                        [--check-only PREFIX]... FILE...

Two forms of citation are recognised (see docs/traceability.md):

* a comment ``// spec: <section> [R-ids...] <kind> [note]`` where kind is
  implementation, test, exception, todo or check; "spec:" may also follow a
  sentence of the comment ("// Known fault B11. spec: 4.1.4 ... test");
* a requirement id in a string literal of the code, such as the ids of a
  ``spec::ref{"4.1.1.4", {"R-4.1.1.4-5"}}``. Such a citation is an
  implementation in the layers, a test under tests/ and a check under
  validate/ (the prober's cases, which check other servers). A ``ref{...}`` or
  ``ref name{...}`` naming a section but no requirement is kept as a citation
  of the section alone.

Every ``// spec:`` comment is checked: an unknown section or requirement id,
or a missing or unknown kind, stops the build with FILE:LINE and the reason.
(Ids in string literals are checked by the compiler through spec::ref.)
Files under a --check-only prefix are checked but their citations are not
recorded: they test the catalogue itself, not the standard's requirements.

Writes FILE: one C++ initialiser list of citations, included by
spec/coverage.cpp.
"""
import argparse
import os
import re
import sys
import tomllib

from gen_output import write_if_changed

KINDS = ('implementation', 'test', 'exception', 'todo', 'check')
# The prober's cases (validate/) check other servers: their citations say
# nothing of smtpspec's own server and client.
PROBER = 'validate/'
REQUIREMENT_ID = re.compile(r'R-[A-Za-z0-9./]+-\d+')
# "spec:" opens the comment, or follows the end of a sentence in it
# ("// Known fault B11. spec: 4.1.4 R-4.1.4-14 test").
SPEC_COMMENT = re.compile(r'//[/!]?(?:\s*|.*?[.;]\s+)spec:(.*)$')


class CitationError(Exception):
    pass


def load_ids(data_dir):
    """The known section ids and requirement ids of the catalogue."""
    with open(os.path.join(data_dir, 'sections.toml'), 'rb') as f:
        sections = {s['id'] for s in tomllib.load(f).get('section', [])}
    with open(os.path.join(data_dir, 'requirements.toml'), 'rb') as f:
        requirements = {r['id'] for r in tomllib.load(f).get('requirement', [])}
    return sections, requirements


def parse_spec_comment(text, where, sections, requirements):
    """Parse what follows "spec:"; return (section, [ids], kind) or raise."""
    words = text.split()
    if not words:
        raise CitationError(f'{where}: "// spec:" without a section')
    section, rest = words[0], words[1:]
    if section not in sections:
        raise CitationError(f'{where}: unknown section "{section}" in a spec comment '
                            '(not in spec/data/sections.toml)')
    ids = []
    while rest and rest[0].startswith('R-'):
        rid = rest.pop(0).rstrip(',')
        if rid not in requirements:
            raise CitationError(f'{where}: unknown requirement id "{rid}" in a spec comment '
                                '(not in spec/data/requirements.toml)')
        ids.append(rid)
    if not rest or rest[0] not in KINDS:
        found = f'"{rest[0]}"' if rest else 'nothing'
        raise CitationError(f'{where}: a spec comment needs a kind ({", ".join(KINDS)}) '
                            f'after the section and ids, found {found}')
    return section, ids, rest[0]


def lex(text):
    """Yield (kind, value, line) tokens: comment, string, ident, punct.

    Enough of C++ to tell comments, string and character literals (raw strings
    included) and identifiers apart; everything else is single punctuation.
    """
    i, line, n = 0, 1, len(text)
    while i < n:
        c = text[i]
        if c == '\n':
            line += 1
            i += 1
        elif text.startswith('//', i):
            end = text.find('\n', i)
            end = n if end < 0 else end
            yield 'comment', text[i:end], line
            i = end
        elif text.startswith('/*', i):
            end = text.find('*/', i + 2)
            end = n if end < 0 else end + 2
            line += text.count('\n', i, end)
            i = end
        elif c == 'R' and text.startswith('R"', i) and not _ident_before(text, i):
            open_paren = text.find('(', i)
            delim = text[i + 2:open_paren]
            close = text.find(')' + delim + '"', open_paren)
            close = n if close < 0 else close
            yield 'string', text[open_paren + 1:close], line
            line += text.count('\n', i, close)
            i = close + len(delim) + 2
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            if c == '"':
                yield 'string', text[i + 1:j], line
            i = j + 1
        elif c.isalpha() or c == '_':
            j = i + 1
            while j < n and (text[j].isalnum() or text[j] == '_'):
                j += 1
            yield 'ident', text[i:j], line
            i = j
        elif c.isdigit():
            # Numbers, including digit separators ('), are skipped whole.
            j = i + 1
            while j < n and (text[j].isalnum() or text[j] in ".'_"):
                j += 1
            i = j
        elif c.isspace():
            i += 1
        else:
            yield 'punct', c, line
            i += 1


def _ident_before(text, i):
    return i > 0 and (text[i - 1].isalnum() or text[i - 1] == '_')


def scan(rel, text, sections, requirements, in_tests):
    """Return the citations of one file as (line, section, requirement, kind)."""
    found = []
    in_prober = rel.startswith(PROBER)
    literal_kind = 'test' if in_tests else 'check' if in_prober else 'implementation'
    tokens = list(lex(text))
    # Requirement ids of string literals inside a ref{...}: remember the section.
    ref_section = {}
    for k, (kind, value, line) in enumerate(tokens):
        if kind == 'comment':
            match = SPEC_COMMENT.match(value)
            if match:
                section, ids, what = parse_spec_comment(
                    match.group(1), f'{rel}:{line}', sections, requirements)
                if in_prober and what in ('implementation', 'test'):
                    raise CitationError(
                        f'{rel}:{line}: a prober case checks other servers: its spec comment '
                        f'takes the kind check, not {what}')
                found.extend((line, section, rid, what) for rid in ids)
                if not ids:
                    found.append((line, section, '', what))
            continue
        if kind == 'ident' and value == 'ref':
            start = k + 1
            if start < len(tokens) and tokens[start][0] == 'ident':
                start += 1
            if start < len(tokens) and tokens[start][1] == '{' and tokens[start][0] == 'punct':
                _scan_ref(tokens, start, ref_section, found, literal_kind)
    for kind, value, line in tokens:
        if kind == 'string' and REQUIREMENT_ID.fullmatch(value) and value in requirements:
            found.append((line, ref_section.get((line, value), ''), value, literal_kind))
    return found


def _scan_ref(tokens, start, ref_section, found, literal_kind):
    """Record the section of a ref{...} for its ids, or the section alone."""
    depth, section, has_ids = 0, '', False
    for kind, value, line in tokens[start:]:
        if kind == 'punct' and value == '{':
            depth += 1
        elif kind == 'punct' and value == '}':
            depth -= 1
            if depth == 0:
                break
        elif kind == 'string':
            if not section and depth == 1:
                section = value
            elif REQUIREMENT_ID.fullmatch(value):
                ref_section[(line, value)] = section
                has_ids = True
    if section and not has_ids:
        found.append((tokens[start][2], section, '', literal_kind))


def cxx(text):
    return '"' + text.replace('\\', '\\\\').replace('"', '\\"') + '"'


def generate(root, data_dir, out, check_only, files):
    sections, requirements = load_ids(data_dir)
    rows = []
    for path in sorted(set(files)):
        rel = os.path.relpath(path, root).replace(os.sep, '/')
        with open(path, encoding='utf-8', errors='replace') as f:
            text = f.read()
        in_tests = rel.startswith('tests/')
        citations = scan(rel, text, sections, requirements, in_tests)
        if any(rel.startswith(p) for p in check_only):
            continue
        for line, section, rid, kind in sorted(set(citations)):
            rows.append(f'    {{{cxx(rel)}, {line}, {cxx(section)}, {cxx(rid)}, '
                        f'citation_kind::{kind}}},')
    text = '\n'.join(['// Generated by spec/gen/gen_citations.py from the sources. Do not edit.',
                      *rows, ''])
    write_if_changed(out, text)
    return len(rows)




def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--root', required=True)
    parser.add_argument('--data', required=True)
    parser.add_argument('--out', required=True)
    parser.add_argument('--check-only', action='append', default=[])
    parser.add_argument('files', nargs='*')
    args = parser.parse_args()
    try:
        generate(args.root, args.data, args.out, args.check_only, args.files)
    except CitationError as e:
        sys.exit(f'gen_citations: {e}')


if __name__ == '__main__':
    main()
