# smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
# SPDX-License-Identifier: MIT
"""Everything the generated site shows, gathered from the catalogues and the code.

The catalogues (spec/data/*.toml) give sections, requirements, WG issues,
reply codes, deviations, extensions and 5321bis changes. The smtpspec CLI
gives what only the compiled code knows: the coverage report (citations in
the sources) and the prober's case list. A light scan of the sources gives
the ABNF rules each section defines (from the rules' doc comments) and the
tests that set each profile switch.
"""
import json
import os
import re
import subprocess
import tomllib

# A section of RFC 5321 itself: "4.1.1.3", "A", "D.1" (others read "rfc7504/3").
RFC5321_SECTION = re.compile(r'^(\d+|[A-Z])(\.\d+)*$')
# "RFC 5321 4.1.2: Domain = sub-domain ..." in a grammar rule's doc comment.
ABNF_COMMENT = re.compile(r'RFC 5321 ([0-9A-Z][0-9.]*?):\s+([A-Za-z][A-Za-z0-9-]*)\s+=\s*(.*)$')
STRUCT = re.compile(r'^\s*struct\s+([A-Za-z_][A-Za-z0-9_]*)\s*[:{]')
# One line of `smtpspec probe --list`: id, level, title, [refs].
PROBE_LINE = re.compile(r'^(\S+)\s+(MUST|SHOULD|MAY|INFO|[A-Z]+)\s+(.*?)\s+\[(.*)\]\s*$')
REQUIREMENT_ID = re.compile(r'R-[A-Za-z0-9./]+-\d+')


def load_toml(data_dir, name, key):
    with open(os.path.join(data_dir, name), 'rb') as f:
        return tomllib.load(f).get(key, [])


def section_key(section_id):
    """Sort key in the RFC's order: numbered sections, then the appendices."""
    parts = section_id.split('.')
    head = parts[0]
    first = (0, int(head)) if head.isdigit() else (1, ord(head))
    return (first, *[int(p) for p in parts[1:]])


def parent_of(section_id):
    return section_id.rsplit('.', 1)[0] if '.' in section_id else None


def run_cli(smtpspec, *args):
    """Run the smtpspec CLI and return its standard output; fail loudly."""
    done = subprocess.run([smtpspec, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f'gen_site: "smtpspec {" ".join(args)}" exited with '
                         f'{done.returncode}: {done.stderr.strip()}')
    return done.stdout


def parse_probe_list(text):
    """The prober's cases: id, level, title and the refs (section, ids, issues)."""
    cases = []
    for line in text.splitlines():
        m = PROBE_LINE.match(line)
        if not m:
            continue
        refs = []
        for part in m.group(4).split(';'):
            words = part.split()
            if not words:
                continue
            refs.append({'section': words[0],
                         'requirements': [w for w in words[1:] if REQUIREMENT_ID.fullmatch(w)],
                         'wg': [int(w[3:]) for w in words[1:] if w.startswith('WG#')]})
        cases.append({'id': m.group(1), 'level': m.group(2), 'title': m.group(3),
                      'refs': refs})
    return cases


def scan_abnf_rules(root):
    """Section -> [(ABNF name, C++ struct, header, ABNF text)] from grammar/rules."""
    rules = {}
    base = os.path.join(root, 'grammar', 'rules')
    for folder, _, files in os.walk(base):
        for name in sorted(files):
            if not name.endswith('.hpp'):
                continue
            path = os.path.join(folder, name)
            pending = None
            continuing = False
            with open(path, encoding='utf-8') as f:
                for line in f:
                    m = ABNF_COMMENT.search(line)
                    if m:
                        pending = list(m.groups())
                        continuing = line.lstrip().startswith('*')
                        continue
                    body = line.strip().lstrip('*').strip()
                    if continuing and line.lstrip().startswith('*') and body and body != '/':
                        pending[2] += ' ' + body
                        continue
                    continuing = False
                    s = STRUCT.match(line)
                    if s and pending:
                        section, abnf_name, text = pending
                        rel = os.path.relpath(path, root)
                        rules.setdefault(section, []).append(
                            {'name': abnf_name, 'struct': s.group(1), 'header': rel,
                             'abnf': f'{abnf_name} = {text.strip()}'})
                        pending = None
    return rules


def source_files(root, folder, exts=('.cpp', '.hpp')):
    for base, _, files in os.walk(os.path.join(root, folder)):
        for name in sorted(files):
            if name.endswith(exts):
                yield os.path.join(base, name)


def word_patterns(words, prefix=''):
    """word -> regex finding it as a whole word, after an optional prefix regex."""
    return {w: re.compile(prefix + r'\b' + re.escape(w) + r'\b') for w in words}


def scan_uses(root, folder, patterns):
    """key -> sorted [(relative file, first line)] of the files under folder matching it."""
    found = {w: [] for w in patterns}
    for path in source_files(root, folder):
        with open(path, encoding='utf-8', errors='replace') as f:
            lines = f.readlines()
        rel = os.path.relpath(path, root)
        for word, pattern in patterns.items():
            for number, line in enumerate(lines, 1):
                if pattern.search(line):
                    found[word].append((rel, number))
                    break
    return {w: sorted(v) for w, v in found.items()}


TEST_NAME = re.compile(r'^\s*TEST(?:_F|_P)?\(\s*(\w+)\s*,\s*(\w+)\s*\)')


def marked_tests(root, number):
    """[(file, line, test name or '', the marking line)] of tests marked with WG #number.

    Tests say which issue they show in a comment ("// WG #116: ...") or in their
    name ("..._wg116"); tests/spec/ tests the catalogue itself and is skipped.
    """
    mark = re.compile(rf'WG ?#{number}\b|\bwg_?{number}\b')
    found = []
    for path in source_files(root, 'tests'):
        rel = os.path.relpath(path, root)
        if rel.startswith(os.path.join('tests', 'spec') + os.sep):
            continue
        with open(path, encoding='utf-8', errors='replace') as f:
            lines = f.readlines()
        taken = set()
        for i, line in enumerate(lines):
            if not mark.search(line):
                continue
            # The test this mark belongs to: on this line or within the next four.
            name = ''
            for j in range(i, min(i + 5, len(lines))):
                t = TEST_NAME.match(lines[j])
                if t:
                    name = f'{t.group(1)}.{t.group(2)}'
                    break
            if name in taken and name:
                continue
            taken.add(name)
            found.append((rel, i + 1, name, line.strip().lstrip('/').strip()))
    return found


class Site:
    """The catalogues, cross-indexed the way the pages need them."""

    def __init__(self, root, data_dir, coverage, probe_cases, docs_dir):
        self.root = root
        self.sections = [s for s in load_toml(data_dir, 'sections.toml', 'section')
                         if RFC5321_SECTION.match(s['id'])]
        self.sections.sort(key=lambda s: section_key(s['id']))
        self.section_ids = {s['id'] for s in self.sections}
        self.requirements = load_toml(data_dir, 'requirements.toml', 'requirement')
        self.requirement = {r['id']: r for r in self.requirements}
        self.issues = load_toml(data_dir, 'wg_issues.toml', 'issue')
        self.issue = {w['number']: w for w in self.issues}
        self.replies = load_toml(data_dir, 'reply_codes.toml', 'reply')
        self.deviations = load_toml(data_dir, 'deviations.toml', 'deviation')
        self.extensions = load_toml(data_dir, 'extensions.toml', 'extension')
        self.bis_changes = load_toml(data_dir, 'bis_changes.toml', 'change')
        self.bis_change = {b['requirement']: b for b in self.bis_changes}
        self.coverage = {c['id']: c for c in coverage['requirements']}
        self.probe_cases = probe_cases
        self.abnf = scan_abnf_rules(root)
        structs = sorted({r['struct'] for rules in self.abnf.values() for r in rules})
        self.rule_tests = scan_uses(root, os.path.join('tests', 'grammar'),
                                    word_patterns(structs, r'\b(?:rules|r)::'))
        switches = sorted({w['switch'] for w in self.issues if w['switch']})
        self.switch_tests = scan_uses(root, 'tests', word_patterns(switches))
        self.issue_tests = {w['number']: marked_tests(root, w['number']) for w in self.issues}
        self.docs_dir = docs_dir

    def children(self, section_id):
        return [s for s in self.sections if parent_of(s['id']) == section_id]

    def requirements_of(self, section_id):
        return [r for r in self.requirements if r['section'] == section_id]

    def issues_of(self, section_id):
        """The WG issues of a section, as `smtpspec explain` finds them."""
        numbers = set()
        for r in self.requirements_of(section_id):
            numbers.update(r['wg'])
        for w in self.issues:
            if section_id in w['bis_sections']:
                numbers.add(w['number'])
        return [self.issue[n] for n in sorted(numbers)]

    def requirements_of_issue(self, number):
        return [r for r in self.requirements if number in r['wg']]

    def cites_section(self, refs, requirement_ids, section_id):
        if any(ref['section'] == section_id for ref in refs):
            return True
        return any(self.requirement.get(i, {}).get('section') == section_id
                   for i in requirement_ids)

    def probe_cases_of(self, section_id):
        out = []
        for c in self.probe_cases:
            ids = [i for ref in c['refs'] for i in ref['requirements']]
            if self.cites_section(c['refs'], ids, section_id):
                out.append(c)
        return out

    def probe_cases_of_issue(self, number):
        return [c for c in self.probe_cases if any(number in ref['wg'] for ref in c['refs'])]

    def deviations_of(self, section_id):
        return [d for d in self.deviations
                if self.cites_section([{'section': d['section']}], d['requirements'],
                                      section_id)]

    def replies_of(self, section_id):
        return [c for c in self.replies if section_id in c['sections']]

    def doc_page_id(self, name):
        """The Doxygen page id of docs/NAME if that page exists, else None."""
        path = os.path.join(self.docs_dir, name)
        if not os.path.exists(path):
            return None
        with open(path, encoding='utf-8') as f:
            for line in f:
                m = re.search(r'\{#([A-Za-z0-9_]+)\}', line)
                if m:
                    return m.group(1)
        return None


def load_site(root, data_dir, smtpspec, docs_dir, coverage_json):
    with open(coverage_json, encoding='utf-8') as f:
        coverage = json.load(f)
    cases = parse_probe_list(run_cli(smtpspec, 'probe', '--list'))
    return Site(root, data_dir, coverage, cases, docs_dir)
