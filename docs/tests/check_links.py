#!/usr/bin/python3
# smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
# SPDX-License-Identifier: MIT
"""Check every internal link of the generated HTML site.

Usage: check_links.py HTML_DIR [--expect-pages N]
       check_links.py --self-test

Reads every .html file under HTML_DIR and checks each href, src and data
attribute that points inside the site: the file must exist, and a fragment
(#anchor) must name an id or a name in the target page. Links with a scheme
(https:, mailto:, javascript:) are outside the site and not followed; file:
links are refused, since the site must work wherever it is copied. SVG files
that are linked must parse as XML. Exit 0 when all resolve, 1 with one line
per broken link otherwise. --self-test builds a small site with known faults
and checks that each is reported, so that the checker itself is tested.
"""
import html.parser
import os
import sys
import tempfile
import urllib.parse
import xml.etree.ElementTree as ElementTree

LINK_ATTRIBUTES = {'href', 'src', 'data'}


class PageScan(html.parser.HTMLParser):
    """Collects the links and the anchors (id and name attributes) of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.anchors = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ('id', 'name'):
                self.anchors.add(value)
            elif name in LINK_ATTRIBUTES:
                self.links.append((tag, value, self.getpos()[0]))

    handle_startendtag = handle_starttag


def scan(path, cache):
    if path not in cache:
        parser = PageScan()
        with open(path, encoding='utf-8', errors='replace') as f:
            parser.feed(f.read())
        cache[path] = parser
    return cache[path]


def check_site(root):
    """Return (pages checked, links checked, [broken link descriptions])."""
    root = os.path.abspath(root)
    cache, broken, checked, pages = {}, [], 0, 0
    valid_svgs = {}
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            if not name.endswith('.html'):
                continue
            page = os.path.join(folder, name)
            pages += 1
            rel_page = os.path.relpath(page, root)
            for tag, link, line in scan(page, cache).links:
                parts = urllib.parse.urlsplit(link)
                if parts.scheme == 'file':
                    broken.append(f'{rel_page}:{line}: <{tag}> {link}: a file: link')
                    continue
                if parts.scheme or parts.netloc:
                    continue  # Outside the site.
                checked += 1
                target = page if not parts.path else os.path.normpath(
                    os.path.join(folder, urllib.parse.unquote(parts.path)))
                where = f'{rel_page}:{line}: <{tag}> {link}'
                if not target.startswith(root + os.sep):
                    broken.append(f'{where}: points outside the site')
                elif not os.path.isfile(target):
                    broken.append(f'{where}: no such file')
                elif parts.fragment and target.endswith('.html') and \
                        urllib.parse.unquote(parts.fragment) not in scan(target, cache).anchors:
                    broken.append(f'{where}: no anchor "{parts.fragment}" in the page')
                elif target.endswith('.svg'):
                    if target not in valid_svgs:
                        try:
                            ElementTree.parse(target)
                            valid_svgs[target] = True
                        except ElementTree.ParseError as e:
                            valid_svgs[target] = False
                            broken.append(f'{where}: the SVG does not parse: {e}')
    return pages, checked, broken


def self_test():
    """A site with one good link of each kind and one broken link of each kind."""
    with tempfile.TemporaryDirectory() as root:
        files = {
            'index.html': '<a href="a.html">a</a><a href="a.html#here">a</a>'
                          '<img src="pic.svg"><a href="https://example.org/x">out</a>'
                          '<a href="missing.html">1</a><a href="a.html#nowhere">2</a>'
                          '<object data="bad.svg"></object><a href="../up.html">3</a>'
                          '<a href="file:///etc/passwd">4</a><a href="#top">5</a>',
            'a.html': '<h1 id="here">a</h1>',
            'pic.svg': '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
            'bad.svg': '<svg xmlns="http://www.w3.org/2000/svg">',
        }
        for name, content in files.items():
            with open(os.path.join(root, name), 'w', encoding='utf-8') as f:
                f.write(content)
        pages, checked, broken = check_site(root)
    expected = ['missing.html: no such file', 'a.html#nowhere: no anchor "nowhere"',
                'bad.svg: the SVG does not parse', '../up.html: points outside the site',
                'file:///etc/passwd: a file: link', '#top: no anchor "top"']
    missed = [e for e in expected if not any(e in b for b in broken)]
    if pages != 2 or checked != 8 or len(broken) != len(expected) or missed:
        print(f'self-test failed: pages={pages} checked={checked} broken={broken} '
              f'missed={missed}')
        return 1
    print(f'self-test: all {len(expected)} planted faults reported, good links accepted')
    return 0


def main(argv):
    if argv[1:] == ['--self-test']:
        return self_test()
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != '--expect-pages'):
        print(__doc__)
        return 2
    root = argv[1]
    if not os.path.isfile(os.path.join(root, 'index.html')):
        print(f'check_links: {root}/index.html does not exist; build the docs target first')
        return 1
    pages, checked, broken = check_site(root)
    for b in broken:
        print(b)
    minimum = int(argv[3]) if len(argv) == 4 else 1
    if pages < minimum:
        print(f'check_links: only {pages} pages, expected at least {minimum}')
        return 1
    print(f'check_links: {pages} pages, {checked} internal links, {len(broken)} broken')
    return 1 if broken else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
