# smtpspec: the reference server's network shell on loopback: pipelined
# groups, STARTTLS with real TLS clients, connection limits.
# SPDX-License-Identifier: MIT
"""Network tests of `smtpspec serve`, one case per run (--case NAME).

Each case starts its own server on 127.0.0.1 with port 0 (--ready-file),
talks to it over loopback only, and stops it by its PID (SIGTERM). Every wait
is bounded.
"""

import argparse
import os
import select
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "integration"))

import smtpharness as h  # noqa: E402  (path set just above)

CLIENT_TIMEOUT = 30


def server(args, name, *extra):
    workdir = h.prepare_workdir(Path(args.workdir))
    srv, maildir = h.smtpspec_server(args.smtpspec, workdir, name=name)
    srv.argv += list(extra)
    return srv, maildir, workdir


def greet(conv):
    reply = conv.read_reply()
    if reply.code != 220:
        raise h.TestFailure(f"greeting: expected 220, got {reply}")
    return conv.expect(b"EHLO " + h.CLIENT_NAME.encode(), 250)


def keywords(reply):
    return [line[4:].split(b" ")[0].upper() for line in reply.lines[1:]]


# spec: rfc2920/3.2 test
def case_pipelining_one_write(args):
    """A group sent in one write gets all its replies, in order, in one read."""
    srv, maildir, _ = server(args, "pipelining")
    with srv, h.Conversation(srv.host, srv.port) as conv:
        ehlo = greet(conv)
        if b"PIPELINING" not in keywords(ehlo):
            raise h.TestFailure(f"PIPELINING not offered: {ehlo}")
        conv.send(b"MAIL FROM:<a@client.test>\r\nRCPT TO:<b@example.org>\r\n"
                  b"RCPT TO:<c@example.org>\r\nDATA\r\n")
        deadline = time.monotonic() + h.REPLY_TIMEOUT
        reads = 0
        while conv.buffer.count(b"\r\n") < 4:
            conv._fill(deadline)
            reads += 1
        got = [conv.read_reply().code for _ in range(4)]
        if got != [250, 250, 250, 354]:
            raise h.TestFailure(f"group replies: expected [250, 250, 250, 354], got {got}")
        if reads != 1:
            raise h.TestFailure(f"the four replies came in {reads} reads, not one write")
        before = maildir.names()
        conv.send(b"Subject: p\r\n\r\nbody\r\n.\r\nQUIT\r\n")
        got = [conv.read_reply().code for _ in range(2)]
        if got != [250, 221]:
            raise h.TestFailure(f"end of data + QUIT: expected [250, 221], got {got}")
        maildir.wait_new_file(before)
    h.report(case="pipelining_one_write", result="pass")


def tls_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


# Known fault B07. spec: rfc3207/4 test
def case_starttls_B07(args):
    """STARTTLS<CRLF>RSET<CRLF> in one segment: the RSET is never run."""
    srv, maildir, workdir = server(args, "starttls-b07")
    with srv, h.Conversation(srv.host, srv.port) as conv:
        ehlo = greet(conv)
        if b"STARTTLS" not in keywords(ehlo):
            raise h.TestFailure(f"STARTTLS not offered: {ehlo}")
        conv.expect(b"MAIL FROM:<a@client.test>", 250)
        conv.send(b"STARTTLS\r\nRSET\r\n")
        reply = conv.read_reply()
        if reply.code != 220:
            raise h.TestFailure(f"STARTTLS: expected 220, got {reply}")
        if conv.buffer:
            raise h.TestFailure(f"octets after the 220 in clear: {conv.buffer!r}")
        tls = tls_context().wrap_socket(conv.sock, server_hostname=h.SERVER_NAME)
        conv.sock = tls
        # Nothing may be pending: the RSET got no reply, before or after TLS.
        conv.expect_silence(0.3)
        ehlo = conv.expect(b"EHLO " + h.CLIENT_NAME.encode(), 250)
        if b"STARTTLS" in keywords(ehlo):
            raise h.TestFailure(f"STARTTLS offered again under TLS (RFC 3207 4.2): {ehlo}")
        # 4.2: the transaction opened in clear is gone, so DATA is out of sequence.
        reply = conv.command(b"DATA")
        if reply.code != 503:
            raise h.TestFailure(f"DATA after TLS without MAIL: expected 503, got {reply}")
        again = conv.command(b"STARTTLS")
        if again.code // 100 != 5:
            raise h.TestFailure(f"second STARTTLS: expected a 5yz, got {again}")
        conv.expect(b"MAIL FROM:<a@client.test>", 250)
        conv.expect(b"RCPT TO:<b@example.org>", 250)
        conv.expect(b"DATA", 354)
        before = maildir.names()
        conv.send(b"Subject: tls\r\n\r\nsecret\r\n.\r\n")
        reply = conv.read_reply()
        if reply.code != 250:
            raise h.TestFailure(f"end of data under TLS: expected 250, got {reply}")
        conv.expect(b"QUIT", 221)
        stored = maildir.read(maildir.wait_new_file(before))
        fields, _ = h.split_trace(stored)
        if b"with ESMTPS" not in fields[1]:
            raise h.TestFailure(f"Received does not say ESMTPS (RFC 3848): {fields[1]!r}")
    trace = (workdir / "starttls-b07.trace").read_text(errors="replace")
    if "RSET" in trace.split("STARTTLS", 1)[1].split("TLS established", 1)[0].replace(
            "dropped", ""):
        raise h.TestFailure("the trace shows the RSET as a command")
    h.report(case="starttls_B07", result="pass")


# Known fault B07, second half: the injected command arrives after the 220.
def case_starttls_late_injection_B07(args):
    srv, _, _ = server(args, "starttls-late")
    with srv, h.Conversation(srv.host, srv.port) as conv:
        greet(conv)
        reply = conv.command(b"STARTTLS")
        if reply.code != 220:
            raise h.TestFailure(f"STARTTLS: expected 220, got {reply}")
        # A clear-text command where the ClientHello belongs: the handshake
        # fails and the connection closes without an SMTP reply.
        conv.send(b"RSET\r\n")
        replies = conv.replies_until_close(timeout=10)
        if replies:
            raise h.TestFailure(f"replies to clear text after STARTTLS: {replies}")
    # The trace says why the session ended (after the server stopped, all of
    # it is written).
    trace = (srv.workdir / "starttls-late.trace").read_text()
    if "TLS handshake failed: " not in trace or "[rfc3207/4]" not in trace:
        raise h.TestFailure("the trace does not note the failed handshake:\n" + trace[-600:])
    h.report(case="starttls_late_injection_B07", result="pass")


# spec: 4.5.3.2 test
def case_starttls_silent_client(args):
    """A client silent after the 220 to STARTTLS is cut off after
    --idle-timeout, as a silent client would be, not after a fixed minute."""
    srv, _, _ = server(args, "starttls-silent", "--idle-timeout", "2")
    with srv, h.Conversation(srv.host, srv.port) as conv:
        greet(conv)
        if conv.command(b"STARTTLS").code != 220:
            raise h.TestFailure("STARTTLS: expected 220")
        started = time.monotonic()
        replies = conv.replies_until_close(timeout=15)
        waited = time.monotonic() - started
        if replies or not 1.5 <= waited <= 6:
            raise h.TestFailure(f"closed after {waited:.1f} s with {replies}, expected about 2 s")
    trace = (srv.workdir / "starttls-silent.trace").read_text()
    if "TLS handshake failed: timed out" not in trace:
        raise h.TestFailure("the trace does not say the handshake timed out:\n" + trace[-600:])
    h.report(case="starttls_silent_client", result="pass", closed_after_s=round(waited, 1))


def case_starttls_openssl(args):
    """openssl s_client -starttls smtp completes the handshake and gets a 250."""
    srv, _, workdir = server(args, "starttls-openssl")
    with srv:
        done = subprocess.run(
            ["openssl", "s_client", "-starttls", "smtp", "-connect", f"{srv.host}:{srv.port}",
             "-servername", h.SERVER_NAME, "-crlf", "-quiet"],
            input=b"EHLO client.test\nQUIT\n", capture_output=True, timeout=CLIENT_TIMEOUT)
        out = done.stdout
        (workdir / "openssl.out").write_bytes(out + b"\n--- stderr\n" + done.stderr)
        if b"250-" + h.SERVER_NAME.encode() not in out or b"221" not in out:
            raise h.TestFailure(f"openssl s_client: no EHLO/QUIT replies under TLS: {out!r} "
                                f"{done.stderr[-400:]!r}")
        if b"STARTTLS" in out:
            raise h.TestFailure(f"STARTTLS offered under TLS: {out!r}")
        cert = workdir / "tls" / "cert.pem"
        subject = subprocess.run(["openssl", "x509", "-noout", "-subject", "-in", str(cert)],
                                 capture_output=True, timeout=CLIENT_TIMEOUT).stdout
        if h.SERVER_NAME.encode() not in subject:
            raise h.TestFailure(f"generated certificate subject {subject!r} lacks the hostname")
        mode = os.stat(workdir / "tls" / "key.pem").st_mode & 0o777
        if mode != 0o600:
            raise h.TestFailure(f"generated key has mode {oct(mode)}, not 0600")
    h.report(case="starttls_openssl", result="pass")


def case_starttls_swaks(args):
    """swaks --tls delivers a message; it is stored with ESMTPS."""
    srv, maildir, workdir = server(args, "starttls-swaks")
    with srv:
        before = maildir.names()
        done = subprocess.run(
            ["swaks", "--server", srv.host, "--port", str(srv.port), "--tls",
             "--from", h.SENDER, "--to", h.RECIPIENT, "--helo", h.CLIENT_NAME,
             "--header", "Subject: swaks tls", "--body", "over TLS", "--timeout", "20"],
            capture_output=True, timeout=CLIENT_TIMEOUT)
        (workdir / "swaks.out").write_bytes(done.stdout + done.stderr)
        if done.returncode != 0:
            raise h.TestFailure(f"swaks --tls exited {done.returncode}: "
                                f"{done.stdout[-600:]!r}")
        fields, message = h.split_trace(maildir.read(maildir.wait_new_file(before)))
        if b"with ESMTPS" not in fields[1] or b"over TLS" not in message:
            raise h.TestFailure(f"stored message: {fields!r}")
    h.report(case="starttls_swaks", result="pass")


def case_configured_certificate(args):
    """--tls-cert/--tls-key are used as given (here: a pair made by openssl)."""
    workdir = h.prepare_workdir(Path(args.workdir))
    cert, key = workdir / "given-cert.pem", workdir / "given-key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=given.test", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=CLIENT_TIMEOUT)
    srv, _ = h.smtpspec_server(args.smtpspec, workdir, name="given-cert")
    srv.argv += ["--tls-cert", str(cert), "--tls-key", str(key)]
    with srv, h.Conversation(srv.host, srv.port) as conv:
        greet(conv)
        if conv.command(b"STARTTLS").code != 220:
            raise h.TestFailure("STARTTLS refused with a configured certificate")
        tls = tls_context().wrap_socket(conv.sock, server_hostname="given.test")
        peer = tls.getpeercert(binary_form=True)
        conv.sock = tls
        conv.expect(b"EHLO " + h.CLIENT_NAME.encode(), 250)
        conv.expect(b"QUIT", 221)
    der = subprocess.run(["openssl", "x509", "-outform", "DER", "-in", str(cert)],
                         capture_output=True, check=True, timeout=CLIENT_TIMEOUT).stdout
    if peer != der:
        raise h.TestFailure("the server did not present the configured certificate")
    if (workdir / "tls").exists():
        raise h.TestFailure("a certificate was generated although one was configured")
    h.report(case="configured_certificate", result="pass")


def case_discard_writes_nothing(args):
    """--discard keeps no mail and writes no file: its certificate is in memory."""
    workdir = h.prepare_workdir(Path(args.workdir))
    # No --maildir (refused with --discard): the default data/maildir, beside
    # which the certificate would go, is under the server's working folder.
    default_store = Path.cwd() / "data"
    had_default_store = default_store.exists()
    srv, _ = h.smtpspec_server(args.smtpspec, workdir, name="discard", discard=True)
    with srv, h.Conversation(srv.host, srv.port) as conv:
        greet(conv)
        conv.expect(b"STARTTLS", 220)
        tls = tls_context().wrap_socket(conv.sock, server_hostname=h.SERVER_NAME)
        der = tls.getpeercert(binary_form=True)
        conv.sock = tls
        conv.expect(b"EHLO " + h.CLIENT_NAME.encode(), 250)
        conv.expect(b"MAIL FROM:<a@client.test>", 250)
        conv.expect(b"RCPT TO:<b@example.org>", 250)
        conv.expect(b"DATA", 354)
        done = conv.expect(b"Subject: kept nowhere\r\n\r\nbody\r\n.", 250)
        said = done.lines[0].rstrip(b"\r\n")
        if said != b"250 2.0.0 Accepted and discarded (discarded-1): this server keeps nothing":
            raise h.TestFailure(f"the 250 of --discard should say nothing is kept: {done}")
        conv.expect(b"QUIT", 221)
    subject = subprocess.run(["openssl", "x509", "-inform", "DER", "-noout", "-subject"],
                             input=der, capture_output=True, check=True,
                             timeout=CLIENT_TIMEOUT).stdout.decode().strip()
    if subject != f"subject=CN = {h.SERVER_NAME}":
        raise h.TestFailure(f"the in-memory certificate's subject: {subject}")
    log = srv.log_file.read_text(errors="replace")
    if ' tls="in-memory"' not in log or 'store=discard' not in log:
        raise h.TestFailure(f"the listening line lacks store=discard and tls=\"in-memory\":\n{log}")
    written = sorted(p.name for p in workdir.iterdir()
                     if p.name not in {"discard.log", "discard.trace", "discard.ready"})
    if written or (default_store.exists() and not had_default_store):
        raise h.TestFailure(f"--discard wrote {written or [str(default_store)]}")
    h.report(case="discard_writes_nothing", result="pass")


def case_ready_file_through_link(args):
    """--ready-file naming a symbolic link writes the file the link names and
    leaves the link in place (renaming over it would replace it)."""
    workdir = h.prepare_workdir(Path(args.workdir))
    target, link = workdir / "ready-target", workdir / "ready-link"
    target.write_text("old\n")
    link.symlink_to(target)
    proc = subprocess.Popen([args.smtpspec, "serve", "--listen", "127.0.0.1:0", "--discard",
                             "--trace", "none", "--ready-file", str(link)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while target.read_text() == "old\n" and time.monotonic() < deadline:
            time.sleep(0.05)
        text = target.read_text()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    if not link.is_symlink():
        raise h.TestFailure("the ready file's symbolic link was replaced by a file")
    if not text.startswith("127.0.0.1:") or not text.endswith("\n"):
        raise h.TestFailure(f"the linked file holds {text!r}, not the address")
    if (workdir / "ready-link.tmp").exists() or (workdir / "ready-target.tmp").exists():
        raise h.TestFailure("a temporary ready file was left behind")
    h.report(case="ready_file_through_link", result="pass")


def case_no_tls(args):
    """--no-tls: STARTTLS is not offered, and the command gets 502 (not
    implemented here; 454 would say TLS is only unavailable for now)."""
    srv, _, _ = server(args, "no-tls", "--no-tls")
    with srv, h.Conversation(srv.host, srv.port) as conv:
        ehlo = greet(conv)
        if b"STARTTLS" in keywords(ehlo):
            raise h.TestFailure(f"STARTTLS offered with --no-tls: {ehlo}")
        reply = conv.command(b"STARTTLS")
        if reply.code != 502:
            raise h.TestFailure(f"STARTTLS with --no-tls: expected 502, got {reply}")
        conv.expect(b"NOOP", 250)
    h.report(case="no_tls", result="pass")


def case_config_file(args):
    """--config: the file's settings apply, options on the command line win,
    and a bad file stops the server with exit code 2 naming file, line, key."""
    workdir = h.prepare_workdir(Path(args.workdir))
    config = workdir / "serve.toml"
    config.write_text('# smtpspec serve settings\n'
                      'hostname = "from-file.test"\n'
                      '[tls]\n'
                      'enabled = false\n'
                      '[limits]\n'
                      'max_connections = 1\n')
    srv, _ = h.smtpspec_server(args.smtpspec, workdir, name="config")
    srv.argv += ["--config", str(config)]  # --hostname mx.test is on the command line too.
    with srv, h.Conversation(srv.host, srv.port) as conv:
        greeting = conv.read_reply()
        if not greeting.lines[0].startswith(b"220 " + h.SERVER_NAME.encode() + b" "):
            raise h.TestFailure(f"--hostname should override the file: {greeting}")
        ehlo = conv.expect(b"EHLO " + h.CLIENT_NAME.encode(), 250)
        if b"STARTTLS" in keywords(ehlo):
            raise h.TestFailure("STARTTLS offered although the file says [tls] enabled = false")
        with h.Conversation(srv.host, srv.port) as second:
            if h.codes(second.replies_until_close()) != [421]:
                raise h.TestFailure("[limits] max_connections = 1: a second session was served")
    bad = workdir / "bad.toml"
    bad.write_text('listen = "127.0.0.1:0"\n[limits]\nmax_conections = 5\n')
    run = subprocess.run([args.smtpspec, "serve", "--config", str(bad)], capture_output=True,
                         timeout=30, stdin=subprocess.DEVNULL)
    expected = (f'smtpspec: {bad}:3: key "limits.max_conections": unknown key (known in '
                '[limits]: max_size, max_buffered, max_connections, max_recipients, idle_timeout)\n').encode()
    if run.returncode != 2 or run.stderr != expected:
        raise h.TestFailure(f"bad file: expected exit 2 and {expected!r}, got {run.returncode} "
                            f"and {run.stderr!r}")
    h.report(case="config_file", result="pass")


# spec: 4.5.3.1.9 test
def case_memory_budget(args):
    """[limits] max_buffered: a message that finds no room among those held
    gets 452 4.3.1 at its end; the message holding the room is stored whole."""
    config = Path(args.workdir) / "serve.toml"
    srv, maildir, _ = server(args, "budget", "--config", str(config))  # Empties the folder.
    # A's 70 KiB fit alone; B's 100 KiB beside them cannot.
    config.write_text("[limits]\nmax_buffered = 150000\n")
    body_a = b"Subject: a\r\n\r\n" + (b"a" * 998 + b"\r\n") * 70
    body_b = b"Subject: b\r\n\r\n" + (b"b" * 998 + b"\r\n") * 100
    with srv, h.Conversation(srv.host, srv.port) as a, h.Conversation(srv.host, srv.port) as b:
        for conv in (a, b):
            greet(conv)
            conv.expect(b"MAIL FROM:<a@client.test>", 250)
            conv.expect(b"RCPT TO:<b@example.org>", 250)
            conv.expect(b"DATA", 354)
        a.send(body_a)
        time.sleep(1.0)  # A's 70 KiB are read and held before B's arrive.
        b.send(body_b)
        refused = b.command(b".")
        if refused.code != 452 or not refused.lines[0].startswith(b"452 4.3.1 "):
            raise h.TestFailure(f"B's message with A's held: expected 452 4.3.1, got {refused}")
        a.expect(b".", 250)
        b.expect(b"QUIT", 221)
        a.expect(b"QUIT", 221)
    names = maildir.names()
    if len(names) != 1:
        raise h.TestFailure(f"expected A's message alone in new/, found {names}")
    stored = maildir.read(next(iter(names)))
    if not stored.endswith(body_a) or b"Subject: b" in stored:
        raise h.TestFailure("new/ does not hold A's message, whole")
    log = srv.log_file.read_text(errors="replace")
    if " max_buffered=150000 " not in log:
        raise h.TestFailure(f"the listening line does not say max_buffered=150000:\n{log}")
    # The operator sees the refusal: B's session, with A's 70014 octets held.
    refusals = [x.split(" ", 1)[1] for x in log.splitlines() if " event=refused_for_memory " in x]
    expected = ("level=warning event=refused_for_memory session=2 reply=452 max_buffered=150000 "
                "held=70014")
    if refusals != [expected]:
        raise h.TestFailure(f"expected the log line\n  {expected}\ngot {refusals}")
    h.report(case="memory_budget", result="pass")


# spec: rfc3030/2 test
def case_bdat_split_writes(args):
    """BDAT chunks split over many writes are counted exactly and stored as sent."""
    srv, maildir, _ = server(args, "bdat")
    with srv, h.Conversation(srv.host, srv.port) as conv:
        ehlo = greet(conv)
        if b"CHUNKING" not in keywords(ehlo):
            raise h.TestFailure(f"CHUNKING not offered: {ehlo}")
        conv.expect(b"MAIL FROM:<a@client.test>", 250)
        conv.expect(b"RCPT TO:<b@example.org>", 250)
        body = b"Subject: bdat\r\n\r\n.\r\nline\nwith bare LF\r\n"
        wire = b"BDAT " + str(len(body)).encode() + b" LAST\r\n" + body
        before = maildir.names()
        for i in range(0, len(wire), 7):
            conv.send(wire[i:i + 7])
            time.sleep(0.01)
        reply = conv.read_reply()
        if reply.code != 250:
            raise h.TestFailure(f"BDAT LAST: expected 250, got {reply}")
        conv.expect(b"QUIT", 221)
        _, stored = h.split_trace(maildir.read(maildir.wait_new_file(before)))
        if stored != body:
            raise h.TestFailure(h.first_difference(body, stored))
    h.report(case="bdat_split_writes", result="pass")


# spec: 3.8 R-3.8-1 test
def case_max_connections(args):
    """One connection over --max-connections gets 421 and is closed."""
    srv, _, _ = server(args, "max-connections", "--max-connections", "2")
    with srv:
        first = h.Conversation(srv.host, srv.port)
        second = h.Conversation(srv.host, srv.port)
        try:
            for conv in (first, second):
                greet(conv)
            with h.Conversation(srv.host, srv.port) as third:
                replies = third.replies_until_close(timeout=10)
                # RFC 2034 4: ENHANCEDSTATUSCODES is offered, so the 421
                # carries an enhanced code (RFC 3463 4.3.2: not accepting now).
                expected = [[b"421 4.3.2 " + h.SERVER_NAME.encode()
                             + b" too many connections; try again later"]]
                if [r.lines for r in replies] != expected:
                    raise h.TestFailure(f"third connection: expected {expected}, got {replies}")
            first.expect(b"QUIT", 221)
            first.replies_until_close(timeout=10)
            # The freed slot is usable again (bounded retries: the server
            # notices the close asynchronously).
            for attempt in range(50):
                with h.Conversation(srv.host, srv.port) as again:
                    if again.read_reply().code == 220:
                        break
                time.sleep(0.05)
            else:
                raise h.TestFailure("no 220 after a slot was freed")
            second.expect(b"NOOP", 250)
        finally:
            first.close()
            second.close()
    h.report(case="max_connections", result="pass")


# spec: 4.5.3.2.7 test
def case_idle_timeout(args):
    """A session silent for --idle-timeout gets 421 4.4.2 and is closed, and
    so does one that drips a command line octet by octet (only a complete
    command moves the deadline, 4.5.3.2.7); one that keeps sending commands
    is not cut off, however long it lasts."""
    srv, _, _ = server(args, "idle", "--idle-timeout", "2")
    with srv:
        with h.Conversation(srv.host, srv.port) as busy, \
                h.Conversation(srv.host, srv.port) as idle, \
                h.Conversation(srv.host, srv.port) as drip:
            for conv in (busy, idle, drip):
                greet(conv)
            started = time.monotonic()
            cut = {"idle": None, "drip": None}
            # Each NOOP moves the deadline on: 12 x 0.35 s is twice the
            # timeout. Meanwhile the idle and the dripping ones must be cut
            # off, about 2 s after their EHLO (noted to 0.35 s).
            for turn in range(12):
                for name, conv in (("idle", idle), ("drip", drip)):
                    if cut[name] is None and select.select([conv.sock], [], [], 0)[0]:
                        cut[name] = time.monotonic() - started
                if turn < 5:
                    # Until 1.75 s: were octets progress, the cut would come
                    # at 3.75 s; none is sent near the cut (no reset race).
                    drip.send(b"N")
                time.sleep(0.35)
                busy.expect(b"NOOP", 250)
            for name, conv in (("idle", idle), ("drip", drip)):
                reply = conv.read_reply(timeout=1)
                if reply.code != 421 or not reply.lines[0].startswith(b"421 4.4.2 "):
                    raise h.TestFailure(f"{name} session: expected 421 4.4.2, got {reply}")
                if cut[name] is None or not 1.9 <= cut[name] <= 3.0:
                    raise h.TestFailure(f"{name} session cut off after {cut[name]} s, not about 2 s")
                try:
                    more = conv.read_reply(timeout=2)
                    raise h.TestFailure(f"{name} session: expected the close after 421, got {more}")
                except h.ConnectionClosed:
                    pass
            busy.expect(b"QUIT", 221)
    h.report(case="idle_timeout", result="pass", idle_cut_after_s=round(cut["idle"], 2),
             drip_cut_after_s=round(cut["drip"], 2))


# spec: 4.5.3.2 test
def case_out_of_descriptors(args):
    """With no file descriptor left, the server logs one accept_error,
    retries at a pace instead of spinning, and serves again once clients
    go away."""
    srv, _, _ = server(args, "nofile")
    # At most 32 descriptors: the clients below take the rest and more.
    srv.argv = ["/bin/sh", "-c", 'ulimit -n 32 && exec "$@"', "sh"] + srv.argv
    with srv:
        clients = []
        try:
            for _ in range(40):
                clients.append(socket.create_connection((srv.host, srv.port), timeout=5))
            time.sleep(1.5)
            errors = [x for x in srv.log_file.read_text().splitlines()
                      if " event=accept_error " in x]
            if len(errors) != 1 or 'error="Too many open files"' not in errors[0]:
                raise h.TestFailure(f"expected one accept_error line, got {len(errors)}: "
                                    f"{errors[:3]}")
        finally:
            for c in clients:
                c.close()
        # The descriptors come back: a new client is served.
        deadline = time.monotonic() + 10
        while True:
            try:
                with h.Conversation(srv.host, srv.port, timeout=2) as conv:
                    greet(conv)
                    conv.expect(b"QUIT", 221)
                break
            except (h.TestFailure, OSError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        lines = srv.log_file.read_text().splitlines()
        if not any(" event=accept_resumed " in x for x in lines):
            raise h.TestFailure("no accept_resumed line after the descriptors came back")
    h.report(case="out_of_descriptors", result="pass")


def case_trace_reader_gone(args):
    """The trace goes to a pipe whose reader has gone: the server keeps
    serving (no death by SIGPIPE) and stops cleanly."""
    workdir = h.prepare_workdir(Path(args.workdir))
    ready = workdir / "ready"
    proc = subprocess.Popen(
        [args.smtpspec, "serve", "--listen", "127.0.0.1:0", "--maildir", str(workdir / "md"),
         "--no-tls", "--ready-file", str(ready), "--trace", "text"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not (ready.exists() and ready.read_text().strip()):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise h.TestFailure(f"server not ready (exit {proc.poll()})")
            time.sleep(0.05)
        host, port = h.parse_address(ready.read_text())
        proc.stdout.close()  # The reader goes away.
        for n in range(3):
            with h.Conversation(host, port) as conv:
                greet(conv)
                conv.expect(b"MAIL FROM:<a@client.test>", 250)
                conv.expect(b"RCPT TO:<b@example.org>", 250)
                conv.expect(b"DATA", 354)
                conv.send(b"Subject: %d\r\n\r\nbody\r\n.\r\n" % n)
                if conv.read_reply().code != 250:
                    raise h.TestFailure(f"message {n}: no 250")
                conv.expect(b"QUIT", 221)
        if proc.poll() is not None:
            raise h.TestFailure(f"the server ended with {proc.returncode}")
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=20)
    if code != 0:
        raise h.TestFailure(f"exit {code} after SIGTERM, expected 0")
    h.report(case="trace_reader_gone", result="pass")


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


def main(cases=None, description=__doc__, errors=()):
    """Run the case named by --case; other test files pass their own cases."""
    cases = cases or CASES
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--case", required=True, choices=sorted(cases))
    parser.add_argument("--smtpspec", required=True)
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args()
    try:
        cases[args.case](args)
    except (h.TestFailure, OSError, subprocess.SubprocessError, *errors) as e:
        h.report(case=args.case, result="fail", reason=str(e))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
