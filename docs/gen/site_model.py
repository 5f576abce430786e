# smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
# SPDX-License-Identifier: MIT
"""The session model on the site: profiles, state diagrams (SVG) and their diff.

Everything comes from `smtpspec model` (the explorer over model::step); the
diagrams are its Graphviz DOT rendered with dot. When the smtpspec being
documented has no model command, the page says so instead.
"""
import os
import re
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
    """Draw the graph twice: scaled to the page width for the page, and at full size
    (NAME-full.svg in the extra folder, copied beside the HTML) to open on its own."""
    extra = os.path.join(os.path.dirname(os.path.dirname(svg_path)), 'extra')
    full = os.path.join(extra, os.path.basename(svg_path)[:-len('.svg')] + '-full.svg')
    with tempfile.NamedTemporaryFile('w', suffix='.dot', delete=False) as f:
        f.write(dot_text)
        source = f.name
    try:
        # -Gsize: scale a wide graph down to the width of a page (10 in, 960 px).
        for size, path in ((['-Gsize=10,100'], svg_path), ([], full)):
            done = subprocess.run([dot, '-Tsvg', *size, source, '-o', path],
                                  capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise SystemExit(f'gen_site: dot failed on {path}: {done.stderr.strip()}')
    finally:
        os.remove(source)


def picture(svg, caption):
    """The page's lines showing a rendered graph, with a link to its full size."""
    full = svg[:-len('.svg')] + '-full.svg'
    return [f'\\image html {svg} "{caption}"', '',
            f'<a href="{full}">Open the diagram at full size</a>.', '']


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
              f'pictures readable ({code("--dot-all")} draws them).', '']
    for name in PROFILES:
        svg = f'state-{name}.svg'
        out = explore_to_svg(smtpspec, dot, ['explore', '--profile', name],
                             os.path.join(images_dir, svg))
        lines += [f'## Profile {name}', '']
        lines += picture(svg, f'The session states of profile {name}')
        lines += ['What the explorer reports:', '']
        lines += report_block(out)
    svg = 'state-diff.svg'
    out = explore_to_svg(smtpspec, dot, ['diff', *PROFILES], os.path.join(images_dir, svg))
    lines += ['## What differs between the profiles', '']
    lines += picture(svg, 'Transitions only in one of rfc5321 and rfc5321bis')
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


def switch_diff(smtpspec, dot, images_dir, switch, profile_values):
    """`model diff` of rfc5321 against itself with the switch flipped: (text, SVG name)."""
    current = profile_values.get('rfc5321', {}).get(switch)
    if current not in ('true', 'false'):
        return None, None
    flipped = 'false' if current == 'true' else 'true'
    svg = f'switch-{switch}.svg'
    out = explore_to_svg(smtpspec, dot, ['diff', 'rfc5321', 'rfc5321', '--set-b',
                                         f'{switch}={flipped}'], os.path.join(images_dir, svg))
    return '\n'.join(line for line in out.splitlines()
                     if not line.startswith('graph written')), svg


# The commands whose transitions a section governs (4.1.1.x: one command each;
# 3.3: the mail transaction). Section 4.1.4, the order of commands, gets the
# whole graph. explain keeps the same verb-to-section table in C++.
SECTION_VERBS = {
    '3.3': ('MAIL', 'RCPT', 'DATA'), '4.1.1.1': ('EHLO', 'HELO'), '4.1.1.2': ('MAIL',),
    '4.1.1.3': ('RCPT',), '4.1.1.4': ('DATA',), '4.1.1.5': ('RSET',), '4.1.1.6': ('VRFY',),
    '4.1.1.7': ('EXPN',), '4.1.1.8': ('HELP',), '4.1.1.9': ('NOOP',), '4.1.1.10': ('QUIT',),
    '4.1.4': (),
}
EDGE = re.compile(r'^\s*(\w+)\s*->\s*(\w+)\s*\[label="((?:[^"\\]|\\.)*)"')
NODE = re.compile(r'^\s*(\w+)\s*\[')


def filter_dot(dot_text, verbs):
    """The graph with only the edges whose label names one of the verbs (all if none)."""
    edges, nodes, head, used = [], {}, [], set()
    for line in dot_text.splitlines():
        e = EDGE.match(line)
        if e:
            labels = re.split(r'\\n|\n', e.group(3))
            keep = [x for x in labels if not verbs or x.split(' ')[:1][0] in verbs]
            if keep:
                edges.append(line.replace(e.group(3), '\\n'.join(keep), 1))
                used.update((e.group(1), e.group(2)))
            continue
        n = NODE.match(line)
        if n and n.group(1) not in ('graph', 'node', 'edge'):
            nodes[n.group(1)] = line
        elif line.strip() != '}':
            head.append(line)
    if not edges:
        return None
    return '\n'.join(head + [nodes[n] for n in nodes if n in used] + edges + ['}']) + '\n'


def section_diagrams(smtpspec, dot, images_dir):
    """{section: svg file name} of the sections whose commands the model has edges for."""
    if not has_model(smtpspec):
        return {}
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        dot_file = os.path.join(tmp, 'all.dot')
        rc, _, err = cli(smtpspec, 'model', 'explore', '--profile', 'rfc5321', '--dot-all',
                         '--dot', dot_file)
        if rc not in (0, 1) or not os.path.exists(dot_file):
            raise SystemExit(f'gen_site: smtpspec model explore --dot-all exited with {rc}: '
                             f'{err.strip()}')
        with open(dot_file, encoding='utf-8') as f:
            whole = f.read()
    for section, verbs in SECTION_VERBS.items():
        text_of_graph = filter_dot(whole, verbs) if verbs else None
        name = f"transitions-{section.replace('.', '_')}.svg"
        if verbs and text_of_graph:
            render(dot, text_of_graph, os.path.join(images_dir, name))
            out[section] = name
        elif not verbs:
            out[section] = 'state-rfc5321.svg'
    return out
