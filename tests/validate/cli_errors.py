#!/usr/bin/python3
# smtpspec: exit statuses and messages of `smtpspec probe` and
# `smtpspec dialogue run` when the target is absent, silent, or named wrongly.
# SPDX-License-Identifier: MIT
"""Bad targets and bad report paths give one clear message and the right status.

No server is started: the targets are a loopback port with nothing listening
and a loopback socket this script listens on and never writes to (the kernel
completes the connection; nothing greets). Both are closed before exiting.
"""
import argparse
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

TIMEOUT = 60  # seconds any one command may take (each should take about 1 s)


def closed_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def run(smtpspec, *args):
    done = subprocess.run([smtpspec, *args], capture_output=True, text=True,
                          timeout=TIMEOUT, stdin=subprocess.DEVNULL, check=False)
    return done.returncode, done.stdout, done.stderr


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--smtpspec', required=True)
    smtpspec = parser.parse_args().smtpspec
    failures = []

    def check(what, condition, detail):
        print(f"{'ok  ' if condition else 'FAIL'} {what}")
        if not condition:
            failures.append(f'{what}: {detail}')

    nobody = f'127.0.0.1:{closed_port()}'
    status, out, err = run(smtpspec, 'probe', nobody)
    check('probe: nothing listening exits 3', status == 3, (status, err))
    check('probe: one connection tried, no per-case line',
          'ERROR' not in out and out.count('\n') == 2, out)
    check('probe: the reason names the target',
          f'cannot connect to {nobody}: Connection refused' in err, err)

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind(('127.0.0.1', 0))
        silent.listen(16)
        target = f'127.0.0.1:{silent.getsockname()[1]}'
        status, out, err = run(smtpspec, 'probe', target, '--timeout', '0.3')
        check('probe: a server that never greets exits 4', status == 4, (status, err))
        check('probe: says no greeting came',
              f'no case run: {target} accepted the connection but sent no greeting within '
              '300 ms' in err, err)

    with tempfile.TemporaryDirectory() as tmp:
        missing = Path(tmp) / 'no-such-folder' / 'report.json'
        status, out, err = run(smtpspec, 'probe', nobody, '--json', str(missing))
        check('probe: an unwritable report path exits 2 before connecting',
              status == 2 and 'probing' not in out, (status, out))
        check('probe: names the report path', f'cannot open {missing} for writing' in err, err)

        script = Path(tmp) / 'noop.dialogue'
        script.write_text('expect 220\nC: NOOP\nexpect 250\n', encoding='ascii')
        status, out, err = run(smtpspec, 'dialogue', 'run', str(script), '--server',
                               'localhost:25')
        check('dialogue: a host name exits 2', status == 2, (status, err))
        check('dialogue: says a numeric address is needed',
              '--server needs a numeric address' in err, err)
        status, out, err = run(smtpspec, 'dialogue', 'run', str(script), '--server', nobody)
        check('dialogue: nothing listening exits 3', status == 3, (status, err))
        check('dialogue: names the script line and the target',
              f'{script}:1: cannot connect to {nobody}' in err, err)

    status, out, err = run(smtpspec, 'probe', nobody, '--tls', 'both',
                           '--cases', 'rfc5321/4.1.1.9/1,rfc3207/4.2/1')
    check('probe: --tls both counts the runs', 'with 2 case(s) (3 runs: in clear, then over TLS)'
          in out, out)

    for f in failures:
        print(f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
