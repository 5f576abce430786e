#!/usr/bin/python3
# smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
# SPDX-License-Identifier: MIT
"""Open pages of the generated site in headless Chromium and check what a reader sees.

Usage: check_browser.py --chromium BIN --html DIR --shots DIR

Serves DIR over HTTP on 127.0.0.1 (a port the OS picks; the server runs in
this process and stops with it), opens the index, a section page, a WG issue
page and the state diagrams in Debian's chromium (driven over the DevTools
protocol on a pipe), and checks on each: the page title, the expected
headings, at least one SVG diagram that really loaded (Doxygen's footer logo
does not count), and no console error, uncaught exception or failed load.
A PNG screenshot of each page is kept in --shots. Exit 0 when all pass.
"""
import argparse
import base64
import functools
import http.server
import json
import os
import shutil
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cdp_pipe import Browser  # noqa: E402

# page, title prefix, headings that must be there, whether it draws a diagram.
PAGES = [
    ('index.html', 'smtpspec', ['Where to start', 'The standard, as it runs']),
    ('section_4_1_1_3.html', '4.1.1.3 RECIPIENT (RCPT)',
     ['Requirements', 'ABNF rules', 'WG issues', 'Prober cases', 'Implementation status',
      'Transitions in the session model']),
    ('wg_116.html', 'WG issue #116:',
     ['What is debated', 'Readings', 'Tests that show the behaviour',
      'Requirements it touches']),
    ('state_diagrams.html', 'State diagrams',
     ['Profile rfc5321', 'Profile rfc5321bis', 'What differs between the profiles']),
]

# What the page shows, measured in the page after its scripts ran.
PROBE = r'''(() => {
  const svgs = [];
  const body = document.querySelector('div.contents') || document.body;
  for (const e of body.querySelectorAll('svg')) {
    if (e.closest('object, iframe')) continue;
    const r = e.getBoundingClientRect();
    svgs.push({kind: 'inline', loaded: e.querySelectorAll('g, path').length > 0,
               width: r.width});
  }
  const sel = 'img[src$=".svg"], object[data$=".svg"], iframe[src$=".svg"], embed[src$=".svg"]';
  for (const e of body.querySelectorAll(sel)) {
    const src = e.getAttribute('src') || e.getAttribute('data');
    if (src.endsWith('doxygen.svg')) continue;
    let loaded = false;
    if (e.tagName === 'IMG') {
      loaded = e.complete && e.naturalWidth > 0;
    } else {
      const d = e.contentDocument || (e.getSVGDocument && e.getSVGDocument());
      loaded = !!(d && d.documentElement && d.documentElement.nodeName.toLowerCase() === 'svg'
                  && d.documentElement.querySelectorAll('g').length > 0);
    }
    svgs.push({kind: e.tagName.toLowerCase(), src, loaded,
               width: e.getBoundingClientRect().width});
  }
  const title = document.querySelector('div.title');
  return JSON.stringify({
    ready: document.readyState,
    title: title ? title.textContent.trim() : '',
    headings: [...document.querySelectorAll('h1, h2, h3')].map(h => h.textContent.trim()),
    svgs});
})()'''


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site; answers the browser's own favicon request with no content."""

    def do_GET(self):
        if self.path == '/favicon.ico':
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, *args):
        pass


def serve(root):
    handler = functools.partial(QuietHandler, directory=root)
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def problems_of(events):
    """Console errors, uncaught exceptions and failed loads among the events."""
    out = []
    for e in events:
        method, p = e.get('method'), e.get('params', {})
        if method == 'Runtime.consoleAPICalled' and p.get('type') in ('error', 'assert'):
            args = ' '.join(str(a.get('value', a.get('description', ''))) for a in p['args'])
            out.append(f'console.{p["type"]}: {args}')
        elif method == 'Runtime.exceptionThrown':
            d = p.get('exceptionDetails', {})
            out.append('uncaught: ' + d.get('exception', {}).get('description', d.get('text')))
        elif method == 'Log.entryAdded' and p['entry'].get('level') == 'error':
            entry = p['entry']
            out.append(f"log ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}")
    return out


def check_page(browser, session, url, shot, title, headings):
    browser.drain(0)
    browser.call('Page.navigate', {'url': url}, session)
    events, loaded = [], False
    for _ in range(60):  # Up to 30 s for the load event, then 1 s for late scripts.
        batch = browser.drain(0.5)
        events += batch
        if any(e.get('method') == 'Page.loadEventFired' for e in batch):
            loaded = True
            break
    events += browser.drain(1.0)
    failures = [] if loaded else ['the load event never came']
    seen = json.loads(browser.call('Runtime.evaluate', {'expression': PROBE,
                                                        'returnByValue': True},
                                   session)['result']['value'])
    png = browser.call('Page.captureScreenshot', {'format': 'png'}, session)['data']
    with open(shot, 'wb') as f:
        f.write(base64.b64decode(png))
    if not seen['title'].startswith(title):
        failures.append(f'title is "{seen["title"]}", expected it to start with "{title}"')
    missing = [h for h in headings if h not in seen['headings']]
    if missing:
        failures.append(f'headings missing: {missing} (found {seen["headings"]})')
    good = [s for s in seen['svgs'] if s['loaded'] is True and s['width'] > 0]
    if not good:
        failures.append(f'no SVG diagram shown (found {seen["svgs"]})')
    failures += problems_of(events)
    return failures, len(good)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--chromium', required=True)
    parser.add_argument('--html', required=True)
    parser.add_argument('--shots', required=True)
    a = parser.parse_args()
    chromium = shutil.which(a.chromium)
    if not chromium:
        print(f'check_browser: {a.chromium} not found; install Debian\'s chromium '
              '(scripts/deps.sh)')
        return 1
    if not os.path.isfile(os.path.join(a.html, 'index.html')):
        print(f'check_browser: no {a.html}/index.html; build the docs target first')
        return 1
    os.makedirs(a.shots, exist_ok=True)
    server = serve(a.html)
    base = f'http://127.0.0.1:{server.server_address[1]}/'
    browser = Browser(chromium, os.path.join(a.shots, 'chromium.log'))
    failed = 0
    try:
        target = browser.call('Target.createTarget', {'url': 'about:blank'})['targetId']
        session = browser.call('Target.attachToTarget',
                               {'targetId': target, 'flatten': True})['sessionId']
        for domain in ('Page', 'Runtime', 'Log'):
            browser.call(f'{domain}.enable', {}, session)
        browser.call('Emulation.setDeviceMetricsOverride',
                     {'width': 1280, 'height': 900, 'deviceScaleFactor': 1, 'mobile': False},
                     session)
        for page, title, headings in PAGES:
            shot = os.path.join(a.shots, page.replace('.html', '.png'))
            failures, svgs = check_page(browser, session, base + page, shot, title, headings)
            status = 'FAIL' if failures else 'ok'
            print(f'{status:4} {page}: {svgs} SVG diagram(s); screenshot {shot}')
            for f in failures:
                print(f'     {f}')
            failed += bool(failures)
    finally:
        browser.close()
        server.shutdown()
    print(f'check_browser: {len(PAGES) - failed} of {len(PAGES)} pages pass')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
