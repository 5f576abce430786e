#!/usr/bin/env python3
# smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
# SPDX-License-Identifier: MIT
"""Write the man pages of smtpspec and its subcommands from the CLI's own help.

Usage: gen_man.py --smtpspec BIN --help2man HELP2MAN --include FILE --out DIR

Runs help2man (Debian's package) on `smtpspec --help` and on `smtpspec SUB
--help` for every subcommand the help lists, nested ones included, and
writes DIR/smtpspec.1 and DIR/smtpspec-SUB[-SUB2].1. FILE adds the sections
the help does not carry (exit status, see also). Pages of subcommands that
no longer exist are removed. The date is taken from SOURCE_DATE_EPOCH when it
is set, so the pages can be rebuilt byte for byte.
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile

# "  serve    Run the reference SMTP server; ..." in a "Subcommands:" block.
SUBCOMMAND = re.compile(r'^  ([a-z][a-z0-9-]*)\s{2,}(\S.*)$')


def subcommands(help_text):
    """The (name, description) pairs of the help's Subcommands block."""
    found, inside = [], False
    for line in help_text.splitlines():
        if line.strip() == 'Subcommands:':
            inside = True
            continue
        if inside:
            m = SUBCOMMAND.match(line)
            if not m:
                if line.strip():
                    inside = False
                continue
            if (m.group(1), m.group(2)) not in found:
                found.append((m.group(1), m.group(2)))
    return found


def help_of(env, words):
    done = subprocess.run(['smtpspec', *words, '--help'], env=env, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        sys.exit(f'gen_man: "smtpspec {" ".join(words)} --help" exited with {done.returncode}')
    return done.stdout


def write_page(env, args, version, words, description, see_also):
    name = '-'.join(['smtpspec', *words])
    path = os.path.join(args.out, name + '.1')
    include = os.path.join(env['GEN_MAN_TMP'], name + '.h2m')
    with open(args.include, encoding='utf-8') as f:
        extra = f.read()
    see = [f'.BR {p} (1)' for p in see_also if p != name]
    with open(include, 'w', encoding='utf-8') as f:
        f.write(extra + '\n[SEE ALSO]\n' + ',\n'.join(see) + '\n')
    command = [args.help2man, '--no-info', '--no-discard-stderr',
               f'--version-string={version}', f'--name={description}',
               f'--include={include}', f'--output={path}']
    if words:
        command.append('--help-option=' + ' '.join([*words, '--help']))
    command.append('smtpspec')
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f'gen_man: help2man failed for {name}: {done.stderr.strip()}')
    if words:
        # help2man names the page after the program; name it after the subcommand.
        with open(path, encoding='utf-8') as f:
            page = f.read()
        page = page.replace('.TH SMTPSPEC ', f'.TH {name.upper()} ', 1)
        roff_name = name.replace('-', '\\-')
        page = page.replace('\n.SH NAME\nsmtpspec \\- ', f'\n.SH NAME\n{roff_name} \\- ', 1)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(page)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for option in ('--smtpspec', '--help2man', '--include', '--out'):
        parser.add_argument(option, required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        # Run the binary as plain "smtpspec", so that its usage lines name it so.
        os.symlink(os.path.abspath(args.smtpspec), os.path.join(tmp, 'smtpspec'))
        env = dict(os.environ, PATH=tmp + os.pathsep + os.environ.get('PATH', ''),
                   GEN_MAN_TMP=tmp, LC_ALL='C.UTF-8')
        version = subprocess.run(['smtpspec', '--version'], env=env, capture_output=True,
                                 text=True, check=True).stdout.strip() or 'smtpspec'
        pages = [([], 'an executable specification of SMTP (RFC 5321 and 5321bis)')]
        queue = list(pages)
        while queue:
            words, _ = queue.pop(0)
            for sub, description in subcommands(help_of(env, words)):
                entry = ([*words, sub], description)
                pages.append(entry)
                queue.append(entry)
        names = ['-'.join(['smtpspec', *w]) for w, _ in pages]
        written = {write_page(env, args, version, w, d, names) for w, d in pages}
    for old in glob.glob(os.path.join(args.out, 'smtpspec*.1')):
        if old not in written:
            os.remove(old)
    print(f'gen_man: {len(written)} man pages in {args.out}')


if __name__ == '__main__':
    main()
