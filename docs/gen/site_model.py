# smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
# SPDX-License-Identifier: MIT
"""The session model on the site: profiles, state diagrams (SVG) and their diff.

Everything comes from `smtpspec model` (the explorer over model::step); the
diagrams are its Graphviz DOT rendered with dot. When the smtpspec being
documented has no model command, the page says so instead.
"""
import os
import subprocess
import tempfile

from markdown import HEADER, code, issue_ref, table, text

PROFILES = ('rfc5321', 'rfc5321bis')


def cli(smtpspec, *args):
    """(exit code, stdout, stderr) of the CLI; exit 1 of explore means "invariant broken"."""
    done = subprocess.run([smtpspec, *args], capture_output=True, text=True, check=False)
    return done.returncode, done.stdout, done.stderr


def has_model(smtpspec):
    """Whether the main help lists a model subcommand (older builds lack it)."""
    rc, out, _ = cli(smtpspec, '--help')
    return rc == 0 and any(line.split()[:1] == ['model'] for line in out.splitlines())


def profiles(smtpspec):
    """{profile: {switch: value}} from `smtpspec model profiles`, or {} without it."""
    if not has_model(smtpspec):
        return {}
    rc, out, err = cli(smtpspec, 'model', 'profiles')
    if rc != 0:
        raise SystemExit(f'gen_site: smtpspec model profiles exited with {rc}: {err.strip()}')
    lines = out.splitlines()
    names = lines[0].split()[1:1 + len(PROFILES)]
    result = {n: {} for n in names}
    for line in lines[1:]:
        words = line.split()
        if len(words) > len(names):
            for i, n in enumerate(names):
                result[n][words[0]] = words[1 + i]
    return result


def render(dot, dot_text, svg_path):
    with tempfile.NamedTemporaryFile('w', suffix='.dot', delete=False) as f:
        f.write(dot_text)
        source = f.name
    try:
        done = subprocess.run([dot, '-Tsvg', source, '-o', svg_path], capture_output=True,
                              text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f'gen_site: dot failed on {svg_path}: {done.stderr.strip()}')
    finally:
        os.remove(source)


def explore_to_svg(smtpspec, dot, args, svg_path):
    """Run explore/diff with --dot, render the SVG; return the command's text report."""
    with tempfile.TemporaryDirectory() as tmp:
        dot_file = os.path.join(tmp, 'graph.dot')
        rc, out, err = cli(smtpspec, 'model', *args, '--dot', dot_file)
        if rc not in (0, 1) or not os.path.exists(dot_file):
            raise SystemExit(f'gen_site: smtpspec model {" ".join(args)} exited with {rc}: '
                             f'{err.strip()}')
        with open(dot_file, encoding='utf-8') as f:
            render(dot, f.read(), svg_path)
    return out.replace(dot_file, os.path.basename(svg_path))


def report_block(out):
    return ['```'] + [line for line in out.splitlines() if not line.startswith('graph written')] \
        + ['```', '']


def state_diagrams_page(smtpspec, dot, images_dir, site):
    lines = ['# State diagrams {#state_diagrams}', '', HEADER, '']
    if not has_model(smtpspec):
        return '\n'.join(lines + ['The smtpspec built here has no `model` command, so the '
                                  'state diagrams of the session model are not drawn.', ''])
    lines += ['The session model (model::step) explored state by state by '
              f'{code("smtpspec model explore")}, for each built-in profile, and drawn with '
              'Graphviz. Self-loops, 421 replies and disconnects are left out to keep the '
              'pictures readable (the explorer\'s --dot-all draws them).', '']
    for name in PROFILES:
        svg = f'state-{name}.svg'
        out = explore_to_svg(smtpspec, dot, ['explore', '--profile', name],
                             os.path.join(images_dir, svg))
        lines += [f'## Profile {name}', '', f'\\image html {svg} "The session states of '
                  f'profile {name}"', '', 'What the explorer reports:', '']
        lines += report_block(out)
    svg = 'state-diff.svg'
    out = explore_to_svg(smtpspec, dot, ['diff', *PROFILES], os.path.join(images_dir, svg))
    lines += ['## What differs between the profiles', '',
              f'\\image html {svg} "Transitions only in one of rfc5321 and rfc5321bis"', '']
    lines += report_block(out)
    values = profiles(smtpspec)
    if values:
        switches = sorted(set().union(*(v.keys() for v in values.values())))
        by_switch = {w['switch']: w['number'] for w in site.issues if w['switch']}
        lines += ['## The switches of each profile', '']
        lines += table(['Switch'] + [code(n) for n in values] + ['WG issue'],
                       [[code(s)] + [text(values[n].get(s, '-')) for n in values] +
                        [issue_ref(by_switch[s]) if s in by_switch else '-']
                        for s in switches])
    return '\n'.join(lines)


def switch_diff(smtpspec, switch, profile_values):
    """`model diff` of rfc5321 against itself with the switch flipped, as text."""
    current = profile_values.get('rfc5321', {}).get(switch)
    if current not in ('true', 'false'):
        return None
    flipped = 'false' if current == 'true' else 'true'
    rc, out, err = cli(smtpspec, 'model', 'diff', 'rfc5321', 'rfc5321',
                       '--set-b', f'{switch}={flipped}')
    if rc not in (0, 1):
        raise SystemExit(f'gen_site: smtpspec model diff for {switch} exited with {rc}: '
                         f'{err.strip()}')
    return out
