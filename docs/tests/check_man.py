#!/usr/bin/python3
# smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
# SPDX-License-Identifier: MIT
"""Check the man pages: one per subcommand, each renders, each lists its options.

Usage: check_man.py --smtpspec BIN --man-dir DIR --build-dir BUILD

For smtpspec and every subcommand its --help lists (nested ones too) there
must be DIR/smtpspec[-SUB].1; `man -l` must render it without a warning
(groff's warnings are turned on), with NAME, SYNOPSIS and EXIT STATUS, the
page's own name, and every long option the subcommand's --help shows. Then
`cmake --install BUILD --prefix TMP` must install the binary and the pages.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'gen'))

from gen_man import subcommands  # noqa: E402

LONG_OPTION = re.compile(r'^\s+(?:-\w,)?(--[a-z][a-z0-9-]*)', re.M)


def run(command, **kw):
    return subprocess.run(command, capture_output=True, text=True, check=False, **kw)


def all_commands(smtpspec):
    """[(words, help text)] for smtpspec and each subcommand, breadth first."""
    out, queue = [], [[]]
    while queue:
        words = queue.pop(0)
        done = run([smtpspec, *words, '--help'])
        if done.returncode != 0:
            raise SystemExit(f'check_man: smtpspec {" ".join(words)} --help failed')
        out.append((words, done.stdout))
        queue += [[*words, sub] for sub, _ in subcommands(done.stdout)]
    return out


def check_page(path, name, help_text):
    problems = []
    env = dict(os.environ, MANWIDTH='100', LC_ALL='C.UTF-8', MAN_KEEP_FORMATTING='0')
    # -Ww: all groff warnings; man -l renders a file, -P cat avoids a pager.
    done = run(['man', '-l', '-P', 'cat', '--warnings=w', path], env=env)
    # Overstrikes removed; the dashes groff draws (hyphen, minus) read as "-".
    text = re.sub(r'.\x08', '', done.stdout)
    text = re.sub('[\u2010\u2011\u2012\u2013\u2212]', '-', text)
    if done.returncode != 0:
        problems.append(f'man -l exited with {done.returncode}: {done.stderr.strip()}')
    if done.stderr.strip():
        problems.append(f'man -l warned: {done.stderr.strip()}')
    for heading in ('NAME', 'SYNOPSIS', 'EXIT STATUS', 'SEE ALSO'):
        if not re.search(rf'^{heading}$', text, re.M):
            problems.append(f'no {heading} section')
    if not re.search(rf'^\s+{re.escape(name)}\s+-\s', text, re.M):
        problems.append(f'the NAME section does not name {name}')
    flat = re.sub(r'-\n\s*', '-', text)  # Lines broken after a hyphen, joined.
    for option in sorted(set(LONG_OPTION.findall(help_text))):
        if option not in flat:
            problems.append(f'option {option} of --help is not on the page')
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for option in ('--smtpspec', '--man-dir', '--build-dir'):
        parser.add_argument(option, required=True)
    a = parser.parse_args()
    failed = 0
    commands = all_commands(a.smtpspec)
    expected = set()
    for words, help_text in commands:
        name = '-'.join(['smtpspec', *words])
        expected.add(name + '.1')
        path = os.path.join(a.man_dir, name + '.1')
        problems = ['missing; build the man target'] if not os.path.isfile(path) else \
            check_page(path, name, help_text)
        print(f"{'FAIL' if problems else 'ok':4} {name}.1")
        for p in problems:
            print(f'     {p}')
        failed += bool(problems)
    extra = sorted(set(os.listdir(a.man_dir)) - expected) if os.path.isdir(a.man_dir) else []
    if extra:
        print(f'FAIL pages of no current subcommand: {extra}')
        failed += 1
    with tempfile.TemporaryDirectory() as prefix:
        done = run(['cmake', '--install', a.build_dir, '--prefix', prefix])
        installed = [os.path.join('bin', 'smtpspec')] + [
            os.path.join('share', 'man', 'man1', n) for n in sorted(expected)]
        missing = [p for p in installed if not os.path.isfile(os.path.join(prefix, p))]
        if done.returncode != 0 or missing:
            print(f'FAIL cmake --install: exit {done.returncode}, missing {missing}: '
                  f'{done.stderr.strip()[-500:]}')
            failed += 1
        else:
            print(f'ok   cmake --install puts the binary and {len(expected)} man pages in place')
    print(f'check_man: {len(commands)} commands, {failed} failure(s)')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
