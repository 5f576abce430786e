#!/usr/bin/env python3
# smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
# SPDX-License-Identifier: MIT
"""Write the generated pages of the documentation site (Markdown for Doxygen).

Usage: gen_site.py --root SRC --smtpspec BIN --dot DOT --out DIR

Writes into DIR/pages one page per section of RFC 5321 (section_<n>.md, in the
RFC's order and numbering, nested as the RFC nests them), one page per
EMAILCORE issue (wg_<n>.md), the index pages rfc5321.md and wg_issues.md, and
the tables: requirements, reply codes, extension matrix, deviations, 5321bis
changes and the coverage summary. The content comes from spec/data (the same
TOML the C++ tables are compiled from) and from the smtpspec CLI (coverage
report, prober cases, model profiles); never from the RFC's prose.
DIR/extra gets the coverage report (HTML and JSON) that the site links to,
DIR/images the SVG pictures the pages show.
"""
import argparse
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from markdown import (HEADER, code, issue_ref, page_id_of_issue,  # noqa: E402
                      page_id_of_section, section_ref, table, text, write_if_changed)
from site_data import load_site, run_cli  # noqa: E402
from site_model import (profiles, section_diagrams, state_diagrams_page,  # noqa: E402
                        switch_diff)
from site_pages import (STATUSES, issue_page, requirement_rows, section_page,  # noqa: E402
                        status_counts)


def page(title, page_id, intro, body):
    return '\n'.join([f'# {title} {{#{page_id}}}', '', HEADER, '', intro, ''] + body)


def sections_index(site, probe_page):
    top = [s for s in site.sections if '.' not in s['id']]
    body = [f"- \\subpage {page_id_of_section(s['id'])} \"{s['id']} {s['title']}\""
            for s in top]
    if probe_page:
        body += ['', f'How real servers fare on the prober\'s cases: @ref {probe_page} '
                 '"the prober matrix".']
    return page('RFC 5321 by section', 'rfc5321',
                f'One page per section of RFC 5321 ({len(site.sections)} sections), in the '
                'RFC\'s order and numbering. Each shows the section\'s requirements in this '
                'project\'s words, its ABNF rules, the EMAILCORE issues that touch it, the '
                'prober cases and deviations that cite it, and what the code implements and '
                'tests. Read the RFC itself for the text.', body + [''])


def issues_index(site):
    body = [f"- \\subpage {page_id_of_issue(w['number'])} \"#{w['number']} "
            f"{w['title'].replace(chr(34), chr(39))}\"" for w in site.issues]
    return page('EMAILCORE issues', 'wg_issues',
                f'The {len(site.issues)} issues of the IETF EMAILCORE working group on '
                'draft-ietf-emailcore-rfc5321bis that smtpspec tracks: what is debated, the '
                'readings, the profile switch that selects each, and the tests that show the '
                'behaviour.', body + [''])


def requirements_page(site):
    return page('Requirements', 'requirements',
                f'All {len(site.requirements)} requirement keywords of RFC 5321 in text order, '
                'summarised in this project\'s words, with their coverage status.',
                requirement_rows(site, site.requirements))


def reply_codes_page(site):
    rows = [[text(c['code']), text(c['group']), text(c['meaning']),
             ', '.join(text(x) for x in c['commands']),
             ', '.join(section_ref(site, s) for s in c['sections'])] for c in site.replies]
    return page('Reply codes', 'reply_codes',
                'The reply codes of RFC 5321 section 4.2 and RFC 7504: function group '
                '(4.2.1), meaning in this project\'s words, and the commands that may return '
                'them (4.3.2).', table(['Code', 'Group', 'Meaning', 'Returned by', 'Sections'],
                                       rows))


def extensions_page(site):
    rows = [[code(e['keyword']), f"RFC {e['rfc']}", text(e['grammar']), text(e['server']),
             text(e['client']), text(e['prober_cases']), text(e['note'])]
            for e in site.extensions]
    return page('Extension matrix', 'extensions',
                'SMTP service extensions and what smtpspec has for each. Grammar: "specific" '
                'rules of its own, "generic" esmtp-param syntax only, or "none". Server: '
                '"default" offered by default, "optional" behind a profile switch, or "none".',
                table(['Keyword', 'RFC', 'Grammar', 'Server', 'Client', 'Prober cases', 'Note'],
                      rows))


def deviations_page(site):
    rows = [[code(d['id']), section_ref(site, d['section']),
             ', '.join(text(r) for r in d['requirements']),
             ', '.join(issue_ref(n) for n in d['wg']), 'on' if d['default'] else 'off',
             text(d['accepts']), text(d['why']), text(d['postfix']), text(d['exim']),
             text(d['opensmtpd'])] for d in site.deviations]
    return page('Deviations', 'deviations',
                'Leniencies of real servers that the reference server can switch on, each '
                'named; the prober grades a server "lenient" by these ids.',
                table(['Id', 'Section', 'Requirements', 'WG', 'Default', 'Accepts', 'Why',
                       'Postfix', 'Exim', 'OpenSMTPD'], rows))


def bis_page(site):
    rows = [[text(b['requirement']), text(b['state']), text(b['change']),
             ', '.join(issue_ref(n) for n in b['wg']),
             ', '.join(f'RFC {n}' for n in b['rfc'])] for b in site.bis_changes]
    return page('Changes in 5321bis', 'bis_changes',
                'Requirements whose meaning draft-ietf-emailcore-rfc5321bis changes, through '
                'an EMAILCORE issue or an RFC it folds in ("draft": the draft makes the '
                'change; "open": the working group is still choosing).',
                table(['Requirement', 'State', 'Change', 'WG', 'RFC'], rows))


def coverage_page(site):
    reqs = site.requirements
    total = status_counts(site, reqs)
    body = ['## Totals', '']
    body += table(['Status', 'Requirements'],
                  [[text(s), str(n)] for s, n in total.items()] + [['all', str(len(reqs))]])
    keywords = sorted({r['keyword'] for r in reqs})
    body += ['## By keyword', '']
    body += table(['Keyword'] + list(STATUSES),
                  [[text(k)] + [str(n) for n in status_counts(
                      site, [r for r in reqs if r['keyword'] == k]).values()] for k in keywords])
    binding = [r for r in reqs if r['keyword'] in ('MUST', 'MUST NOT')
               and r['actor'] in ('server', 'client', 'both')]
    counts = status_counts(site, binding)
    body += ['## The goal: every MUST and MUST NOT of a server or client', '',
             f'{len(binding)} MUST / MUST NOT requirements bind a server or a client; '
             f"{counts['implemented+tested']} are implemented and tested, "
             f"{counts['missing']} are missing.", '']
    body += ['## By section', '']
    rows = []
    for s in (s for s in site.sections if '.' not in s['id']):
        inside = [r for r in reqs
                  if r['section'] == s['id'] or r['section'].startswith(s['id'] + '.')]
        if inside:
            rows.append([section_ref(site, s['id'], f"{s['id']} {s['title']}"),
                         str(len(inside))] +
                        [str(n) for n in status_counts(site, inside).values()])
    body += table(['Section', 'All'] + list(STATUSES), rows)
    body += ['The full report, requirement by requirement with every citation: '
             '<a href="coverage.html">coverage.html</a> (from '
             '`smtpspec coverage --html`), and as '
             '<a href="coverage.json">JSON</a>.', '']
    return page('Coverage summary', 'coverage_summary',
                'Where the code implements each requirement and which tests exercise it, as '
                '`smtpspec coverage` reports from the citations in the sources. '
                'Gaps are shown as they are.', body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--root', required=True)
    parser.add_argument('--smtpspec', required=True)
    parser.add_argument('--dot', required=True)
    parser.add_argument('--out', required=True)
    a = parser.parse_args()
    pages_dir, extra_dir = os.path.join(a.out, 'pages'), os.path.join(a.out, 'extra')
    for d in (pages_dir, extra_dir, os.path.join(a.out, 'images')):
        os.makedirs(d, exist_ok=True)
    coverage_json = os.path.join(extra_dir, 'coverage.json')
    run_cli(a.smtpspec, 'coverage', '--json', coverage_json,
            '--html', os.path.join(extra_dir, 'coverage.html'))
    docs_dir = os.path.join(a.root, 'docs')
    site = load_site(a.root, os.path.join(a.root, 'spec', 'data'), a.smtpspec, docs_dir,
                     coverage_json)
    grammar_page = site.doc_page_id('grammar-rules.md')
    probe_page = site.doc_page_id('probe-matrix.md')
    values = profiles(a.smtpspec)

    pages = {'rfc5321.md': sections_index(site, probe_page), 'wg_issues.md': issues_index(site),
             'requirements.md': requirements_page(site),
             'reply_codes.md': reply_codes_page(site), 'extensions.md': extensions_page(site),
             'deviations.md': deviations_page(site), 'bis_changes.md': bis_page(site),
             'coverage_summary.md': coverage_page(site),
             'state_diagrams.md': state_diagrams_page(a.smtpspec, a.dot,
                                                      os.path.join(a.out, 'images'), site)}
    diagrams = section_diagrams(a.smtpspec, a.dot, os.path.join(a.out, 'images'))
    for s in site.sections:
        pages[page_id_of_section(s['id']) + '.md'] = section_page(
            site, s, grammar_page, probe_page, diagrams.get(s['id']))
    for w in site.issues:
        diff = switch_diff(a.smtpspec, a.dot, os.path.join(a.out, 'images'), w['switch'],
                           values) if w['switch'] else (None, None)
        pages[page_id_of_issue(w['number']) + '.md'] = issue_page(site, w, values, *diff)
    # Pages of an earlier run that no longer exist (a section renamed) go away.
    for old in glob.glob(os.path.join(pages_dir, '*.md')):
        if os.path.basename(old) not in pages:
            os.remove(old)
    for name, content in pages.items():
        write_if_changed(os.path.join(pages_dir, name), content)
    print(f'gen_site: {len(pages)} pages in {pages_dir}')


if __name__ == '__main__':
    main()
