#!/usr/bin/python3
# smtpspec: exit statuses and messages of `smtpspec probe` and
# `smtpspec dialogue run` when the target is absent, silent, or named wrongly.
# SPDX-License-Identifier: MIT
"""Bad targets and bad report paths give one clear message and the right status.

No server is started: the targets are a loopback port with nothing listening
and loopback sockets this script listens on: one never written to (the kernel
completes the connection; nothing greets), and small threads that close at
once, send a fixed banner and hold the socket, or greet with 554 or a 220
without STARTTLS and answer each line with a fixed reply. All are closed
before exiting.
"""
import argparse
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

TIMEOUT = 60  # seconds any one command may take (each should take about 1 s)


def closed_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Listener:
    """A loopback listener serving at most 8 connections, each for at most 10 s:
    it sends `greeting` (None closes at once), then answers every line with
    `reply` (or nothing), and closes after QUIT, or right after the greeting
    with close_after_greeting."""

    def __init__(self, greeting, reply=None, close_after_greeting=False):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(8)
        self.sock.settimeout(10)
        self.target = f'127.0.0.1:{self.sock.getsockname()[1]}'
        self.greeting, self.reply = greeting, reply
        self.close_after_greeting = close_after_greeting
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        for _ in range(8):
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                if self.greeting is None:
                    continue
                conn.settimeout(10)
                try:
                    conn.sendall(self.greeting)
                    if self.close_after_greeting:
                        continue
                    data = b''
                    while True:
                        chunk = conn.recv(4096)
                        if not chunk:
                            break
                        data += chunk
                        while b'\r\n' in data:
                            line, data = data.split(b'\r\n', 1)
                            if line.upper() == b'QUIT':
                                conn.sendall(b'221 bye\r\n')
                                raise ConnectionAbortedError
                            if self.reply is not None:
                                conn.sendall(self.reply(line))
                except OSError:
                    pass

    def close(self):
        self.sock.close()
        self.thread.join(timeout=15)


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
    check('probe: one connection tried, no per-case line and no summary',
          'ERROR' not in out and out.count('\n') == 1 and 'error' not in out, out)
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

    closer = Listener(None)
    status, out, err = run(smtpspec, 'probe', closer.target)
    closer.close()
    check('probe: a server that closes at once exits 4', status == 4, (status, err))
    check('probe: says it closed the connection without a greeting',
          f'no case run: {closer.target} closed the connection without a greeting' in err
          and 'End of file' not in err, err)

    for banner in (b'hello there\r\n', b'SSH-2.0-OpenSSH_9.2p1\r\n'):
        garbage = Listener(banner)
        started = time.monotonic()
        status, out, err = run(smtpspec, 'probe', garbage.target, '--timeout', '20')
        took = time.monotonic() - started
        garbage.close()
        first = banner.decode().strip()
        check(f'probe: a greeting "{first}" exits 4 at once (not after --timeout 20)',
              status == 4 and took < 10, (status, took, err))
        check(f'probe: says "{first}" is no SMTP reply',
              f'no case run: {garbage.target} is not an SMTP server: its first line "{first}"'
              in err and out.count('\n') == 1, (out, err))

    # A greeting whose line never ends (2.3.8: only CRLF ends a line) is
    # shown as received, not reported as silence or as a bare close.
    cut_off = ' without the CRLF that ends a reply line (RFC 5321 4.2, 2.3.8 R-2.3.8-1)'
    unended = Listener(b'220 hi')
    status, out, err = run(smtpspec, 'probe', unended.target, '--timeout', '0.3')
    unended.close()
    check('probe: a greeting without its CRLF exits 4', status == 4, (status, err))
    check('probe: shows the greeting octets that came before the timeout',
          f'no case run: {unended.target} sent no complete greeting within 300 ms, only '
          f'"220 hi"{cut_off}\n' in err and 'no greeting' not in err, err)
    closing = Listener(b'220-a\r\n220 b', close_after_greeting=True)
    status, out, err = run(smtpspec, 'probe', closing.target)
    closing.close()
    check('probe: a multi-line greeting cut off by a close exits 4', status == 4, (status, err))
    check('probe: shows the greeting octets that came before the close',
          f'no case run: {closing.target} closed the connection before its greeting was '
          f'complete, after "220-a\\r\\n220 b"{cut_off}\n' in err, err)

    refusing = Listener(b'554 5.7.1 no service\r\n', lambda line: b'503 5.5.1 no\r\n')
    status, out, err = run(smtpspec, 'probe', refusing.target)
    refusing.close()
    check('probe: a 554 greeting exits 5', status == 5, (status, err))
    check('probe: only the greeting case is graded',
          out.count('\n') == 2 and 'rfc5321/3.1/1' in out and out.split('\n')[1].startswith(
              'INFO'), out)
    check('probe: says the server refuses sessions',
          f'{refusing.target} refuses sessions: it greets with "554 5.7.1 no service" '
          '(RFC 5321 3.1);' in err and 'case(s) not run' in err, err)

    plain = Listener(b'220 plain.example ESMTP\r\n',
                     lambda line: (b'250-plain.example\r\n250 PIPELINING\r\n'
                                   if line.upper().startswith(b'EHLO') else b'250 OK\r\n'))
    status, out, err = run(smtpspec, 'probe', plain.target, '--tls', 'starttls')
    plain.close()
    check('probe: --tls starttls without STARTTLS offered exits 6', status == 6, (status, err))
    check('probe: says STARTTLS is not offered',
          f'--tls starttls, but {plain.target} does not offer STARTTLS' in err
          and out.count('\n') == 1, (out, err))

    with tempfile.TemporaryDirectory() as tmp:
        missing = Path(tmp) / 'no-such-folder' / 'report.json'
        status, out, err = run(smtpspec, 'probe', nobody, '--json', str(missing))
        check('probe: an unwritable report path exits 2 before connecting',
              status == 2 and 'probing' not in out, (status, out))
        check('probe: names the report path and the reason',
              f'cannot write {missing}: No such file or directory\n' in err, err)
        status, out, err = run(smtpspec, 'probe', nobody, '--html', tmp)
        check('probe: a folder as report path exits 2 before connecting',
              status == 2 and 'probing' not in out, (status, out))
        check('probe: says the report path is a folder',
              f'cannot write {tmp}: Is a directory\n' in err, err)

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
        # --timeout is whole seconds from 1 to 600: a sign, a fraction, a value
        # past 2^64 (never saturated) or out of range is refused before connecting.
        for value in ('0', '601', '-1', '0.5', 'nan', '99999999999999999999'):
            status, out, err = run(smtpspec, 'dialogue', 'run', str(script), '--server',
                                   nobody, '--timeout', value)
            want = f'--timeout: expected a whole number from 1 to 600, got "{value}"\n'
            check(f'dialogue: --timeout {value} exits 2 with the option, range and value',
                  status == 2 and out == '' and err.startswith(want), (status, out, err))
        status, out, err = run(smtpspec, 'dialogue', 'run', str(script), '--server', nobody,
                               '--timeout', '600')
        check('dialogue: --timeout 600 is taken (then nothing listens: exit 3)', status == 3,
              (status, err))

    status, out, err = run(smtpspec, 'probe', nobody, '--tls', 'both',
                           '--cases', 'rfc5321/4.1.1.9/1,rfc3207/4.2/1')
    check('probe: --tls both counts the runs', 'with 2 case(s) (3 runs: in clear, then over TLS)'
          in out, out)

    for f in failures:
        print(f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
