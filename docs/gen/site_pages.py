# smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
# SPDX-License-Identifier: MIT
"""The per-section and per-WG-issue pages of the generated site."""
import re

from markdown import (HEADER, code, issue_ref, page_id_of_issue, page_id_of_section, ref,
                      section_ref, table, text, title)
from site_model import picture

STATUSES = ('implemented+tested', 'implemented', 'tested', 'not applicable', 'missing')


def locations(cites, limit=6):
    """file:line list, shortened when long (the coverage report has them all)."""
    shown = [code(f"{c['file']}:{c['line']}") for c in cites[:limit]]
    if len(cites) > limit:
        shown.append(f'and {len(cites) - limit} more')
    return ', '.join(shown)


def requirement_rows(site, requirements):
    rows = []
    for r in requirements:
        cov = site.coverage.get(r['id'], {})
        rows.append([text(r['id']), text(r['keyword']), text(r['actor']), text(r['summary']),
                     ', '.join(issue_ref(n) for n in r['wg']),
                     'yes' if r['wire'] else 'no', text(cov.get('status', 'unknown'))])
    return table(['Id', 'Keyword', 'Actor', 'Summary', 'WG', 'Wire', 'Status'], rows)


def where_it_runs(site, requirements):
    lines = []
    for r in requirements:
        cov = site.coverage.get(r['id'], {})
        parts = []
        for key, label in (('implementations', 'implemented at'), ('tests', 'tested at'),
                           ('others', 'noted at')):
            if cov.get(key):
                parts.append(f'{label} {locations(cov[key])}')
        if r.get('na'):
            parts.append('not applicable: ' + text(r['na']))
        if parts:
            lines.append(f"- **{text(r['id'])}**: " + '; '.join(parts))
    return lines


def status_counts(site, requirements):
    counts = {s: 0 for s in STATUSES}
    for r in requirements:
        status = site.coverage.get(r['id'], {}).get('status')
        if status in counts:
            counts[status] += 1
    return counts


def switch_cell(w):
    return code(w['switch']) if w['switch'] else 'none (wording only)'


def issue_rows(issues):
    return table(['Issue', 'What is debated', 'Readings', 'Switch'],
                 [[issue_ref(w['number']), text(w['title']),
                   '; '.join(text(x) for x in w['readings']), switch_cell(w)] for w in issues])


def probe_rows(cases):
    return table(['Case', 'Level', 'What it checks'],
                 [[code(c['id']), text(c['level']), text(c['title'])] for c in cases])


def bis_rows(site, changes):
    return table(['Requirement', 'State', 'Change in 5321bis', 'WG', 'RFC'],
                 [[text(b['requirement']), text(b['state']), text(b['change']),
                   ', '.join(issue_ref(n) for n in b['wg']),
                   ', '.join(f'RFC {n}' for n in b['rfc'])] for b in changes])


def abnf_block(site, section_id, grammar_page):
    rules = site.abnf.get(section_id, [])
    if not rules:
        return ['No ABNF rule of RFC 5321 is defined in this section.', '']
    lines = []
    if grammar_page:
        lines += [f'The rules table of the grammar: {ref(grammar_page, "ABNF rules")}.', '']
    rows = []
    for r in rules:
        tests = site.rule_tests.get(r['struct'], [])
        rows.append([code(r['name']), text(f"smtpspec::grammar::rules::{r['struct']}"),
                     code(r['header']), locations([{'file': f, 'line': n} for f, n in tests], 3)
                     or 'none found'])
    lines += table(['ABNF rule', 'C++ rule', 'Header', 'Tests naming it'], rows)
    lines += ['The ABNF as transcribed in the rules\' doc comments (RFC 5321 '
              f'section {section_id}):', '', '```']
    lines += [r['abnf'] for r in rules]
    return lines + ['```', '']


def section_page(site, s, grammar_page, probe_page, diagram=None):
    sid = s['id']
    reqs = site.requirements_of(sid)
    lines = [f"# {text(sid)} {title(s['title'])} {{#{page_id_of_section(sid)}}}", '', HEADER,
             '']
    parent = sid.rsplit('.', 1)[0] if '.' in sid else None
    where = (f'Part of {section_ref(site, parent)}. ' if parent else '') + (
        f'What RFC 5321 section {text(sid)} requires and what smtpspec runs for it. '
        'The summaries are this project\'s own words; the RFC\'s text is the authority.')
    lines += [where, '']
    children = site.children(sid)
    if children:
        lines += ['Subsections:', '']
        lines += [f"- \\subpage {page_id_of_section(c['id'])} "
                  f"\"{c['id']} {c['title'].replace(chr(34), chr(39))}\"" for c in children]
        lines.append('')

    lines += ['## Requirements', '']
    if reqs:
        lines += requirement_rows(site, reqs)
        runs = where_it_runs(site, reqs)
        if runs:
            lines += ['### Where they run', ''] + runs + ['']
    else:
        lines += ['This section holds no requirement keyword.', '']

    changes = [site.bis_change[r['id']] for r in reqs if r['id'] in site.bis_change]
    if changes:
        lines += ['## Changes in 5321bis', ''] + bis_rows(site, changes)

    lines += ['## ABNF rules', ''] + abnf_block(site, sid, grammar_page)

    lines += ['## WG issues', '']
    issues = site.issues_of(sid)
    lines += issue_rows(issues) if issues else ['No EMAILCORE issue touches this section.', '']

    lines += ['## Prober cases', '']
    cases = site.probe_cases_of(sid)
    lines += probe_rows(cases) if cases else ['No prober case cites this section.', '']
    if probe_page:
        lines += [f'Results against real servers: {ref(probe_page, "the prober matrix")}.', '']

    if diagram:
        lines += ['## Transitions in the session model', '',
                  'The transitions of the session model (profile rfc5321, as explored by '
                  f'{code("smtpspec model explore --dot-all")}) that this section governs; each '
                  f'edge names the command and the reply codes. See also the '
                  f'{ref("state_diagrams", "state diagrams")}.', '',
                  ] + picture(diagram, f'Transitions governed by section {sid}')

    devs = site.deviations_of(sid)
    if devs:
        lines += ['## Deviations', '']
        lines += table(['Deviation', 'What the switch accepts', 'Default'],
                       [[ref('deviations', text(d['id'])), text(d['accepts']),
                         'on' if d['default'] else 'off'] for d in devs])
    replies = site.replies_of(sid)
    if replies:
        lines += ['## Reply codes ruled on here', '']
        lines += [', '.join(ref('reply_codes', str(c['code'])) for c in replies), '']

    lines += ['## Implementation status', '']
    if reqs:
        counts = status_counts(site, reqs)
        lines += [f'Of the {len(reqs)} requirements of this section: ' +
                  ', '.join(f'{n} {s}' for s, n in counts.items() if n) +
                  f'. See the {ref("coverage_summary", "coverage summary")}.', '']
    else:
        lines += ['Nothing to implement: no requirement keyword here.', '']
    return '\n'.join(lines)


def switch_uses(site, switch):
    """Test lines that set or read a switch, with the value they give it when visible."""
    uses = []
    for f, n in site.switch_tests.get(switch, []):
        if f.startswith('tests/spec/'):
            continue  # Tests of the catalogue itself, not of the behaviour.
        with open(f'{site.root}/{f}', encoding='utf-8', errors='replace') as src:
            for number, line in enumerate(src, 1):
                if re.search(r'\b' + re.escape(switch) + r'\b', line):
                    value = ('true' if re.search(r'=\s*true', line) else
                             'false' if re.search(r'=\s*false', line) else 'both profiles')
                    uses.append((f, number, value))
    return uses


def readings_table(w, profiles):
    """Which value of the switch selects each reading (see the page's note)."""
    readings = w['readings']
    rows = []
    for i, reading in enumerate(readings):
        if not w['switch']:
            value = 'no switch: the wording changes, the behaviour does not'
        elif len(readings) == 1 or i == len(readings) - 1:
            value = code(f"{w['switch']} = true")
        else:
            value = code(f"{w['switch']} = false")
        rows.append([text(reading), value])
    if w['switch'] and len(readings) == 1:
        rows.append(['(the contrary behaviour, kept for comparison)',
                     code(f"{w['switch']} = false")])
    lines = table(['Reading', 'Selected by'], rows)
    if w['switch'] and profiles:
        lines += ['Value in each built-in profile: ' + ', '.join(
            f"{code(name)} {code(str(values.get(w['switch'], '?')).lower())}"
            for name, values in profiles.items()) + '.', '']
    return lines


def issue_page(site, w, profiles, model_diff, diff_svg):
    number = w['number']
    # The tree view shows the title as written, so the "#" carries no escape.
    lines = [f"# WG issue #{number}: {title(w['title'])} {{#{page_id_of_issue(number)}}}", '',
             HEADER, '']
    lines += ['## What is debated', '', text(w['title']) + '.', '']
    bis = ', '.join(section_ref(site, s) for s in w['bis_sections'])
    lines += [f'Sections of the draft it touches: {bis}.', '']
    lines += [('It changes behaviour: a ' + code('model::profile') + ' switch selects the reading.')
              if w['behaviour'] else 'It changes the wording only, not behaviour.', '']

    lines += ['## Readings', ''] + readings_table(w, profiles)
    if w['switch']:
        lines += ['A switch that is true selects the last reading listed; when two are '
                  'listed, false selects the first. Set it with ' +
                  code(f"smtpspec model explore --set {w['switch']}=false") + ' to see the '
                  'state graph under the other reading.', '']

    if model_diff:
        lines += ['### What the switch changes in the session model', '',
                  code(f"smtpspec model diff rfc5321 rfc5321 --set-b {w['switch']}=...") +
                  ' (the profile rfc5321 against itself with the switch flipped):', '', '```']
        lines += model_diff.splitlines() + ['```', '']
        lines += picture(diff_svg, f'Transitions only with {w["switch"]} as in rfc5321 (red, '
                         'dashed) and only with it flipped (blue, bold)')

    lines += ['## Tests that show the behaviour', '']
    uses = switch_uses(site, w['switch']) if w['switch'] else []
    if uses:
        lines += ['Tests that name the switch (the value they set, when the line shows it):', '']
        lines += [f'- {code(f"{f}:{n}")}: {text(v)}' for f, n, v in uses] + ['']
    marked = site.issue_tests.get(number, [])
    if marked:
        lines += [f'Tests marked with the issue (WG \\#{number} in a comment or wg{number} in '
                  'the name):', '']
        lines += [f'- {code(f"{f}:{n}")}' + (f' {code(name)}' if name else '') +
                  f': {text(note)}' for f, n, name, note in marked] + ['']
    cases = site.probe_cases_of_issue(number)
    if cases:
        lines += ['Prober cases that cite this issue:', ''] + probe_rows(cases)
    reqs = site.requirements_of_issue(number)
    tested = [(r, site.coverage.get(r['id'], {}).get('tests', [])) for r in reqs]
    tested = [(r, t) for r, t in tested if t]
    if tested:
        lines += ['Tests of the requirements the issue touches:', '']
        lines += [f"- **{text(r['id'])}**: {locations(t, 4)}" for r, t in tested] + ['']
    if not (uses or marked or cases or tested):
        lines += ['No test shows a behaviour for this issue yet.', '']

    lines += ['## Requirements it touches', '']
    lines += requirement_rows(site, reqs) if reqs else ['None in the catalogue.', '']
    changes = [b for b in site.bis_changes if number in b['wg']]
    if changes:
        lines += ['## Changes in 5321bis', ''] + bis_rows(site, changes)
    return '\n'.join(lines)
