# smtpspec: shared helpers of the integration tests (server processes, raw
# SMTP conversations, Maildir reading, the real-message corpus).
# SPDX-License-Identifier: MIT
"""Helpers shared by the integration tests.

Everything here talks to loopback only (127.0.0.1), on ports the operating
system picks at run time, and every wait is bounded by a timeout.

A server under test is any program that accepts ``--ready-file FILE`` and
writes its bound ``ADDR:PORT`` there once it listens: ``smtpspec serve`` and
the aiosmtpd sink in this folder both do. It is started as a child process,
remembered by its PID, and stopped by SIGTERM to that PID only.
"""

import ctypes
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

CRLF = b"\r\n"
LOOPBACK = "127.0.0.1"

PYTHON_EMAIL_DATA = Path("/usr/lib/python3.11/test/test_email/data")
SPAMASSASSIN_EXAMPLES = Path("/usr/share/doc/spamassassin/examples")
PYTHON_EMAIL_MESSAGE_COUNT = 47

READY_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0
REPLY_TIMEOUT = 10.0

SENDER = "sender@client.test"
RECIPIENT = "rcpt@example.org"
CLIENT_NAME = "client.test"
SERVER_NAME = "mx.test"


class TestFailure(Exception):
    """A check failed; the message says what was expected and what came."""


class MissingDependency(TestFailure):
    """A package that scripts/deps.sh installs is not there."""


def report(**fields):
    """Print one structured result line: key=value pairs in the given order."""
    parts = []
    for key, value in fields.items():
        text = str(value)
        if not text or re.search(r"[\s\"=]", text):
            text = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
        parts.append(f"{key}={text}")
    print(" ".join(parts), flush=True)


def require_path(path, package):
    """Fail naming the Debian package when a file it ships is missing."""
    if not Path(path).exists():
        raise MissingDependency(
            f"{path} is missing: install the Debian package {package} (scripts/deps.sh)")


# --------------------------------------------------------------------------
# The real-message corpus and the wire-form convention.

def real_messages():
    """The 47 msg_*.txt of Python's email tests plus SpamAssassin's samples."""
    require_path(PYTHON_EMAIL_DATA, "libpython3.11-testsuite")
    require_path(SPAMASSASSIN_EXAMPLES / "sample-spam.txt", "spamassassin")
    python_messages = sorted(PYTHON_EMAIL_DATA.glob("msg_*.txt"))
    if len(python_messages) != PYTHON_EMAIL_MESSAGE_COUNT:
        raise TestFailure(
            f"expected {PYTHON_EMAIL_MESSAGE_COUNT} msg_*.txt in {PYTHON_EMAIL_DATA}, "
            f"found {len(python_messages)} (package libpython3.11-testsuite)")
    return python_messages + [
        SPAMASSASSIN_EXAMPLES / "sample-spam.txt",
        SPAMASSASSIN_EXAMPLES / "sample-nonspam.txt",
    ]


# Made-up messages for what the real ones do not cover: no final line end
# (the client adds CRLF), and lines that need dot-stuffing at the very start
# of the data and at the very end.
SYNTHETIC = {
    "synthetic-no-final-newline.txt": b"Subject: no final line end\n\nlast line, no LF",
    "synthetic-dots.txt": (b".starts with a dot\nSubject: dots\n\n.\n..\n. \n"
                           b"x.\n.\n"),
}


def synthetic_messages(workdir):
    """Write the made-up messages under workdir/synthetic; return their paths."""
    folder = Path(workdir) / "synthetic"
    folder.mkdir(exist_ok=True)
    paths = []
    for name, text in SYNTHETIC.items():
        path = folder / name
        path.write_bytes(text)
        paths.append(path)
    return paths


def wire_form(raw):
    """The message as every client in these tests must put it on the wire.

    Convention (the expected content of a stored or received message):
      * every LF that is not already preceded by CR becomes CRLF; a CRLF in
        the file stays as it is (msg_26.txt already uses CRLF);
      * if the text does not end with CRLF after that, one CRLF is added;
      * nothing else changes: no header is added, removed or refolded, no
        "From " line is stripped, 8-bit bytes pass unchanged.
    Dot-stuffing is a transport matter: it is added by the client and removed
    by the server, so it does not appear in the expected bytes.
    A file with a bare CR would be ambiguous between the clients (smtplib
    turns it into CRLF, the others keep it), so it is refused up front.
    """
    if re.search(rb"\r(?!\n)", raw):
        raise TestFailure("message has a bare CR; the LF->CRLF convention does not cover it")
    text = re.sub(rb"(?<!\r)\n", CRLF, raw)
    if not text.endswith(CRLF):
        text += CRLF
    return text


def dot_stuff(wire):
    """Dot-stuff CRLF text for the DATA phase and add the end-of-data line."""
    lines = wire.split(CRLF)
    assert lines[-1] == b"", "dot_stuff needs text that ends with CRLF"
    stuffed = [b"." + line if line.startswith(b".") else line for line in lines[:-1]]
    return CRLF.join(stuffed) + CRLF + b"." + CRLF


def first_difference(expected, actual):
    """Describe where two byte strings first differ, for a failure message."""
    limit = min(len(expected), len(actual))
    index = next((i for i in range(limit) if expected[i] != actual[i]), limit)
    return (f"first difference at byte {index} (expected {len(expected)} bytes, got "
            f"{len(actual)}): expected {expected[index:index + 40]!r}, "
            f"got {actual[index:index + 40]!r}")


# --------------------------------------------------------------------------
# Server processes.

def _die_with_parent():
    """Child-side: get SIGTERM when the test process dies (Linux prctl)."""
    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


def parse_address(text):
    """Split "ADDR:PORT" (or "[ADDR]:PORT") into (host, port)."""
    match = re.fullmatch(r"\[?([^\[\]]+?)\]?:(\d+)", text.strip())
    if not match:
        raise TestFailure(f"ready-file holds {text!r}, not ADDR:PORT")
    return match.group(1), int(match.group(2))


class ServerProcess:
    """A server child started with --ready-file and stopped by its PID."""

    def __init__(self, argv, workdir, name):
        self.argv = list(argv)
        self.workdir = Path(workdir)
        self.name = name
        self.ready_file = self.workdir / f"{name}.ready"
        self.log_file = self.workdir / f"{name}.log"
        self.extra_logs = []
        self.process = None
        self.host = None
        self.port = None

    def start(self):
        self.ready_file.unlink(missing_ok=True)
        argv = self.argv + ["--ready-file", str(self.ready_file)]
        with open(self.log_file, "wb") as log:
            self.process = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent)
        report(event="server-started", server=self.name, pid=self.process.pid)
        self._wait_ready()
        report(event="server-ready", server=self.name, pid=self.process.pid,
               address=f"{self.host}:{self.port}")
        return self

    def _wait_ready(self):
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise TestFailure(
                    f"{self.name} exited with {self.process.returncode} before it was "
                    f"ready; log:\n{self.log_tail()}")
            if self.ready_file.exists():
                text = self.ready_file.read_text(encoding="ascii", errors="replace")
                if text.strip():
                    self.host, self.port = parse_address(text)
                    if self.host not in (LOOPBACK, "::1", "localhost"):
                        raise TestFailure(f"{self.name} listens on {self.host}, not loopback")
                    return
            time.sleep(0.05)
        self.kill()
        raise TestFailure(
            f"{self.name} wrote no ready-file within {READY_TIMEOUT} s; log:\n{self.log_tail()}")

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        """SIGTERM to the recorded PID; return the exit code (bounded wait)."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.kill()
                raise TestFailure(f"{self.name} (pid {self.process.pid}) ignored SIGTERM "
                                  f"for {STOP_TIMEOUT} s and was killed")
        report(event="server-stopped", server=self.name, pid=self.process.pid,
               exit=self.process.returncode)
        return self.process.returncode

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_TIMEOUT)

    def log_tail(self, lines=40, path=None):
        path = Path(path or self.log_file)
        if not path.exists():
            return f"(no {path.name})"
        text = path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def print_diagnostics(self):
        """After a failure: the tail of the server's log and trace, to stderr."""
        for path in [self.log_file] + self.extra_logs:
            print(f"--- last lines of {path}", file=sys.stderr)
            print(self.log_tail(path=path), file=sys.stderr, flush=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, exc_type, exc, tb):
        try:
            code = self.stop()
        finally:
            self.kill()
        if exc_type is not None:
            self.print_diagnostics()
        if exc_type is None and code not in (0, None):
            raise TestFailure(f"{self.name} exited with {code} on SIGTERM, expected 0; "
                              f"log:\n{self.log_tail()}")
        return False


def smtpspec_server(smtpspec, workdir, name="smtpspec-serve", maildir=None, profile=None,
                    discard=False):
    """`smtpspec serve` on 127.0.0.1, port 0, with a Maildir under workdir
    (with discard: --discard in its place, the two being refused together)."""
    workdir = Path(workdir)
    maildir = Path(maildir) if maildir else workdir / "maildir"
    store = ["--discard"] if discard else ["--maildir", str(maildir)]
    argv = [str(smtpspec), "serve", "--listen", f"{LOOPBACK}:0", *store,
            "--hostname", SERVER_NAME, "--trace", "text",
            "--trace-file", str(workdir / f"{name}.trace")]
    if profile:
        argv += ["--profile", profile]
    server = ServerProcess(argv, workdir, name)
    server.extra_logs.append(workdir / f"{name}.trace")
    return server, Maildir(maildir)


def prepare_workdir(path):
    """An empty folder for one test's files (servers, maildirs, logs)."""
    path = Path(path)
    if path.exists():
        for child in sorted(path.rglob("*"), key=lambda p: len(p.parts), reverse=True):
            if child.is_dir() and not child.is_symlink():
                child.rmdir()
            else:
                child.unlink()
    path.mkdir(parents=True, exist_ok=True)
    return path


# --------------------------------------------------------------------------
# Maildir of the reference server.

TRACE_FIELDS = (b"Return-Path:", b"Received:")


class Maildir:
    """Read-only view of a Maildir written by `smtpspec serve`."""

    def __init__(self, path):
        self.path = Path(path)

    def names(self, sub="new"):
        folder = self.path / sub
        if not folder.is_dir():
            return set()
        return {p.name for p in folder.iterdir() if p.is_file()}

    def read(self, name, sub="new"):
        return (self.path / sub / name).read_bytes()

    def wait_new_file(self, before, timeout=5.0):
        """The one file that appeared in new/ since `before` (bounded wait)."""
        deadline = time.monotonic() + timeout
        while True:
            added = self.names() - before
            if len(added) == 1:
                return added.pop()
            if len(added) > 1:
                raise TestFailure(f"expected one new file in {self.path}/new, got {sorted(added)}")
            if time.monotonic() >= deadline:
                raise TestFailure(f"no new file in {self.path}/new within {timeout} s")
            time.sleep(0.05)

    def wait_file_containing(self, before, marker, timeout=5.0):
        """The one file new since `before` that contains `marker` (bounded wait).

        Other new files are ignored here, so that a stray message stored by
        another connection is reported by the check about that connection.
        """
        deadline = time.monotonic() + timeout
        while True:
            found = [name for name in sorted(self.names() - before)
                     if marker in self.read(name)]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise TestFailure(f"marker {marker!r} stored {len(found)} times: {found}")
            if time.monotonic() >= deadline:
                raise TestFailure(f"no file with {marker!r} in {self.path}/new within "
                                  f"{timeout} s")
            time.sleep(0.05)

    def wait_tmp_empty(self, timeout=5.0):
        deadline = time.monotonic() + timeout
        while self.names("tmp"):
            if time.monotonic() >= deadline:
                raise TestFailure(f"{self.path}/tmp still holds {sorted(self.names('tmp'))} "
                                  f"after {timeout} s")
            time.sleep(0.05)


def split_trace(stored):
    """Split a stored file into (trace field lines, message).

    The server prepends exactly two header fields, Return-Path then Received;
    either may be folded (continuation lines start with SP or TAB). Only those
    two are removed, so a message that itself starts with Received: (as
    msg_26.txt does) keeps its own field.
    """
    rest = stored
    fields = []
    for name in TRACE_FIELDS:
        if not rest.startswith(name):
            raise TestFailure(f"stored file: expected a {name.decode()} trace field, got "
                              f"{rest[:60]!r}")
        end = rest.find(CRLF)
        while end >= 0 and rest[end + 2:end + 3] in (b" ", b"\t"):
            end = rest.find(CRLF, end + 2)
        if end < 0:
            raise TestFailure(f"stored file: unterminated {name.decode()} field")
        fields.append(rest[:end])
        rest = rest[end + 2:]
    return fields, rest


def stored_message(maildir, name):
    """The message part of a stored file (after the two trace fields)."""
    return split_trace(maildir.read(name))[1]


# --------------------------------------------------------------------------
# Raw SMTP conversations.

class Reply:
    """One (possibly multi-line) SMTP reply."""

    def __init__(self, lines):
        self.lines = lines
        self.code = int(lines[-1][:3])

    def __repr__(self):
        return f"Reply({self.code}, {b' / '.join(self.lines)!r})"


class ConnectionClosed(TestFailure):
    """The peer closed the connection while a reply was awaited."""


class Conversation:
    """A client socket that sends raw bytes and reads SMTP replies."""

    def __init__(self, host, port, timeout=REPLY_TIMEOUT):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.timeout = timeout
        self.buffer = b""
        self.closed = False
        self.log = []

    def send(self, data):
        self.log.append(("C", data))
        self.sock.sendall(data)

    def _fill(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout("deadline passed")
        self.sock.settimeout(remaining)
        try:
            chunk = self.sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            self.closed = True
            raise ConnectionClosed("connection closed by the server")
        self.log.append(("S", chunk))
        self.buffer += chunk

    def read_reply(self, timeout=None):
        """Read one reply; raise ConnectionClosed or TestFailure on timeout."""
        deadline = time.monotonic() + (timeout or self.timeout)
        lines = []
        while True:
            while CRLF not in self.buffer:
                try:
                    self._fill(deadline)
                except socket.timeout:
                    raise TestFailure(f"no complete reply within {timeout or self.timeout} s "
                                      f"(have {self.buffer[:80]!r})") from None
            line, self.buffer = self.buffer.split(CRLF, 1)
            if not re.match(rb"^[2-5][0-9][0-9]([ -]|$)", line):
                raise TestFailure(f"not a reply line: {line[:80]!r}")
            lines.append(line)
            if line[3:4] != b"-":
                return Reply(lines)

    def command(self, line, timeout=None):
        self.send(line + CRLF)
        return self.read_reply(timeout)

    def expect(self, line, code):
        reply = self.command(line)
        if reply.code != code:
            raise TestFailure(f"{line!r}: expected {code}, got {reply}")
        return reply

    def expect_silence(self, seconds):
        """Nothing may arrive for `seconds` (the connection stays open)."""
        deadline = time.monotonic() + seconds
        while not self.buffer:
            try:
                self._fill(deadline)
            except socket.timeout:
                return
        raise TestFailure(f"expected no reply yet, got {self.buffer[:120]!r}")

    def replies_until_close(self, timeout=None):
        """All replies until the server closes the connection (bounded)."""
        deadline = time.monotonic() + (timeout or self.timeout)
        replies = []
        while True:
            try:
                replies.append(self.read_reply(max(0.01, deadline - time.monotonic())))
            except ConnectionClosed:
                if self.buffer:
                    raise TestFailure(f"partial reply before close: {self.buffer[:80]!r}")
                return replies
            if time.monotonic() >= deadline:
                raise TestFailure(f"connection still open after {timeout or self.timeout} s; "
                                  f"replies so far {replies}")

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def open_transaction(host, port, sender=SENDER, recipient=RECIPIENT):
    """Connect, EHLO, MAIL, RCPT, DATA; return the conversation after 354."""
    conv = Conversation(host, port)
    greeting = conv.read_reply()
    if greeting.code != 220:
        raise TestFailure(f"greeting: expected 220, got {greeting}")
    conv.expect(b"EHLO " + CLIENT_NAME.encode(), 250)
    conv.expect(f"MAIL FROM:<{sender}>".encode(), 250)
    conv.expect(f"RCPT TO:<{recipient}>".encode(), 250)
    conv.expect(b"DATA", 354)
    return conv


def codes(replies):
    return [r.code for r in replies]


# --------------------------------------------------------------------------
# A raw recording SMTP peer (to see exactly what a client puts on the wire).

class RecordingPeer:
    """A one-connection SMTP server in a thread that records the DATA bytes.

    It answers 220 on connect, 250 to every command, 354 to DATA, reads the
    data verbatim up to and including CRLF.CRLF, answers 250, and 221 to QUIT.
    """

    def __init__(self, timeout=REPLY_TIMEOUT):
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind((LOOPBACK, 0))
        self.listener.listen(1)
        self.listener.settimeout(timeout)
        self.port = self.listener.getsockname()[1]
        self.timeout = timeout
        self.commands = []
        self.data = []
        self.error = None
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.thread.join(self.timeout * 2)
        self.listener.close()
        return False

    def _serve(self):
        try:
            conn, _ = self.listener.accept()
        except OSError as error:
            self.error = f"accept: {error}"
            return
        with conn:
            conn.settimeout(self.timeout)
            try:
                self._dialogue(conn)
            except OSError as error:
                self.error = f"recording peer: {error}"

    def _dialogue(self, conn):
        buffer = b""
        conn.sendall(b"220 recorder.test ready" + CRLF)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            while CRLF not in buffer:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                buffer += chunk
            line, buffer = buffer.split(CRLF, 1)
            self.commands.append(line)
            verb = line[:4].upper()
            if verb == b"QUIT":
                conn.sendall(b"221 bye" + CRLF)
                return
            if verb != b"DATA":
                conn.sendall(b"250 recorder.test" + CRLF)
                continue
            conn.sendall(b"354 go ahead" + CRLF)
            data = buffer
            while not (data.startswith(b"." + CRLF) or b"\r\n.\r\n" in data):
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            end = 3 if data.startswith(b"." + CRLF) else data.index(b"\r\n.\r\n") + 5
            self.data.append(data[:end])
            buffer = data[end:]
            conn.sendall(b"250 recorded" + CRLF)


# --------------------------------------------------------------------------
# The reference client.

def smtpspec_send(smtpspec, host, port, message_path, sender=SENDER, recipients=(RECIPIENT,),
                  extra=(), timeout=60):
    """Run `smtpspec send` with one message file; return CompletedProcess."""
    argv = [str(smtpspec), "send", "--server", f"{host}:{port}", "--from", sender,
            "--helo", CLIENT_NAME]
    for rcpt in recipients:
        argv += ["--to", rcpt]
    argv += list(extra) + [str(message_path)]
    return subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout,
                          check=False)


def run_main(main):
    """Run a test's main(), map failures to exit code 1 with one clear line."""
    try:
        main()
    except OSError as error:
        report(result="fail", reason=f"unexpected socket or file error: {error!r}")
        sys.exit(1)
    except TestFailure as failure:
        report(result="fail", reason=str(failure).splitlines()[0])
        print(str(failure), file=sys.stderr, flush=True)
        sys.exit(1)
