#!/usr/bin/env python3
# smtpspec: checks `smtpspec explain` and `smtpspec coverage` end to end.
# Run by ctest; each failure names the command line and what was wrong.
"""Run the smtpspec executable and check exact values in its output.

Usage: check_cli.py SMTPSPEC REQUIREMENTS_TOML
"""
import json
import os
import subprocess
import sys
import tempfile
import tomllib

STATUSES = {'implemented+tested', 'implemented', 'tested', 'not applicable', 'missing'}


class Checker:
    def __init__(self, exe):
        self.exe = exe
        self.failures = 0

    def run(self, *args):
        return subprocess.run([self.exe, *args], capture_output=True, text=True, timeout=60)

    def expect(self, ok, what):
        print(('ok    ' if ok else 'FAIL  ') + what)
        if not ok:
            self.failures += 1

    def output(self, args, code, *texts):
        result = self.run(*args)
        self.expect(result.returncode == code,
                    f'{args}: exit {result.returncode}, want {code}')
        both = result.stdout + result.stderr
        for text in texts:
            self.expect(text in both, f'{args}: prints {text!r}')
        return result


def check_explain(c):
    c.output(['explain', 'R-4.1.1.4-5'], 0,
             'R-4.1.1.4-5  MUST NOT  (server, observable on the wire)',
             'Section 4.1.1.4: ',
             'Summary: LF "." LF without CRs is never taken as end of data',
             'Coverage: ',
             'implemented at reference/server_session.cpp:')
    j = json.loads(c.run('explain', '--json', 'R-4.1.1.4-5').stdout)
    c.expect(j['kind'] == 'requirement' and j['keyword'] == 'MUST NOT'
             and j['actor'] == 'server' and j['status'] in STATUSES,
             'explain --json R-4.1.1.4-5: keyword, actor and a valid status')
    c.output(['explain', 'R-3.1-3'], 0,
             '5321bis (draft): A host that takes no mail at all greets with 521', 'RFC 7504')
    c.output(['explain', 'R-5.1-9'], 0, 'Not applicable to smtpspec: Binds the DNS data')
    c.output(['explain', '4.1.1.3'], 0,
             'Section 4.1.1.3: ', 'Requirements (8):',
             'R-4.1.1.3-2  MUST  (server)  A server parses source-route syntax in a forward-path',
             '#106  The forward-path of RCPT must name a mailbox')
    c.output(['explain', '4.1.1.4'], 0,
             'Cited in the sources (', 'reference/server_session.cpp:',
             'implementation R-4.1.1.4-5')
    c.output(['explain', '116'], 0,
             'WG issue #116: ', 'Profile switch: model::profile::helo_resets_transaction',
             'R-4.1.4-4  MUST  (server)', 'R-4.1.4-4: 5321bis (draft): ')
    c.output(['explain', 'RCPT TO:<>'], 0,
             'Line: "RCPT TO:<>\\r\\n"', 'Syntax error: rule ', ' at offset 9, reply 501',
             'Section 4.1.1.3: ', '#106  ')
    j = json.loads(c.run('explain', '--json', 'RCPT TO:<>').stdout)
    c.expect(j['error']['reply_code'] == 501
             and any(w['number'] == 106 for r in j['refs'] for w in r['wg']),
             'explain --json "RCPT TO:<>": 501 and WG #106')
    c.output(['explain', 'MAIL FROM:<>'], 0,
             'Command: MAIL', 'reverse_path=<>', 'Section 4.5.5: ')
    c.output(['explain', 'HELO'], 0, 'Syntax error: rule ', 'R-4.1.4-5')
    c.output(['explain', 'STARTTLS'], 0, 'reply 500', 'R-4.2.4-3')
    for bad in ('nonsense', 'R-4.1.1.4-99', '999', '4.1.1.99'):
        c.output(['explain', bad], 2, 'smtpspec explain: ')
    c.output(['explain', 'NOOP\r\nQUIT'], 2,
             'smtpspec explain: the text holds a line break at offset 4: explain takes one '
             'command line at a time')


def check_coverage(c, ids, na):
    with tempfile.TemporaryDirectory() as tmp:
        jpath, hpath = os.path.join(tmp, 'c.json'), os.path.join(tmp, 'c.html')
        result = c.output(['coverage', '--json', jpath, '--html', hpath], 0,
                          f'Coverage of {len(ids)} requirements of RFC 5321')
        lines = result.stdout.splitlines()
        c.expect(any(line.startswith('all ') for line in lines[:12]),
                 'coverage: the summary (with an "all" row) comes before the rows')
        with open(jpath, encoding='utf-8') as f:
            report = json.load(f)
        rows = report['requirements']
        c.expect([r['id'] for r in rows] == ids,
                 f'coverage --json: one entry per requirement, {len(ids)} in catalogue order')
        c.expect(all(r['status'] in STATUSES for r in rows), 'coverage --json: valid statuses')
        c.expect(all((r['status'] == 'not applicable') <= (r['id'] in na) for r in rows),
                 'coverage --json: "not applicable" only where the catalogue gives a reason')
        c.expect(all((r['status'] in ('implemented+tested', 'implemented'))
                     == bool(r['implementations']) for r in rows),
                 'coverage --json: implemented exactly when an implementation cites it')
        by_status = report['summary']['by_status']
        c.expect(all(by_status[s] == sum(r['status'] == s for r in rows) for s in STATUSES)
                 and report['summary']['total'] == len(ids),
                 'coverage --json: summary counts match the rows')
        with open(hpath, encoding='utf-8') as f:
            html = f.read()
        c.expect(html.startswith('<!DOCTYPE html>') and html.count('<tr id="R-') == len(ids),
                 'coverage --html: one page with a row per requirement')
        c.expect(not any(s in html for s in ('http://', 'https://', '<script', '<link')),
                 'coverage --html: self-contained (no outside resources)')
    result = c.output(['coverage', '--missing'], 0)
    body = [line for line in result.stdout.splitlines() if line.startswith('R-')]
    c.expect(body and all(line.split()[-1] != '' and '  missing  ' in line for line in body),
             'coverage --missing: lists only missing requirements')


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: check_cli.py SMTPSPEC REQUIREMENTS_TOML')
    with open(sys.argv[2], 'rb') as f:
        catalogue = tomllib.load(f)['requirement']
    ids = [r['id'] for r in catalogue]
    na = {r['id'] for r in catalogue if 'na' in r}
    c = Checker(sys.argv[1])
    check_explain(c)
    check_coverage(c, ids, na)
    print(f'{c.failures} failures')
    return 1 if c.failures else 0


if __name__ == '__main__':
    sys.exit(main())
