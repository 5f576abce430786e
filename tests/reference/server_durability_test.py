# smtpspec: durability and concurrency of `smtpspec serve` on loopback
# (WG #114), and the client-testing script over the network.
# SPDX-License-Identifier: MIT
"""Durability, concurrency and scripted-behaviour tests of `smtpspec serve`.

One case per run (--case NAME). Each case starts its own server on
127.0.0.1 port 0, talks to it over loopback only, and ends it by its recorded
PID: SIGKILL where the case is about a crash, SIGTERM otherwise. Loops and
waits are bounded.
"""

import os
import random
import signal
import smtplib
import ssl
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "integration"))

import server_net_test  # noqa: E402  (beside this file)
import smtpharness as h  # noqa: E402  (path set just above)

KILL_ROUNDS = 5
CONCURRENT_SESSIONS = 50
GROUP_KILL_ROUNDS = 3
GROUP_SESSIONS = 200
GROUP_KILL_WINDOW = 0.15  # The kill comes 0 to this many seconds after the ends of data.


server = server_net_test.server


def message(tag, lines=40):
    body = b"".join(b"line %d of %s\r\n" % (i, tag) for i in range(lines))
    return b"Subject: " + tag + b"\r\nMessage-ID: <" + tag + b"@client.test>\r\n\r\n" + body


def sigkill(srv):
    """SIGKILL to the server's recorded PID, then reap it (bounded)."""
    os.kill(srv.process.pid, signal.SIGKILL)
    srv.process.wait(timeout=h.STOP_TIMEOUT)
    h.report(event="server-killed", server=srv.name, pid=srv.process.pid)


# WG #114. spec: 6.1 R-6.1-1 test
def case_kill_after_250(args):
    """SIGKILL right after the 250 to end of data: the message is whole in new/."""
    workdir = h.prepare_workdir(Path(args.workdir))
    for round_ in range(KILL_ROUNDS):
        srv, maildir = h.smtpspec_server(args.smtpspec, workdir, name=f"kill{round_}")
        srv.start()
        try:
            before = maildir.names()
            tag = b"kill-after-250-%d" % round_
            text = message(tag)
            conv = h.open_transaction(srv.host, srv.port)
            conv.send(text + b".\r\n")
            reply = conv.read_reply()
            sigkill(srv)  # Nothing may be left to do for the server after its 250.
            conv.close()
            if reply.code != 250:
                raise h.TestFailure(f"end of data: expected 250, got {reply}")
            added = sorted(maildir.names() - before)
            if len(added) != 1:
                raise h.TestFailure(f"round {round_}: expected 1 new file, got {added}")
            stored = h.stored_message(maildir, added[0])
            if stored != text:
                raise h.TestFailure(f"round {round_}: stored message differs at "
                                    f"{h.first_difference(text, stored)}")
        finally:
            srv.kill()
    h.report(case="kill_after_250", result="pass", rounds=KILL_ROUNDS)


# WG #114. spec: 6.1 R-6.1-1 test
def case_kill_during_data(args):
    """SIGKILL while data is coming in: nothing is in new/."""
    srv, maildir, _ = server(args, "killdata")
    srv.start()
    try:
        conv = h.open_transaction(srv.host, srv.port)
        conv.send(message(b"half-sent")[:200])
        # The server has read the octets once a NOOP on a second session is
        # answered (one event loop serves both).
        with h.Conversation(srv.host, srv.port) as probe:
            probe.read_reply()
            probe.expect(b"NOOP", 250)
        sigkill(srv)
        conv.close()
        if maildir.names():
            raise h.TestFailure(f"new/ holds {sorted(maildir.names())} after a kill mid-data")
    finally:
        srv.kill()
    h.report(case="kill_during_data", result="pass")


# spec: 6.1 R-6.1-1 test
def case_concurrent_sessions(args):
    """Many sessions deliver at once while one client stalls in the middle of
    its data and another in the middle of a command line: neither holds the
    others up (all answered well within the idle timeout), every stored
    message is exact, and the stalled message is not stored."""
    srv, maildir, _ = server(args, "concurrent", "--max-connections", "100")
    errors = []
    barrier = threading.Barrier(CONCURRENT_SESSIONS, timeout=60)
    texts = {b"concurrent-%02d" % i: message(b"concurrent-%02d" % i, 20 + i)
             for i in range(CONCURRENT_SESSIONS)}

    def deliver(tag):
        try:
            conv = h.open_transaction(srv.host, srv.port, recipient=f"r{tag[-2:].decode()}"
                                                                     "@example.org")
            barrier.wait()
            with conv:
                conv.send(texts[tag] + b".\r\n")
                reply = conv.read_reply(timeout=60)
                if reply.code != 250:
                    errors.append(f"{tag!r}: {reply}")
                conv.expect(b"QUIT", 221)
        except (h.TestFailure, OSError, threading.BrokenBarrierError) as e:
            errors.append(f"{tag!r}: {e}")

    with srv:
        stalled_data = h.open_transaction(srv.host, srv.port)
        stalled_data.send(b"Subject: stalled\r\n\r\nhalf a mess")
        stalled_line = h.Conversation(srv.host, srv.port)
        stalled_line.read_reply()
        stalled_line.send(b"EHLO half-a-li")
        started = time.monotonic()
        threads = [threading.Thread(target=deliver, args=(tag,)) for tag in texts]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        took = time.monotonic() - started
        if errors:
            raise h.TestFailure("; ".join(errors[:5]))
        # The server's idle timeout is minutes (4.5.3.2): had a stalled
        # session held the others, they would not be done in seconds.
        if took > 30:
            raise h.TestFailure(f"{CONCURRENT_SESSIONS} sessions took {took:.1f} s beside two "
                                "stalled ones")
        stalled_data.close()
        stalled_line.close()
        names = maildir.names()
        if len(names) != CONCURRENT_SESSIONS:
            raise h.TestFailure(f"expected {CONCURRENT_SESSIONS} files, got {len(names)}")
        stored = {}
        for name in names:
            msg = h.stored_message(maildir, name)
            tag = msg.split(b"\r\n", 1)[0][len(b"Subject: "):]
            stored[tag] = msg
        for tag, text in texts.items():
            if stored.get(tag) != text:
                raise h.TestFailure(f"{tag!r} not stored exactly")
    h.report(case="concurrent_sessions", result="pass", sessions=CONCURRENT_SESSIONS,
             seconds=round(took, 2))


# WG #114. spec: 6.1 R-6.1-1 test
def case_kill_during_group_commit(args):
    """Hundreds of sessions end their data at once and the server is killed at
    a random moment while it commits them in groups: every message answered
    250 is whole in new/, and new/ holds whole messages only."""
    workdir = h.prepare_workdir(Path(args.workdir))
    seed = int(time.time() * 1000) % 100000
    rng = random.Random(seed)
    totals = {"acknowledged": 0, "stored": 0}
    for round_ in range(GROUP_KILL_ROUNDS):
        srv, maildir = h.smtpspec_server(args.smtpspec, workdir, name=f"group{round_}",
                                         maildir=workdir / f"maildir{round_}")
        srv.argv += ["--max-connections", str(GROUP_SESSIONS + 10)]
        srv.start()
        texts = {b"group-%d-%03d" % (round_, i): message(b"group-%d-%03d" % (round_, i), 5 + i % 40)
                 for i in range(GROUP_SESSIONS)}
        acknowledged, lock = set(), threading.Lock()
        opened = threading.Barrier(GROUP_SESSIONS + 1, timeout=60)
        go = threading.Event()

        def deliver(tag):
            try:
                conv = h.open_transaction(srv.host, srv.port)
            except (h.TestFailure, OSError):
                conv = None
            try:
                opened.wait()
            except threading.BrokenBarrierError:
                pass
            if conv is None or not go.wait(timeout=60):
                return
            try:
                conv.send(texts[tag] + b".\r\n")
                if conv.read_reply(timeout=30).code == 250:
                    with lock:
                        acknowledged.add(tag)
            except (h.TestFailure, OSError):
                pass  # Killed before the reply: the message may or may not be there.
            finally:
                conv.close()

        try:
            threads = [threading.Thread(target=deliver, args=(tag,)) for tag in texts]
            for t in threads:
                t.start()
            opened.wait()
            go.set()
            time.sleep(rng.uniform(0, GROUP_KILL_WINDOW))
            sigkill(srv)
            for t in threads:
                t.join(timeout=60)
            stored = {}
            for name in maildir.names():
                msg = h.stored_message(maildir, name)
                tag = msg.split(b"\r\n", 1)[0][len(b"Subject: "):]
                if texts.get(tag) != msg:
                    raise h.TestFailure(f"round {round_} (seed {seed}): {name} in new/ is not a "
                                        f"whole message sent ({len(msg)} octets)")
                stored[tag] = name
            missing = sorted(acknowledged - stored.keys())
            if missing:
                raise h.TestFailure(f"round {round_} (seed {seed}): {len(missing)} messages "
                                    f"answered 250 are not in new/, e.g. {missing[:3]}")
            totals["acknowledged"] += len(acknowledged)
            totals["stored"] += len(stored)
            h.report(event="round", round=round_, seed=seed, acknowledged=len(acknowledged),
                     stored=len(stored))
        finally:
            srv.kill()
    if totals["acknowledged"] == 0:
        raise h.TestFailure(f"seed {seed}: no message was acknowledged before the kills; "
                            "the case tested nothing")
    h.report(case="kill_during_group_commit", result="pass", rounds=GROUP_KILL_ROUNDS,
             sessions=GROUP_SESSIONS, seed=seed, **totals)


# spec: 3.8 R-3.8-2 test
# WG #114. spec: 6.1 R-6.1-1 test
def case_sigterm_graceful(args):
    """SIGTERM: idle sessions and one in the middle of its data get 421; a
    message whose end of data the server had read is answered 250 first and
    is whole; nothing else is in new/ or left in tmp/; the exit code is 0."""
    srv, maildir, _ = server(args, "sigterm")
    srv.start()
    conversations = []
    try:
        idle = []
        for _ in range(3):
            conv = h.Conversation(srv.host, srv.port)
            conversations.append(conv)
            server_net_test.greet(conv)
            idle.append(conv)
        half = h.open_transaction(srv.host, srv.port)
        conversations.append(half)
        half.send(message(b"half-sent")[:150])
        whole = h.open_transaction(srv.host, srv.port)
        conversations.append(whole)
        text = message(b"whole")
        whole.send(text + b".\r\nNOOP\r\n")
        # The server has read those octets once a NOOP on another session is
        # answered (one event loop serves them all).
        with h.Conversation(srv.host, srv.port) as probe:
            probe.read_reply()
            probe.expect(b"NOOP", 250)
        os.kill(srv.process.pid, signal.SIGTERM)
        expected_421 = (b"421 4.4.2 " + h.SERVER_NAME.encode()
                        + b" server shutting down, closing connection")
        for name, conv, codes in [("idle", c, [421]) for c in idle] + [("mid-data", half, [421]),
                                                                         ("ended", whole,
                                                                          [250, 250, 421])]:
            replies = conv.replies_until_close(timeout=30)
            if h.codes(replies) != codes:
                raise h.TestFailure(f"{name} session: expected {codes}, got {replies}")
            if replies[-1].lines != [expected_421]:
                raise h.TestFailure(f"{name} session: expected {expected_421!r}, got {replies[-1]}")
        code = srv.process.wait(timeout=h.STOP_TIMEOUT)
        if code != 0:
            raise h.TestFailure(f"exit code {code} after SIGTERM, expected 0")
        names = sorted(maildir.names())
        if len(names) != 1 or h.stored_message(maildir, names[0]) != text:
            raise h.TestFailure(f"new/ should hold the one whole message, holds {names}")
        if maildir.names(sub="tmp"):
            raise h.TestFailure(f"tmp/ holds {sorted(maildir.names(sub='tmp'))} after the stop")
    finally:
        for conv in conversations:
            conv.close()
        srv.kill()
    h.report(case="sigterm_graceful", result="pass")


# spec: 4.5.3.2 test
def case_script_delay_and_tls_failure(args):
    """Scripted slow replies and a TLS failure after the 220 to STARTTLS."""
    srv, _, _ = server(args, "script", "--script-rule", "delay 300",
                       "--script-rule", "tls-failure", "--strict-client")
    with srv, h.Conversation(srv.host, srv.port) as conv:
        # The server starts its delay when it has read the command, which is
        # after the client sent it: the EHLO reply cannot come sooner than
        # 300 ms after the send. (The greeting's delay starts at accept,
        # which may come a little before connect() returns here, so it is
        # bounded less tightly.)
        started = time.monotonic()
        conv.read_reply()
        greeted = time.monotonic()
        conv.expect(b"EHLO " + h.CLIENT_NAME.encode(), 250)
        ehlo = time.monotonic() - greeted
        if ehlo < 0.3:
            raise h.TestFailure(f"the EHLO reply came {ehlo * 1000:.0f} ms after the command, "
                                "sooner than the scripted 300 ms")
        if greeted - started < 0.25:
            raise h.TestFailure(f"the greeting came {(greeted - started) * 1000:.0f} ms after "
                                "connecting, not delayed by the script")
        conv.expect(b"STARTTLS", 220)
        if conv.replies_until_close() != []:
            raise h.TestFailure("expected the connection to close after the 220")
    h.report(case="script_delay_and_tls_failure", result="pass")


# spec: rfc4954/4 test
def case_auth_after_starttls(args):
    """smtplib: STARTTLS, AUTH PLAIN, one message; Received says ESMTPSA."""
    workdir = h.prepare_workdir(Path(args.workdir))
    creds = workdir / "users"
    creds.write_text("# test users\nalice:s3cret\n")
    srv, maildir = h.smtpspec_server(args.smtpspec, workdir, name="auth")
    srv.argv += ["--auth-file", str(creds), "--local-domain", "example.org"]
    with srv:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        with smtplib.SMTP(srv.host, srv.port, timeout=30) as s:
            s.ehlo("client.test")
            if s.has_extn("auth"):
                raise h.TestFailure("AUTH offered before STARTTLS")
            s.starttls(context=ctx)
            s.ehlo("client.test")
            try:
                s.login("alice", "wrong")
                raise h.TestFailure("wrong password accepted")
            except smtplib.SMTPAuthenticationError as e:
                if e.smtp_code != 535:
                    raise h.TestFailure(f"wrong password: expected 535, got {e.smtp_code}")
            s.login("alice", "s3cret")
            refused = s.sendmail("a@client.test", ["b@example.org"], b"Subject: a\r\n\r\nx\r\n")
            if refused:
                raise h.TestFailure(f"refused: {refused}")
            try:
                s.sendmail("a@client.test", ["b@elsewhere.example"], b"Subject: r\r\n\r\nx\r\n")
                raise h.TestFailure("a relay recipient was accepted")
            except smtplib.SMTPRecipientsRefused as e:
                code = e.recipients["b@elsewhere.example"][0]
                if code != 550:
                    raise h.TestFailure(f"relay: expected 550, got {code}")
        (name,) = maildir.names()
        fields, _ = h.split_trace(maildir.read(name))
        if b" with ESMTPSA " not in fields[1]:
            raise h.TestFailure(f"Received: expected ESMTPSA, got {fields[1]!r}")
    h.report(case="auth_after_starttls", result="pass")


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


if __name__ == "__main__":
    sys.exit(server_net_test.main(CASES, __doc__, (smtplib.SMTPException,)))
