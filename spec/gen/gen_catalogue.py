#!/usr/bin/env python3
# smtpspec: turns the catalogues in spec/data into C++ tables.
# Run by the build; the output goes to the build tree, never into the sources.
"""Generate the catalogue headers from spec/data/*.toml.

Usage: gen_catalogue.py DATA_DIR OUT_DIR

Reads sections, requirements, wg_issues, reply_codes, deviations,
bis_changes and extensions (all .toml). Writes OUT_DIR/spec/catalogue_ids.hpp
(sorted id lists, deviation ids included, used by the consteval checks in
spec/ref.hpp) and
OUT_DIR/spec/catalogue_data.inc (the full tables, included by
spec/catalogue.cpp). A malformed or inconsistent data file stops
the build with a message naming the file, the entry and the field.
"""
import os
import re
import sys
import tomllib

from gen_output import write_if_changed

KEYWORDS = {'MUST', 'MUST NOT', 'SHOULD', 'SHOULD NOT', 'MAY', 'REQUIRED',
            'RECOMMENDED', 'NOT RECOMMENDED', 'OPTIONAL', 'SHALL', 'SHALL NOT'}
ACTORS = {'client', 'server', 'both', 'relay', 'operator'}
# Function groups of RFC 5321 4.2.1, by the second digit of a reply code.
GROUPS = {'0': 'syntax', '1': 'information', '2': 'connections', '3': 'unspecified',
          '4': 'unspecified', '5': 'mail system'}
# What may return a reply (4.3.2): a command, the greeting, the end of the
# mail data, or "any" command.
# States of a 5321bis change (bis_changes.toml).
BIS_STATES = {'draft', 'open'}
# Levels of support in the extension matrix (extensions.toml).
EXT_GRAMMAR = {'specific', 'generic', 'none'}
EXT_SERVER = {'default', 'optional', 'none'}
EXT_CLIENT = {'yes', 'no'}
REPLY_SOURCES = {'greeting', 'EHLO', 'HELO', 'MAIL', 'RCPT', 'DATA', 'data-end', 'RSET',
                 'VRFY', 'EXPN', 'HELP', 'NOOP', 'QUIT', 'STARTTLS', 'BDAT', 'AUTH',
                 'any'}


class DataError(Exception):
    pass


def load(data_dir, name, key):
    path = os.path.join(data_dir, name)
    try:
        with open(path, 'rb') as f:
            return path, tomllib.load(f).get(key, [])
    except tomllib.TOMLDecodeError as e:
        raise DataError(f'{path}: {e}') from e


def entry_name(entry):
    return entry.get('id', entry.get('number', entry.get('code', '?')))


def fail(path, entry, field, message):
    """Raise the error every check uses: file, entry and field, then what is wrong."""
    raise DataError(f'{path}: entry {entry_name(entry)}: field "{field}": {message}')


def need(path, entry, field, kind):
    if field not in entry:
        fail(path, entry, field, 'missing')
    value = entry[field]
    # bool is a subclass of int in Python; a flag is not a number.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        fail(path, entry, field, f'must be {kind.__name__}')
    return value


def need_text(path, entry, field):
    """A required one-line, non-empty string."""
    value = need(path, entry, field, str)
    if not value.strip():
        fail(path, entry, field, 'must not be empty')
    if '\n' in value or value != value.strip():
        fail(path, entry, field, 'must be one line without leading or trailing space')
    return value


def need_list(path, entry, field, kind, allowed=None, non_empty=False):
    """A list whose items have the given type (and, if given, come from allowed)."""
    values = need(path, entry, field, list)
    if non_empty and not values:
        fail(path, entry, field, 'must not be empty')
    for v in values:
        if not isinstance(v, kind) or (kind is int and isinstance(v, bool)):
            fail(path, entry, field, f'items must be {kind.__name__}, got {v!r}')
        if allowed is not None and v not in allowed:
            fail(path, entry, field, f'unknown value {v!r}')
    if len(set(values)) != len(values):
        fail(path, entry, field, 'repeats a value')
    return values


def cxx(text):
    """A C++ string literal for text (UTF-8 kept as is)."""
    return '"' + text.replace('\\', '\\\\').replace('"', '\\"') + '"'


def unique(path, ids):
    seen = set()
    for i in ids:
        if i in seen:
            raise DataError(f'{path}: entry {i}: field "id": duplicate')
        seen.add(i)


def generate(data_dir, out_dir):
    spath, sections = load(data_dir, 'sections.toml', 'section')
    rpath, requirements = load(data_dir, 'requirements.toml', 'requirement')
    wpath, issues = load(data_dir, 'wg_issues.toml', 'issue')
    cpath, replies = load(data_dir, 'reply_codes.toml', 'reply')
    dpath, deviations = load(data_dir, 'deviations.toml', 'deviation')
    bpath, changes = load(data_dir, 'bis_changes.toml', 'change')
    epath, extensions = load(data_dir, 'extensions.toml', 'extension')

    for s in sections:
        check_section(spath, s)
    section_ids = [s['id'] for s in sections]
    unique(spath, section_ids)
    known_sections = set(section_ids)
    for w in issues:
        check_wg_issue(wpath, w)
    issue_numbers = [w['number'] for w in issues]
    unique(wpath, issue_numbers)
    known_issues = set(issue_numbers)

    for r in requirements:
        check_requirement(rpath, r, known_sections, known_issues)
    unique(rpath, [r['id'] for r in requirements])

    for c in replies:
        check_reply(cpath, c, known_sections)
    unique(cpath, [c['code'] for c in replies])

    known_requirements = {r['id'] for r in requirements}
    for d in deviations:
        check_deviation(dpath, d, known_sections, known_requirements, known_issues)
    unique(dpath, [d['id'] for d in deviations])

    for b in changes:
        check_bis_change(bpath, b, known_requirements, known_issues)
    unique(bpath, [b['requirement'] for b in changes])
    for e in extensions:
        check_extension(epath, e)
    unique(epath, [e['keyword'] for e in extensions])

    os.makedirs(os.path.join(out_dir, 'spec'), exist_ok=True)
    ids = ['// Generated by spec/gen/gen_catalogue.py from spec/data. Do not edit.',
           '#ifndef SMTPSPEC_SPEC_CATALOGUE_IDS_HPP',
           '#define SMTPSPEC_SPEC_CATALOGUE_IDS_HPP', '',
           '#include <array>', '#include <string_view>', '',
           'namespace smtpspec::spec::generated', '{', '']

    def id_array(name, values, kind='std::string_view', fmt=cxx):
        ids.append(f'inline constexpr std::array<{kind}, {len(values)}> {name} = {{')
        ids.extend(f'    {fmt(v)},' for v in values)
        ids.extend(['};', ''])

    id_array('section_ids', sorted(section_ids))
    id_array('requirement_ids', sorted(r['id'] for r in requirements))
    id_array('wg_issue_numbers', sorted(issue_numbers), 'int', str)
    id_array('deviation_ids', sorted(d['id'] for d in deviations))
    ids.extend(['}  // namespace smtpspec::spec::generated', '',
                '#endif  // SMTPSPEC_SPEC_CATALOGUE_IDS_HPP', ''])

    data = ['// Generated by spec/gen/gen_catalogue.py from spec/data. Do not edit.', '']
    def flag(value):
        return str(bool(value)).lower()

    data.extend(struct_table('section_entry', 'section_table', [
        f'    {{{cxx(s["id"])}, {cxx(s.get("title", ""))}}},' for s in sections]))
    for i, w in enumerate(issues):
        data.append(array(f'wg_sections_{i}', 'std::string_view',
                          [cxx(s) for s in w.get('bis_sections', [])]))
        data.append(array(f'wg_readings_{i}', 'std::string_view',
                          [cxx(s) for s in w.get('readings', [])]))
    data.extend(struct_table('wg_issue_entry', 'wg_issue_table', [
        f'    {{{w["number"]}, {cxx(need(wpath, w, "title", str))}, wg_sections_{i}, '
        f'wg_readings_{i}, {flag(w.get("behaviour", False))}, {cxx(w.get("switch", ""))}}},'
        for i, w in enumerate(issues)]))
    for i, r in enumerate(requirements):
        if r.get('wg'):
            data.append(array(f'req_wg_{i}', 'int', [str(n) for n in r['wg']]))
    data.extend(struct_table('requirement_entry', 'requirement_table', [
        f'    {{{cxx(r["id"])}, {cxx(r["section"])}, {cxx(r["keyword"])}, '
        f'{cxx(r.get("actor", ""))}, {cxx(r.get("summary", ""))}, '
        f'{f"req_wg_{i}" if r.get("wg") else "{}"}, '
        f'{flag(r.get("wire", False))}, {cxx(r.get("na", ""))}}},'
        for i, r in enumerate(requirements)]))
    for i, c in enumerate(replies):
        data.append(array(f'reply_commands_{i}', 'std::string_view',
                          [cxx(s) for s in c.get('commands', [])]))
        data.append(array(f'reply_sections_{i}', 'std::string_view',
                          [cxx(s) for s in c.get('sections', [])]))
    data.extend(struct_table('reply_code_entry', 'reply_code_table', [
        f'    {{{c["code"]}, {cxx(c.get("group", ""))}, {cxx(c.get("meaning", ""))}, '
        f'reply_commands_{i}, reply_sections_{i}}},'
        for i, c in enumerate(replies)]))
    for i, d in enumerate(deviations):
        data.append(array(f'deviation_requirements_{i}', 'std::string_view',
                          [cxx(r) for r in d['requirements']]))
        data.append(array(f'deviation_wg_{i}', 'int', [str(n) for n in d['wg']]))
    data.extend(struct_table('deviation_entry', 'deviation_table', [
        f'    {{{cxx(d["id"])}, {cxx(d["section"])}, deviation_requirements_{i}, '
        f'deviation_wg_{i}, {flag(d["default"])}, {cxx(d["accepts"])}, '
        f'{cxx(d["why"])}, {cxx(d["postfix"])}, {cxx(d["exim"])}, {cxx(d["opensmtpd"])}}},'
        for i, d in enumerate(deviations)]))
    for i, b in enumerate(changes):
        data.append(array(f'bis_wg_{i}', 'int', [str(n) for n in b['wg']]))
        data.append(array(f'bis_rfc_{i}', 'int', [str(n) for n in b['rfc']]))
    data.extend(struct_table('bis_change_entry', 'bis_change_table', [
        f'    {{{cxx(b["requirement"])}, {cxx(b["state"])}, {cxx(b["change"])}, '
        f'bis_wg_{i}, bis_rfc_{i}}},'
        for i, b in enumerate(changes)]))
    data.extend(struct_table('extension_entry', 'extension_table', [
        f'    {{{cxx(e["keyword"])}, {e["rfc"]}, {cxx(e["grammar"])}, '
        f'{cxx(e["server"])}, {cxx(e["client"])}, {e["prober_cases"]}, {cxx(e["note"])}}},'
        for e in extensions]))

    write_if_changed(os.path.join(out_dir, 'spec', 'catalogue_ids.hpp'), '\n'.join(ids))
    write_if_changed(os.path.join(out_dir, 'spec', 'catalogue_data.inc'), '\n'.join(data))


def check_section(path, s):
    """Check one entry of sections.toml: "4.1.1.2", "D.1" or "rfc7504/3"."""
    sid = need(path, s, 'id', str)
    if not re.fullmatch(r'(rfc\d+/)?(\d+|[A-Z])(\.\d+)*', sid):
        fail(path, s, 'id', 'must be a section number, optionally prefixed by rfcNNNN/')
    need_text(path, s, 'title')


def check_wg_issue(path, w):
    """Check one entry of wg_issues.toml; a behavioural issue names its switch."""
    need(path, w, 'number', int)
    need_text(path, w, 'title')
    need_list(path, w, 'bis_sections', str, non_empty=True)
    need_list(path, w, 'readings', str, non_empty=True)
    behaviour = need(path, w, 'behaviour', bool)
    switch = need(path, w, 'switch', str)
    if behaviour != bool(switch):
        fail(path, w, 'switch', 'must be set exactly when behaviour is true')
    if switch and not re.fullmatch(r'[a-z][a-z0-9_]*', switch):
        fail(path, w, 'switch', 'must be a snake_case identifier')


def check_requirement(path, r, known_sections, known_issues):
    """Check one entry of requirements.toml; raise DataError naming the field."""
    rid = need(path, r, 'id', str)
    match = re.fullmatch(r'R-([A-Za-z0-9./]+)-\d+', rid)
    if not match:
        fail(path, r, 'id', 'must look like R-<section>-<n>')
    section = need(path, r, 'section', str)
    if section not in known_sections:
        fail(path, r, 'section', f'unknown section {section}')
    if match.group(1) != section:
        fail(path, r, 'section', f'{section} differs from the section in the id')
    if need(path, r, 'keyword', str) not in KEYWORDS:
        fail(path, r, 'keyword', f'unknown keyword {r["keyword"]}')
    if need(path, r, 'actor', str) not in ACTORS:
        fail(path, r, 'actor', f'must be one of {sorted(ACTORS)}')
    need_text(path, r, 'summary')
    need_list(path, r, 'wg', int, known_issues)
    need(path, r, 'wire', bool)
    if 'na' in r:
        need_text(path, r, 'na')


def check_bis_change(path, b, known_requirements, known_issues):
    """Check one entry of bis_changes.toml; raise DataError naming the field."""
    rid = need(path, b, 'requirement', str)
    if rid not in known_requirements:
        raise DataError(f'{path}: entry {rid}: field "requirement": unknown requirement')
    b = dict(b, id=rid)
    if need(path, b, 'state', str) not in BIS_STATES:
        fail(path, b, 'state', f'must be one of {sorted(BIS_STATES)}')
    need_text(path, b, 'change')
    wg = need_list(path, b, 'wg', int, known_issues)
    rfcs = need_list(path, b, 'rfc', int)
    if not wg and not rfcs:
        fail(path, b, 'wg', 'wg and rfc must not both be empty')


def check_extension(path, e):
    """Check one entry of extensions.toml; raise DataError naming the field."""
    keyword = need(path, e, 'keyword', str)
    e = dict(e, id=keyword)
    if not re.fullmatch(r'[A-Z0-9][A-Z0-9-]*', keyword):
        fail(path, e, 'keyword', 'must be an upper-case EHLO keyword')
    need(path, e, 'rfc', int)
    for field, allowed in (('grammar', EXT_GRAMMAR), ('server', EXT_SERVER),
                           ('client', EXT_CLIENT)):
        if need(path, e, field, str) not in allowed:
            fail(path, e, field, f'must be one of {sorted(allowed)}')
    if need(path, e, 'prober_cases', int) < 0:
        fail(path, e, 'prober_cases', 'must not be negative')
    need_text(path, e, 'note')


def check_reply(path, c, known_sections):
    """Check one entry of reply_codes.toml; raise DataError naming the field."""
    code = need(path, c, 'code', int)
    if not 200 <= code <= 599:
        fail(path, c, 'code', 'must be a three-digit code from 200 to 599')
    group = need(path, c, 'group', str)
    expected = GROUPS[str(code)[1]]
    if group != expected:
        fail(path, c, 'group', f'is {group!r}, but the second digit makes it {expected!r}')
    need_text(path, c, 'meaning')
    need_list(path, c, 'commands', str, REPLY_SOURCES, non_empty=True)
    need_list(path, c, 'sections', str, known_sections, non_empty=True)


def check_deviation(path, d, known_sections, known_requirements, known_issues):
    """Check one entry of deviations.toml; raise DataError naming the field."""
    did = need(path, d, 'id', str)
    if not re.fullmatch(r'[a-z0-9]+(-[a-z0-9]+)*', did):
        fail(path, d, 'id', 'must be kebab-case, such as space-after-colon')
    section = need(path, d, 'section', str)
    if section not in known_sections:
        fail(path, d, 'section', f'unknown section {section}')
    need_list(path, d, 'requirements', str, known_requirements)
    need_list(path, d, 'wg', int, known_issues)
    need(path, d, 'default', bool)
    for field in ('accepts', 'why', 'postfix', 'exim', 'opensmtpd'):
        need_text(path, d, field)


def struct_table(entry, name, rows):
    """A constexpr std::array of ENTRY structs from initialiser rows, and a blank line."""
    return [f'constexpr std::array<{entry}, {len(rows)}> {name} = {{{{', *rows, '}};', '']


def array(name, kind, items):
    """A constexpr std::array definition (zero elements allowed)."""
    return (f'constexpr std::array<{kind}, {len(items)}> {name} = {{' + ', '.join(items) + '};')




def main():
    if len(sys.argv) != 3:
        sys.exit('usage: gen_catalogue.py DATA_DIR OUT_DIR')
    try:
        generate(sys.argv[1], sys.argv[2])
    except DataError as e:
        sys.exit(f'gen_catalogue: {e}')


if __name__ == '__main__':
    main()
