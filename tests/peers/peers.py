# smtpspec: real SMTP servers from Debian packages, each started privately for the prober.
# SPDX-License-Identifier: MIT
"""Start Postfix, Exim, OpenSMTPD, chasquid, aiosmtpd or the reference server.

Each server gets a temporary folder (its "run folder") that holds its
configuration, filled in from the templates beside this file (tests/peers/
<server>/), its queue or spool, its logs and the sink its messages are
delivered to. It listens on 127.0.0.1 on ports picked at run time, is started
as a child of this process with its PID recorded, and stopped by SIGTERM to
that PID.

The Debian daemons run in a private mount namespace (unshare --mount) in which
a few files are mounted over the compiled-in paths they insist on: a copy of
/etc/passwd and /etc/group with the users they drop privileges to, an
/etc/resolv.conf naming 127.0.0.1 (so that no DNS query leaves loopback),
and, for OpenSMTPD, the run folder on /var and the package's helpers on
/usr/libexec. Nothing outside the run folder is written; the mounts vanish
with the process.

Exim and OpenSMTPD conflict with Postfix in Debian (all three provide
mail-transport-agent), so they are unpacked, not installed, by
tests/peers/unpack-debs.sh into PEERS_ROOT (default /opt/smtpspec-peers).
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))

import smtpharness as h  # noqa: E402  (shared helpers of the integration tests)

PEERS_ROOT = Path(os.environ.get("SMTPSPEC_PEERS_ROOT", "/opt/smtpspec-peers"))
UNPACK_HINT = "run: bash tests/peers/unpack-debs.sh (as root)"

# The uid and gid the daemons' private users map to inside the namespace.
NOBODY = 65534
# Every server accepts this recipient and delivers it to its sink.
RECIPIENT = "postmaster@example.org"


def free_ports(count):
    """`count` distinct loopback ports the OS reports free right now."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind((h.LOOPBACK, 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def fill_template(name, target, values):
    """Copy tests/peers/<name> to target, replacing each @KEY@ by its value."""
    text = (HERE / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(f"@{key}@", str(value))
    leftover = re.findall(r"@[A-Z_]+@", text)
    if leftover:
        raise h.TestFailure(f"{name}: placeholders left unfilled: {sorted(set(leftover))}")
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def private_identity(run, users, groups):
    """Write run/etc/passwd and run/etc/group: the system's plus our users."""
    etc = run / "etc"
    etc.mkdir(parents=True, exist_ok=True)
    passwd = Path("/etc/passwd").read_text(encoding="utf-8")
    group = Path("/etc/group").read_text(encoding="utf-8")
    for user, home in users:
        passwd += f"{user}:x:{NOBODY}:{NOBODY}:smtpspec test user:{home}:/usr/sbin/nologin\n"
    for name, gid in groups:
        group += f"{name}:x:{gid}:\n"
    (etc / "passwd").write_text(passwd, encoding="utf-8")
    (etc / "group").write_text(group, encoding="utf-8")
    (etc / "resolv.conf").write_text("nameserver 127.0.0.1\n", encoding="ascii")


def namespaced(run, argv, extra_mounts=()):
    """argv run in a private mount namespace with run/etc mounted over /etc files.

    /bin/sh does the mounts and then execs the daemon, so the PID of the
    started process is the daemon's own PID.
    """
    if os.geteuid() != 0:
        raise h.MissingDependency("the Debian daemons run in a private mount namespace, "
                                  "which needs root (unshare --mount, mount --bind)")
    if shutil.which("unshare") is None:
        raise h.MissingDependency("unshare is missing: install the Debian package util-linux")
    mounts = [(run / "etc" / "passwd", "/etc/passwd"), (run / "etc" / "group", "/etc/group"),
              (run / "etc" / "resolv.conf", "/etc/resolv.conf")] + list(extra_mounts)
    script = " && ".join(f'mount --bind "{src}" "{dst}"' for src, dst in mounts)
    return ["unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c",
            script + ' && exec "$@"', "sh"] + [str(a) for a in argv]


def require_unpacked(relative, package):
    path = PEERS_ROOT / relative
    if not path.exists():
        raise h.MissingDependency(f"{path} is missing ({package} is unpacked, not installed, "
                                  f"because it conflicts with postfix): {UNPACK_HINT}")
    return path


class PeerProcess(h.ServerProcess):
    """A daemon that is ready when its port greets with 220 (no ready-file).

    The greeting must name the host name its configuration gives
    (`<server>.test`): a port taken by someone else between the choice and
    the bind would otherwise have us probe a stranger.
    """

    def __init__(self, argv, run, name, port, sink):
        super().__init__(argv, run, name)
        self.greeting_name = f"{name}.test".encode()
        self.port = port
        self.host = h.LOOPBACK
        self.sink = Path(sink)

    def start(self):
        with open(self.log_file, "wb") as log:
            self.process = subprocess.Popen(
                self.argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                preexec_fn=h._die_with_parent)  # pylint: disable=protected-access
        h.report(event="server-started", server=self.name, pid=self.process.pid)
        self._wait_greeting()
        h.report(event="server-ready", server=self.name, pid=self.process.pid,
                 address=f"{self.host}:{self.port}")
        return self

    def _wait_greeting(self):
        deadline = time.monotonic() + h.READY_TIMEOUT
        last = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise h.TestFailure(f"{self.name} exited with {self.process.returncode} before "
                                    f"it greeted; log:\n{self.diagnostics()}")
            greeting = None
            try:
                with h.Conversation(self.host, self.port, timeout=5) as conv:
                    greeting = conv.read_reply()
                    conv.command(b"QUIT")
            except (OSError, h.TestFailure) as error:
                last = error
            if greeting is not None and greeting.code == 220:
                if self.greeting_name in greeting.lines[0]:
                    return
                self.kill()
                raise h.TestFailure(f"{self.host}:{self.port} greets as {greeting}, not "
                                    f"{self.greeting_name.decode()}: another server?")
            last = greeting or last
            time.sleep(0.1)
        self.kill()
        raise h.TestFailure(f"{self.name} did not greet on {self.host}:{self.port} within "
                            f"{h.READY_TIMEOUT} s (last: {last}); log:\n{self.diagnostics()}")

    def diagnostics(self):
        return "\n".join(f"--- {p}\n{self.log_tail(path=p)}"
                         for p in [self.log_file] + self.extra_logs)

    def __exit__(self, exc_type, exc, tb):
        # A daemon's status on SIGTERM is its own business (Go programs report
        # the signal); what matters is that the recorded PID is gone.
        try:
            self.stop()
        finally:
            self.kill()
        if exc_type is not None:
            self.print_diagnostics()
        return False


# --------------------------------------------------------------------------
# One function per server: prepare the run folder, return a PeerProcess.

def postfix(run):
    """Postfix master with a private config_directory; no queue manager."""
    master = Path("/usr/lib/postfix/sbin/master")
    h.require_path(master, "postfix")
    (port,) = free_ports(1)
    values = {"DIR": run, "PORT": port}
    for name in ("main.cf", "master.cf"):
        fill_template(f"postfix/{name}.in", run / "etc" / name, values)
    queue = run / "queue"
    for sub in ("incoming", "active", "deferred", "defer", "bounce", "trace", "flush", "hold",
                "corrupt", "saved", "maildrop", "public", "private"):
        (queue / sub).mkdir(parents=True, exist_ok=True)
    (run / "data").mkdir()
    postfix_user = _uid_of("postfix")
    for path in [queue, run / "data"] + list(queue.iterdir()):
        os.chown(path, postfix_user, -1)
    (queue / "pid").mkdir()
    (queue / "private").chmod(0o700)
    private_identity(run, [], [])
    argv = namespaced(run, [master, "-c", run / "etc", "-d"])
    server = PeerProcess(argv, run, "postfix", port, queue / "incoming")
    server.extra_logs.append(run / "maillog")
    return server


def exim(run):
    """Exim as a foreground daemon with a private configuration (-C)."""
    binary = require_unpacked("exim4/usr/sbin/exim4", "exim4-daemon-light")
    (port,) = free_ports(1)
    conf = fill_template("exim/exim.conf.in", run / "etc" / "exim.conf",
                         {"DIR": run, "PORT": port, "EXIM": binary})
    for sub in ("spool", "log", "sink"):
        (run / sub).mkdir()
        os.chown(run / sub, NOBODY, NOBODY)
    private_identity(run, [("Debian-exim", "/nonexistent")], [("Debian-exim", NOBODY)])
    argv = namespaced(run, [binary, "-C", conf, "-bdf", "-oX", port])
    server = PeerProcess(argv, run, "exim", port, run / "sink" / "mbox")
    server.extra_logs.append(run / "log" / "mainlog")
    return server


def opensmtpd(run):
    """OpenSMTPD in the foreground (-d) with the run folder mounted on /var."""
    binary = require_unpacked("opensmtpd/usr/sbin/smtpd", "opensmtpd")
    libexec = require_unpacked("opensmtpd/usr/libexec", "opensmtpd")
    (port,) = free_ports(1)
    conf = fill_template("opensmtpd/smtpd.conf.in", run / "etc" / "smtpd.conf",
                         {"DIR": run, "PORT": port})
    shutil.copy(HERE / "opensmtpd" / "sinkusers", run / "etc" / "sinkusers")
    var = run / "var"
    (var / "spool" / "smtpd").mkdir(parents=True)
    (var / "spool" / "smtpd").chmod(0o711)
    (var / "lib" / "opensmtpd" / "empty").mkdir(parents=True)
    (var / "run").mkdir()
    (run / "sink").mkdir()
    os.chown(run / "sink", NOBODY, NOBODY)
    private_identity(run, [("opensmtpd", "/nonexistent"), ("opensmtpq", "/nonexistent"),
                           ("smtpsink", run / "sink")],
                     [("opensmtpd", NOBODY - 1), ("opensmtpq", NOBODY - 2)])
    argv = namespaced(run, [binary, "-f", conf, "-d"],
                      extra_mounts=[(var, "/var"), (libexec, "/usr/libexec")])
    return PeerProcess(argv, run, "opensmtpd", port, run / "sink" / "mbox")


def chasquid(run):
    """chasquid with a private config_dir and a self-signed certificate."""
    binary = Path("/usr/bin/chasquid")
    h.require_path(binary, "chasquid")
    smtp, submission, submission_tls = free_ports(3)
    etc = run / "etc"
    fill_template("chasquid/chasquid.conf.in", etc / "chasquid.conf",
                  {"DIR": run, "PORT": smtp, "SUBMISSION_PORT": submission,
                   "SUBMISSION_TLS_PORT": submission_tls})
    domain = etc / "domains" / "example.org"
    domain.mkdir(parents=True)
    shutil.copy(HERE / "chasquid" / "aliases", domain / "aliases")
    certs = etc / "certs" / "chasquid.test"
    certs.mkdir(parents=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=chasquid.test", "-keyout", certs / "privkey.pem",
                    "-out", certs / "fullchain.pem"], check=True, capture_output=True,
                   timeout=60)
    (run / "data").mkdir()
    (run / "sink").mkdir()
    private_identity(run, [], [])
    argv = namespaced(run, [binary, "-config_dir", etc, "-alsologtostderr"])
    server = PeerProcess(argv, run, "chasquid", smtp, run / "sink" / "mbox")
    server.extra_logs.append(run / "mail.log")
    return server


def aiosmtpd(run):
    """aiosmtpd (Debian python3-aiosmtpd) through the integration tests' sink."""
    sink = run / "sink"
    # Given its host name, aiosmtpd asks no DNS server: no namespace needed.
    argv = ["/usr/bin/python3", HERE.parent / "integration" / "aiosmtpd_sink.py",
            "--outdir", sink]
    server = h.ServerProcess(argv, run, "aiosmtpd")
    server.sink = sink
    return server


def reference(run, smtpspec):
    """`smtpspec serve`, as the integration tests start it."""
    server, maildir = h.smtpspec_server(smtpspec, run, name="reference")
    server.sink = maildir.path / "new"
    return server


SERVERS = ("postfix", "exim", "opensmtpd", "chasquid", "aiosmtpd", "reference")


def require_traversable(run):
    """The daemons drop privileges: every folder above run must let others through."""
    for folder in [run] + list(run.parents):
        if not folder.stat().st_mode & 0o001:
            raise h.TestFailure(f"{folder} is not searchable by other users (mode "
                                f"{folder.stat().st_mode & 0o777:o}); the servers' "
                                f"unprivileged processes could not reach {run}")


def make_server(name, run, smtpspec):
    """The not yet started server `name` with its run folder prepared."""
    run = Path(run)
    run.mkdir(parents=True, exist_ok=True)
    run.chmod(0o755)
    require_traversable(run)
    if name == "reference":
        return reference(run, smtpspec)
    if name not in SERVERS:
        raise h.TestFailure(f"unknown server {name!r}; known: {', '.join(SERVERS)}")
    return globals()[name](run)


def _uid_of(user):
    import pwd  # pylint: disable=import-outside-toplevel
    try:
        return pwd.getpwnam(user).pw_uid
    except KeyError:
        raise h.MissingDependency(f"no user {user}: install the Debian package {user}") from None


# --------------------------------------------------------------------------
# The prober.

# Reply texts that change from run to run, replaced in the details written to
# expected.toml and docs/probe-matrix.md so that a rerun gives no diff: the
# queue id Postfix and OpenSMTPD put in a 250 to the end of data, and the
# text chasquid picks at random for its replies to HELO, RSET and the end of
# data. Only these texts are touched; the codes and every other word stay.
_QUEUE_IDS = {
    "postfix": (re.compile(r"queued as [0-9A-Za-z]{6,}"), "queued as (queue id)"),
    "opensmtpd": (re.compile(r"(2\.0\.0 )[0-9a-f]{8}( Message accepted)"),
                  r"\1(queue id)\2"),
}
_CHASQUID_HELO = re.compile(r"250[ -]Hello my friend, welcome to chasqui's (.+?)(?:\\r\\n)?$")
_CHASQUID_DONE = re.compile(r"250[ -]2\.0\.0 (.+?)(?:\\r\\n)?$")
_CHASQUID_DONE_AFTER = ("RSET", "DATA", "")  # "" is a line of mail data


def stable_detail(server, case):
    """The case's detail on one line, with the volatile reply texts above
    replaced by a placeholder that says what was there."""
    detail = " ".join(case["detail"].split())
    if server in _QUEUE_IDS:
        pattern, placeholder = _QUEUE_IDS[server]
        detail = pattern.sub(placeholder, detail)
    if server == "chasquid":
        after = None
        for line in case.get("transcript", []):
            if line["from"] == "C":
                after = line["note"].split()[-1] if line["note"] else ""
            elif line["from"] == "S":
                found = _CHASQUID_HELO.match(line["octets"])
                if not found and after in _CHASQUID_DONE_AFTER:
                    found = _CHASQUID_DONE.match(line["octets"])
                if found:
                    detail = detail.replace(found.group(1), "(random text)")
    return detail


def run_probe(smtpspec, server, json_file, extra=(), timeout=900, echo=True):
    """`smtpspec probe` against a started server; return (status, report dict)."""
    import json  # pylint: disable=import-outside-toplevel
    argv = [str(smtpspec), "probe", f"{server.host}:{server.port}", "--json", str(json_file),
            "--to", RECIPIENT, "--timeout", "5"] + list(extra)
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=timeout, check=False)
    if echo:
        sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)
    if not Path(json_file).exists():
        raise h.TestFailure(f"smtpspec probe exited {done.returncode} and wrote no "
                            f"{json_file}: {done.stderr.strip()[:300]}")
    return done.returncode, json.loads(Path(json_file).read_text(encoding="utf-8"))
