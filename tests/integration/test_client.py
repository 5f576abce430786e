# smtpspec: the reference client's extensions against real servers on loopback.
# SPDX-License-Identifier: MIT
"""`smtpspec send` and `smtpspec queue run` against real servers.

Each case starts its own servers on 127.0.0.1 (port chosen at run time) and
stops them by PID: the reference server (`smtpspec serve`), Postfix's
smtp-sink, or a scripted TLS server in this process (known fault B09). Case
names carry the known-fault ids they test.

Usage: test_client.py --case NAME --smtpspec BIN --workdir DIR
"""

import argparse
import os
import signal
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

import smtpharness as h

SMTP_SINK = Path("/usr/sbin/smtp-sink")
MESSAGE = b"Subject: client test\n\nline one\n.dot line\n..two dots\nlast\n"
UTF8_RCPT = "d\u00f6rte@example.org"


def send(args, port, extra=(), recipients=(h.RECIPIENT,), message=MESSAGE):
    path = args.workdir / "message.eml"
    path.write_bytes(message)
    result = h.smtpspec_send(args.smtpspec, h.LOOPBACK, port, path, recipients=recipients,
                             extra=list(extra))
    (args.workdir / "send.trace").write_bytes(result.stdout + b"\n--- stderr\n" + result.stderr)
    return result, result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8",
                                                                               "replace")


def expect_exit(result, code, out, err):
    if result.returncode != code:
        raise h.TestFailure(f"smtpspec send exited {result.returncode}, expected {code}:\n"
                            f"{out[-1500:]}\n{err[-800:]}")


def client_lines(trace):
    """The commands of the client in a text trace ("C: ..." lines)."""
    return [line for line in trace.splitlines() if " C: " in line or line.startswith("C: ")]


def reference_server(args, extra=()):
    server, maildir = h.smtpspec_server(args.smtpspec, args.workdir)
    # --no-tls and --tls-dir are refused together.
    tls = [] if "--no-tls" in extra else ["--tls-dir", str(args.workdir / "tls")]
    server.argv += tls + list(extra)
    return server, maildir


def expect_stored(maildir, before):
    """The new message in the Maildir is MESSAGE in wire form, byte for byte."""
    name = maildir.wait_new_file(before)
    _, body = h.split_trace(maildir.read(name))
    if body != h.wire_form(MESSAGE):
        raise h.TestFailure(f"stored {body!r}, expected {h.wire_form(MESSAGE)!r}")


def case_starttls_required_verified(args):
    server, maildir = reference_server(args)
    with server:
        before = set(maildir.names())
        result, out, err = send(args, server.port, [
            "--tls", "required", "--tls-ca", str(args.workdir / "tls" / "cert.pem"),
            "--tls-name", h.SERVER_NAME])
        expect_exit(result, 0, out, err)
        if "certificate verified" not in out:
            raise h.TestFailure(f"no verified TLS in the trace:\n{out[-1500:]}")
        expect_stored(maildir, before)


def case_starttls_required_untrusted_B10(args):
    server, _ = reference_server(args)
    with server:
        result, out, err = send(args, server.port, ["--tls", "required"])
        expect_exit(result, 3, out, err)
        if "MAIL FROM" in out or "handshake failed" not in out:
            raise h.TestFailure(f"expected a failed handshake and no MAIL:\n{out[-1500:]}")


def case_starttls_required_not_offered_B10(args):
    server, _ = reference_server(args, ["--no-tls"])
    with server:
        result, out, err = send(args, server.port, ["--tls", "required"])
        expect_exit(result, 3, out, err)
        commands = client_lines(out)
        if any("MAIL FROM" in c for c in commands) or "does not offer STARTTLS" not in out:
            raise h.TestFailure(f"MAIL sent in plain text, or no reason given:\n{out[-1500:]}")
        if not commands or "QUIT" not in commands[-1]:
            raise h.TestFailure(f"the client did not end with QUIT: {commands}")


def case_starttls_opportunistic_reference(args):
    server, maildir = reference_server(args)
    with server:
        before = set(maildir.names())
        result, out, err = send(args, server.port)
        expect_exit(result, 0, out, err)
        if "not verified" not in out:
            raise h.TestFailure(f"opportunistic TLS not used:\n{out[-1500:]}")
        expect_stored(maildir, before)


class InjectingTlsServer:
    """Answers STARTTLS with 220 plus injected lines in one write (B09), then
    runs TLS and a normal dialogue; records what the client sent."""

    def __init__(self, workdir):
        cert, key = workdir / "b09-cert.pem", workdir / "b09-key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-keyout", str(key), "-out",
                        str(cert), "-days", "2", "-subj", "/CN=mx.test"],
                       check=True, capture_output=True, timeout=60)
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert, key)
        self.listener = socket.socket()
        self.listener.bind((h.LOOPBACK, 0))
        self.listener.listen(1)
        self.listener.settimeout(30)
        self.port = self.listener.getsockname()[1]
        self.clear, self.secure, self.error, self.buf = [], [], None, b""
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def line(self, conn, into):
        """One line (without CRLF) into the list; None when the peer closed."""
        while b"\r\n" not in self.buf:
            chunk = conn.recv(4096)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        into.append(line.decode("utf-8", "replace"))
        return line

    def run(self):
        try:
            conn, _ = self.listener.accept()
            conn.settimeout(20)
            conn.sendall(b"220 mx.test ESMTP\r\n")
            self.line(conn, self.clear)
            conn.sendall(b"250-mx.test\r\n250 STARTTLS\r\n")
            if self.line(conn, self.clear) is None:
                return
            conn.sendall(b"220 2.0.0 go ahead\r\n250-mx.example.org\r\n250 AUTH PLAIN\r\n")
            try:
                tls = self.context.wrap_socket(conn, server_side=True)
            except (ssl.SSLError, OSError) as error:
                self.error = f"handshake: {error}"
                return
            replies = {b"EHLO": b"250-mx.test\r\n250 SIZE 100000\r\n", b"MAIL": b"250 ok\r\n",
                       b"RCPT": b"250 ok\r\n", b"DATA": b"354 go\r\n", b"QUIT": b"221 bye\r\n"}
            in_data = False
            while True:
                line = self.line(tls, self.secure)
                if line is None:
                    return
                if in_data:
                    if line == b".":
                        in_data = False
                        tls.sendall(b"250 stored\r\n")
                    continue
                tls.sendall(replies.get(line[:4].upper(), b"500 what\r\n"))
                in_data = line.upper() == b"DATA"
                if line.upper() == b"QUIT":
                    return
        except (OSError, ssl.SSLError) as error:
            self.error = str(error)
        finally:
            self.listener.close()


def case_starttls_injection_B09(args):
    server = InjectingTlsServer(args.workdir)
    result, out, err = send(args, server.port, ["--tls", "opportunistic"])
    server.thread.join(timeout=60)
    if [c for c in server.clear if not c.startswith(("EHLO", "STARTTLS"))]:
        raise h.TestFailure(f"commands in clear after STARTTLS: {server.clear}")
    if server.error and server.error.startswith("handshake"):
        # The injected octets reached the TLS layer: the client aborted. Allowed by B09.
        expect_exit(result, 3, out, err)
        return
    expect_exit(result, 0, out, err)
    if not server.secure or not server.secure[0].startswith("EHLO"):
        raise h.TestFailure(f"first command under TLS is not EHLO: {server.secure[:3]}")
    mail = [c for c in server.secure if c.startswith("MAIL")]
    if not mail or " SIZE=" not in mail[0]:
        raise h.TestFailure(f"MAIL did not use the post-TLS capabilities: {mail}")
    if "known fault B09" not in out:
        raise h.TestFailure(f"the dropped octets are not in the trace:\n{out[-1500:]}")


def case_size_refused(args):
    server, _ = reference_server(args, ["--max-size", "40"])
    with server:
        result, out, err = send(args, server.port)
        expect_exit(result, 1, out, err)
        if "RFC 1870" not in out or "MAIL FROM" in out:
            raise h.TestFailure(f"expected a refusal citing RFC 1870, no MAIL:\n{out[-1500:]}")


def case_bdat_reference(args):
    server, maildir = reference_server(args)
    with server:
        before = set(maildir.names())
        result, out, err = send(args, server.port, ["--bdat", "--chunk-size", "16"])
        expect_exit(result, 0, out, err)
        if "BDAT 16" not in out or "LAST" not in out:
            raise h.TestFailure(f"no 16-octet chunk or no LAST:\n{out[-1500:]}")
        expect_stored(maildir, before)


def case_dsn_reference(args):
    server, maildir = reference_server(args)
    with server:
        before = set(maildir.names())
        result, out, err = send(args, server.port, [
            "--notify", "success,failure", "--ret", "hdrs", "--envid", "q+1 x", "--orcpt"])
        expect_exit(result, 0, out, err)
        for text in ("RET=HDRS ENVID=q+2B1+20x", "NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;"):
            if text not in out:
                raise h.TestFailure(f"{text!r} not in the trace:\n{out[-1500:]}")
        expect_stored(maildir, before)


def case_smtputf8_refused(args):
    server, _ = reference_server(args, ["--no-tls", "--no-smtputf8"])
    with server:
        result, out, err = send(args, server.port, recipients=(UTF8_RCPT,))
        expect_exit(result, 1, out, err)
        if "SMTPUTF8" not in out or "MAIL FROM" in out:
            raise h.TestFailure(f"expected a refusal naming SMTPUTF8:\n{out[-1500:]}")


def free_port():
    with socket.socket() as s:
        s.bind((h.LOOPBACK, 0))
        return s.getsockname()[1]


def case_smtp_sink_extensions(args):
    h.require_path(SMTP_SINK, "postfix")
    port = free_port()
    sink = subprocess.Popen([str(SMTP_SINK), "-u", "nobody", "-h", "sink.test",
                             f"{h.LOOPBACK}:{port}", "10"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection((h.LOOPBACK, port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise h.TestFailure("smtp-sink did not listen")
                time.sleep(0.1)
        # This smtp-sink offers DSN and PIPELINING, not CHUNKING or SMTPUTF8.
        result, out, err = send(args, port, ["--bdat", "--notify", "FAILURE", "--orcpt"])
        expect_exit(result, 0, out, err)
        for text in ("NOTIFY=FAILURE ORCPT=rfc822;rcpt@example.org",
                     "does not offer CHUNKING: DATA is used"):
            if text not in out:
                raise h.TestFailure(f"{text!r} not in the trace:\n{out[-1500:]}")
        result, out, err = send(args, port, recipients=(UTF8_RCPT,))
        expect_exit(result, 1, out, err)
        if "SMTPUTF8" not in err or "MAIL FROM" in out:
            raise h.TestFailure(f"UTF-8 address sent to a server without SMTPUTF8:\n{out}")
    finally:
        if sink.poll() is None:
            os.kill(sink.pid, signal.SIGTERM)
            sink.wait(timeout=10)


def run_queue(args, queue, port, now):
    argv = [str(args.smtpspec), "queue", "run", str(queue), "--server",
            f"{h.LOOPBACK}:{port}", "--now", str(now), "--helo", h.CLIENT_NAME]
    return subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)


def case_queue_retry(args):
    queue = args.workdir / "queue"
    dead = free_port()  # Nothing listens here: a connection failure (4.5.4.1).
    result, out, err = send(args, dead, ["--queue", str(queue)])
    expect_exit(result, 3, out, err)
    envs = sorted(queue.glob("*.env"))
    if len(envs) != 1:
        raise h.TestFailure(f"expected one queued entry, found {envs}")
    created = int(envs[0].name.split(".")[0])
    server, maildir = reference_server(args)
    with server:
        before = set(maildir.names())
        early = run_queue(args, queue, server.port, created + 60)
        if early.returncode != 3 or b"tried=0" not in early.stderr:
            raise h.TestFailure(f"a run before the retry time tried something: {early.stderr!r}")
        late = run_queue(args, queue, server.port, created + 1800)
        if late.returncode != 0 or b"delivered=1" not in late.stderr:
            raise h.TestFailure(f"queue run: exit {late.returncode}: {late.stderr[-800:]!r}")
        if list(queue.iterdir()):
            raise h.TestFailure(f"queue not empty: {list(queue.iterdir())}")
        expect_stored(maildir, before)


def smtpspec(args, *argv):
    """Run smtpspec with these arguments; return (CompletedProcess, stdout, stderr)."""
    result = subprocess.run([str(args.smtpspec), *map(str, argv)], stdin=subprocess.DEVNULL,
                            capture_output=True, timeout=120, check=False)
    return (result, result.stdout.decode("utf-8", "replace"),
            result.stderr.decode("utf-8", "replace"))


def expect_line(text, line):
    """@p line is one whole line of @p text."""
    if line not in text.splitlines():
        raise h.TestFailure(f"no line {line!r} in:\n{text[-1500:]}")


def case_queue_missing_folder(args):
    """queue run and queue list never create the folder: a typo is exit 2."""
    missing = args.workdir / "no-such-queue"
    dead = free_port()
    for argv in (["queue", "run", missing, "--server", f"{h.LOOPBACK}:{dead}"],
                 ["queue", "list", missing]):
        result, out, err = smtpspec(args, *argv)
        expect_exit(result, 2, out, err)
        expect_line(err, f"smtpspec: no such queue folder: {missing}")
        if missing.exists():
            raise h.TestFailure(f"{argv[:2]} created {missing}")
    # send --queue creates a missing folder, but a file in its place is an
    # error before anything connects (exit 2, not 3).
    not_folder = args.workdir / "a-file"
    not_folder.write_bytes(b"x")
    result, out, err = send(args, dead, ["--queue", str(not_folder)])
    expect_exit(result, 2, out, err)
    expect_line(err, f"--queue: not a queue folder (not a directory): {not_folder}")
    if out:
        raise h.TestFailure(f"the client connected: {out!r}")


def case_queue_damaged_entry(args):
    """One damaged entry is named with file and line, skipped and kept; the
    other entries are listed and delivered; the exit status is 4."""
    queue = args.workdir / "queue"
    result, out, err = send(args, free_port(), ["--queue", str(queue)])
    expect_exit(result, 3, out, err)
    good = sorted(queue.glob("*.env"))
    if len(good) != 1:
        raise h.TestFailure(f"expected one queued entry, found {good}")
    bad = queue / "bad.env"
    # A NUL, a terminal escape sequence and an octet that is no UTF-8 reach
    # the terminal escaped, never raw.
    damage = b"garbage\x00\x1b[2J\xff\n"
    bad.write_bytes(damage)
    complaint = (f'smtpspec: {bad}:1: unknown key "garbage\\x00\\x1B[2J\\xFF" '
                 f'(entry bad skipped and left in place)')

    result, out, err = smtpspec(args, "queue", "list", queue)
    expect_exit(result, 4, out, err)
    expect_line(err, complaint)
    if any(c in out + err for c in "\x00\x1b\ufffd"):
        raise h.TestFailure(f"raw octets of the damaged entry were echoed: {out + err!r}")
    if not out.startswith(good[0].stem + " from=<"):
        raise h.TestFailure(f"the good entry is not listed: {out!r}")

    created = int(good[0].name.split(".")[0])
    server, maildir = reference_server(args)
    with server:
        before = set(maildir.names())
        result, out, err = smtpspec(args, "queue", "run", queue, "--server",
                                    f"{h.LOOPBACK}:{server.port}", "--now", created + 1800,
                                    "--helo", h.CLIENT_NAME)
        expect_exit(result, 4, out, err)
        expect_line(err, complaint)
        if "event=queue_run tried=1 delivered=1 failed=0 deferred=0 notices=0 damaged=1" not in err:
            raise h.TestFailure(f"the good entry was not delivered:\n{err[-1500:]}")
        expect_stored(maildir, before)
    if sorted(p.name for p in queue.iterdir()) != ["bad.env"] or bad.read_bytes() != damage:
        raise h.TestFailure(f"the damaged entry was changed or lost: {list(queue.iterdir())}")


def case_tls_ca_missing(args):
    """A CA file that cannot be loaded is refused before connecting (exit 2,
    not 3): nothing listens on the port, so a connection would say so."""
    missing = args.workdir / "no-such-ca.pem"
    dead = free_port()
    queue = args.workdir / "queue"
    result, out, err = send(args, dead, ["--tls", "required", "--tls-ca", str(missing),
                                         "--queue", str(queue)])
    expect_exit(result, 2, out, err)
    expect_line(err, f"--tls-ca: cannot load the CA file {missing}: no such file")
    if out or queue.exists():
        raise h.TestFailure(f"the client went on: trace {out!r}, queue made: {queue.exists()}")
    # A file that holds no certificate: the message file.
    not_pem = args.workdir / "message.eml"
    result, out, err = send(args, dead, ["--tls", "required", "--tls-ca", str(not_pem)])
    expect_exit(result, 2, out, err)
    if f"--tls-ca: cannot load the CA file {not_pem} (no PEM certificate" not in err or out:
        raise h.TestFailure(f"a file without certificates was accepted:\n{out}\n{err}")
    # Flags that contradict each other.
    result, out, err = send(args, dead, ["--tls-ca", str(not_pem)])
    expect_exit(result, 2, out, err)
    expect_line(err, f"--tls-ca: the CA file {not_pem} is used only with --tls required "
                     f"(opportunistic TLS checks no certificate)")
    # --server skips the DNS: a --dns-server beside it is refused, not ignored.
    result, out, err = send(args, dead, ["--dns-server", "127.0.0.1:53"])
    expect_exit(result, 2, out, err)
    expect_line(err, f"--dns-server: contradicts --server {h.LOOPBACK}:{dead}: with --server "
                     f"nothing is routed through the DNS; give one of them")
    # Values that cannot work: no time for a reply, a negative seed.
    for extra, line in ((["--timeout", "0"],
                         '--timeout: expected a whole number from 1 to 4294967295, got "0"'),
                        (["--connect-timeout", "0"],
                         '--connect-timeout: expected a whole number from 1 to 4294967295, '
                         'got "0"'),
                        (["--seed", "-1"],
                         '--seed: expected a whole number from 0 to 18446744073709551615, '
                         'got "-1"')):
        result, out, err = send(args, dead, extra)
        expect_exit(result, 2, out, err)
        expect_line(err, line)
        if out:
            raise h.TestFailure(f"{extra}: the client connected: {out!r}")
    # queue run checks the same before it reads the queue.
    queue.mkdir()
    result, out, err = smtpspec(args, "queue", "run", queue, "--server",
                                f"{h.LOOPBACK}:{dead}", "--tls", "required", "--tls-ca", missing)
    expect_exit(result, 2, out, err)
    expect_line(err, f"--tls-ca: cannot load the CA file {missing}: no such file")


def expect_refused(args, port, extra, line, argv=None):
    """`send` (or @p argv) with @p extra exits 2 with @p line on stderr and
    connects to nothing (no trace)."""
    if argv is None:
        result, out, err = send(args, port, extra)
    else:
        result, out, err = smtpspec(args, *argv, *extra)
    expect_exit(result, 2, out, err)
    expect_line(err, line)
    if out:
        raise h.TestFailure(f"{extra}: the client connected: {out!r}")


def case_send_bad_values(args):
    """Out-of-range numbers, a --tls-name that nothing would use, and an
    unreadable message file: exit 2, with the option or file and the reason,
    before anything connects (nothing listens on the port)."""
    dead = free_port()
    huge = "99999999999999999999"  # Over 2^64: never saturated to the largest value.
    for extra, line in (
            (["--max-targets", "0"], '--max-targets: expected a whole number from 2 to '
                                     '18446744073709551615, got "0"'),
            (["--max-targets", "1"], '--max-targets: expected a whole number from 2 to '
                                     '18446744073709551615, got "1"'),
            (["--bdat", "--chunk-size", huge], '--chunk-size: expected a whole number from 1 '
                                               f'to 4294967295, got "{huge}"'),
            (["--bdat", "--chunk-size", "0"], '--chunk-size: expected a whole number from 1 '
                                              'to 4294967295, got "0"'),
            (["--port", "70000"], '--port: expected a whole number from 1 to 65535, '
                                  'got "70000"'),
            (["--timeout", huge], '--timeout: expected a whole number from 1 to 4294967295, '
                                  f'got "{huge}"'),
            (["--tls", "none", "--tls-name", "mx.example"],
             '--tls-name: contradicts --tls none: no TLS is used, so no certificate is '
             'checked and no server name is sent'),
            (["--tls", "opportunistic", "--tls-name", "192.0.2.1"],
             '--tls-name: the address 192.0.2.1 is meaningful only with --tls required '
             '(opportunistic TLS checks no certificate, and an address is not sent as a '
             'server name)')):
        expect_refused(args, dead, extra, line)
    # The message file: the path and the system's reason.
    base = ["send", "--server", f"{h.LOOPBACK}:{dead}", "--from", h.SENDER, "--to",
            h.RECIPIENT]
    missing = args.workdir / "no-such-message"
    expect_refused(args, dead, [missing],
                   f"FILE: cannot read {missing}: No such file or directory", base)
    expect_refused(args, dead, [args.workdir],
                   f"FILE: cannot read {args.workdir}: Is a directory", base)
    # queue run: the same delivery options, and its own intervals.
    queue = args.workdir / "queue"
    queue.mkdir()
    run = ["queue", "run", queue, "--server", f"{h.LOOPBACK}:{dead}"]
    for extra, line in ((["--chunk-size", huge], '--chunk-size: expected a whole number from '
                                                 f'1 to 4294967295, got "{huge}"'),
                        (["--retry-interval", huge], '--retry-interval: expected a whole '
                                                     'number from 0 to 4294967295, got '
                                                     f'"{huge}"'),
                        (["--max-interval", "-1"], '--max-interval: expected a whole number '
                                                   'from 0 to 4294967295, got "-1"'),
                        (["--give-up", huge], '--give-up: expected a whole number from 0 to '
                                              f'4294967295, got "{huge}"')):
        expect_refused(args, dead, extra, line, run)


def case_send_names_the_address(args):
    """--server with a host name: the trace and the replies name the address
    connected to, HOST[ADDR]; the last address that fails is not followed by
    a "next address" that does not exist."""
    server, maildir = reference_server(args, ["--no-tls"])
    with server:
        before = set(maildir.names())
        path = args.workdir / "message.eml"
        path.write_bytes(MESSAGE)
        result, out, err = smtpspec(args, "send", "--server", f"localhost:{server.port}",
                                    "--from", h.SENDER, "--to", h.RECIPIENT, "--helo",
                                    h.CLIENT_NAME, path)
        expect_exit(result, 0, out, err)
        expect_stored(maildir, before)
    if "localhost[localhost]" in out + err:
        raise h.TestFailure(f"the host name is shown as its address:\n{out}\n{err}")
    if f"localhost[{h.LOOPBACK}] port {server.port}, preference 0" not in out:
        raise h.TestFailure(f"no attempt names localhost[{h.LOOPBACK}]:\n{out}")
    delivered = [line for line in err.splitlines()
                 if line.startswith(f"smtpspec: <{h.RECIPIENT}>: delivered: 250 ")]
    if len(delivered) != 1 or not delivered[0].endswith(f"(from localhost[{h.LOOPBACK}])"):
        raise h.TestFailure(f"the delivered line does not name the address:\n{err}")

    dead = free_port()
    result, out, err = send(args, dead)
    expect_exit(result, 3, out, err)
    where = f"{h.LOOPBACK}[{h.LOOPBACK}]"
    if f"attempt 1 of 1: {where} port {dead}" not in out:
        raise h.TestFailure(f"no attempt line:\n{out}")
    note = (f"cannot deliver to {where} (cannot connect to {h.LOOPBACK}:{dead}: Connection "
            f"refused): no address is left to try; the recipients are deferred")
    if note not in out or "next address" in out:
        raise h.TestFailure(f"the last attempt is not worded as the last:\n{out}")


def case_queue_entry_not_a_file(args):
    """A queue entry that is a folder is named as a folder, skipped and kept."""
    queue = args.workdir / "queue"
    queue.mkdir()
    (queue / "5.env").mkdir()
    result, out, err = smtpspec(args, "queue", "list", queue)
    expect_exit(result, 4, out, err)
    expect_line(err, f"smtpspec: {queue}/5.env: is a directory, not a queue entry file "
                     f"(entry 5 skipped and left in place)")
    if not (queue / "5.env").is_dir():
        raise h.TestFailure("the folder was removed")


def case_partial_delivery(args):
    """RCPT 1 250, RCPT 2 451, RCPT 3 550: each recipient gets its line with
    the reply, the summary counts all three, the queue keeps the 451."""
    server, maildir = reference_server(args, [
        "--no-tls", "--script-rule", "reply RCPT 451 2 try later",
        "--script-rule", "reply RCPT 550 3 no such user"])  # The server adds 4.0.0, 5.0.0.
    queue = args.workdir / "queue"
    rcpts = ("r1@example.org", "r2@example.org", "r3@example.org")
    with server:
        before = set(maildir.names())
        result, out, err = send(args, server.port, ["--queue", str(queue)], recipients=rcpts)
        expect_exit(result, 1, out, err)
        expect_stored(maildir, before)
    envs = sorted(queue.glob("*.env"))
    if len(envs) != 1:
        raise h.TestFailure(f"expected one queued entry, found {envs}")
    where = f"(from {h.LOOPBACK}[{h.LOOPBACK}])"
    reply = f"451 4.0.0 try later {where}"
    expect_line(err, f"smtpspec: <r2@example.org>: deferred: {reply}; queued in {queue} as "
                     f"{envs[0].stem}")
    expect_line(err, f"smtpspec: <r3@example.org>: failed: 550 5.0.0 no such user {where}")
    delivered = [line for line in err.splitlines()
                 if line.startswith("smtpspec: <r1@example.org>: delivered: 250 ")]
    if len(delivered) != 1 or not delivered[0].endswith(where):
        raise h.TestFailure(f"no delivered line for r1:\n{err}")
    expect_line(err, "smtpspec: not delivered to every recipient: 1 delivered, 1 deferred, "
                     "1 failed")
    env = envs[0].read_text().splitlines()
    if [line for line in env if line.startswith("to ")] != ["to <r2@example.org>"]:
        raise h.TestFailure(f"the queue holds the wrong recipients: {env}")
    expect_line("\n".join(env), f"error {reply}")


def case_starttls_opportunistic_fallback(args):
    """The server closes after its 220 to STARTTLS: under opportunistic TLS
    the client connects once more without STARTTLS and delivers in clear."""
    server, maildir = reference_server(args, ["--script-rule", "tls-failure"])
    with server:
        before = set(maildir.names())
        result, out, err = send(args, server.port, ["--tls", "opportunistic"])
        expect_exit(result, 0, out, err)
        expect_stored(maildir, before)
    commands = client_lines(out)
    starttls = [i for i, c in enumerate(commands) if "STARTTLS" in c]
    if len(starttls) != 1 or not any("MAIL FROM" in c for c in commands[starttls[0]:]):
        raise h.TestFailure(f"expected one STARTTLS, then MAIL on the new connection: {commands}")
    note = ("failed and TLS is only opportunistic: one new connection without STARTTLS; the "
            "message goes in clear")
    if note not in out or "rfc3207/4" not in out:
        raise h.TestFailure(f"the retry in clear is not in the trace:\n{out[-2000:]}")
    # Under --tls required the same server gets no mail (B10).
    server, maildir = reference_server(args, ["--script-rule", "tls-failure"])
    with server:
        result, out, err = send(args, server.port, ["--tls", "required", "--tls-insecure"])
        expect_exit(result, 3, out, err)
        if any("MAIL FROM" in c for c in client_lines(out)):
            raise h.TestFailure(f"MAIL sent in clear under --tls required:\n{out[-1500:]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", required=True)
    parser.add_argument("--smtpspec", required=True, type=Path)
    parser.add_argument("--workdir", required=True, type=Path)
    args = parser.parse_args()
    args.workdir = h.prepare_workdir(args.workdir)
    case = globals().get("case_" + args.case)
    if case is None:
        raise h.TestFailure(f"no case {args.case}")
    case(args)
    h.report(result="pass", case=args.case)


if __name__ == "__main__":
    h.run_main(main)
