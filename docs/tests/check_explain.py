#!/usr/bin/python3
# smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
# SPDX-License-Identifier: MIT
"""Check that `smtpspec explain` and the generated site give the same answers.

Usage: check_explain.py --smtpspec BIN --html DIR [--sections ID,...] [--issues N,...]

The site's pages are written by docs/gen/gen_site.py from spec/data with
Python; explain answers from the C++ tables compiled from the same data.
For every section page and every WG issue page (or the ones named), this
compares explain's JSON with what the HTML page shows: the title, each
requirement row (id, keyword, actor, summary, in order), the WG issues of a
section (number, title, switch), and an issue's readings, switch and
requirements. Exit 0 when all agree; otherwise one line per difference.
"""
import argparse
import html.parser
import json
import os
import re
import subprocess
import sys


class Tables(html.parser.HTMLParser):
    """The page title and, under each h1 heading, the rows of its tables as cell texts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title, self.heading, self.tables = '', '', {}
        self.capture = None  # 'title', 'heading' or 'cell'
        self.div_depth = 0
        self.row = None

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get('class', '') or ''
        if tag == 'div' and 'title' in classes.split():
            self.capture, self.title = 'title', ''
        elif tag == 'h1':
            self.capture, self.heading = 'heading', ''
        elif tag == 'tr':
            self.row = []
        elif tag in ('td', 'th') and self.row is not None:
            self.row.append('')
            self.capture = 'cell'

    def handle_endtag(self, tag):
        if tag == 'div' and self.capture == 'title':
            self.capture = None
        elif tag == 'h1':
            self.capture = None
            self.heading = self.heading.strip()
        elif tag in ('td', 'th'):
            self.capture = None
        elif tag == 'tr' and self.row is not None:
            self.tables.setdefault(self.heading, []).append([c.strip() for c in self.row])
            self.row = None

    def handle_data(self, data):
        if self.capture == 'title':
            self.title += data
        elif self.capture == 'heading':
            self.heading += data
        elif self.capture == 'cell':
            self.row[-1] += data


def read_page(path):
    parser = Tables()
    with open(path, encoding='utf-8') as f:
        parser.feed(f.read())
    parser.title = re.sub(r'\s+', ' ', parser.title).strip()
    return parser


def explain(smtpspec, query):
    done = subprocess.run([smtpspec, 'explain', '--json', query], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f'check_explain: explain {query} exited with {done.returncode}: '
                         f'{done.stderr.strip()}')
    return json.loads(done.stdout)


def requirement_rows(page, heading):
    return [row[:4] for row in page.tables.get(heading, []) if row and row[0].startswith('R-')]


def expected_requirements(answer):
    return [[r['id'], r['keyword'], r['actor'], r['summary']] for r in answer['requirements']]


def compare(where, what, seen, expected, problems):
    if seen != expected:
        problems.append(f'{where}: {what} differ:\n    site:    {seen}\n    explain: {expected}')


def check_section(smtpspec, html_dir, section_id, problems):
    answer = explain(smtpspec, section_id)
    page = read_page(os.path.join(html_dir, 'section_' + section_id.replace('.', '_') + '.html'))
    where = f'section {section_id}'
    compare(where, 'titles', page.title, f"{answer['id']} {answer['title']}", problems)
    compare(where, 'requirements', requirement_rows(page, 'Requirements'),
            expected_requirements(answer), problems)
    issues = [[row[0], row[1], row[3]] for row in page.tables.get('WG issues', [])
              if row and row[0].startswith('#')]
    compare(where, 'WG issues', issues,
            [[f"#{w['number']}", w['title'], w['switch'] or 'none (wording only)']
             for w in answer['wg']], problems)


def check_issue(smtpspec, html_dir, number, problems):
    answer = explain(smtpspec, str(number))
    page = read_page(os.path.join(html_dir, f'wg_{number}.html'))
    where = f'WG issue #{number}'
    compare(where, 'titles', page.title, f"WG issue #{number}: {answer['title']}", problems)
    readings = [row[0] for row in page.tables.get('Readings', [])[1:]
                if not row[0].startswith('(')]
    compare(where, 'readings', readings, answer['readings'], problems)
    switches = {m for row in page.tables.get('Readings', [])[1:]
                for m in re.findall(r'^(\w+) = (?:true|false)$', row[1])}
    compare(where, 'switches', sorted(switches),
            [answer['switch']] if answer['switch'] else [], problems)
    compare(where, 'requirements', requirement_rows(page, 'Requirements it touches'),
            expected_requirements(answer), problems)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--smtpspec', required=True)
    parser.add_argument('--html', required=True)
    parser.add_argument('--sections', help='comma-separated section ids (default: all pages)')
    parser.add_argument('--issues', help='comma-separated WG issue numbers (default: all pages)')
    a = parser.parse_args()
    names = os.listdir(a.html)
    sections = a.sections.split(',') if a.sections else sorted(
        n[len('section_'):-len('.html')].replace('_', '.') for n in names
        if re.fullmatch(r'section_[0-9A-Z_]+\.html', n))
    issues = [int(n) for n in a.issues.split(',')] if a.issues else sorted(
        int(n[3:-5]) for n in names if re.fullmatch(r'wg_\d+\.html', n))
    if len(sections) < 100 or len(issues) < 20:
        if not (a.sections or a.issues):
            print(f'check_explain: only {len(sections)} section and {len(issues)} issue pages '
                  f'in {a.html}; build the docs target first')
            return 1
    problems = []
    for s in sections:
        check_section(a.smtpspec, a.html, s, problems)
    for n in issues:
        check_issue(a.smtpspec, a.html, n, problems)
    for p in problems:
        print(p)
    print(f'check_explain: {len(sections)} sections and {len(issues)} WG issues compared, '
          f'{len(problems)} difference(s)')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
