# smtpspec: routed delivery (RFC 5321 section 5) over a real DNS server.
# SPDX-License-Identifier: MIT
"""`smtpspec send` without --server: MX routing through NSD on loopback.

Each case starts, in its own work folder:
  * NSD (Debian package nsd), authoritative for the zone route.test, with a
    private configuration, on 127.0.0.1 and a UDP/TCP port chosen at run time;
  * the reference server (`smtpspec serve`) on 127.0.0.2 ("mx-a") and on
    127.0.0.3 ("mx-b"), each with its own Maildir;
  * for some cases a scripted server on 127.0.0.5 that answers 421, or on
    127.0.0.6 that answers 554;
then runs `smtpspec send --dns-server 127.0.0.1:PORT --port SMTP_PORT` and
checks where the message landed, the exit code and the annotated trace.
127.0.0.4 ("dead") has nothing listening: connections to it are refused.
All of 127.0.0.0/8 is loopback on Linux. Every process this test starts is
stopped by its PID; every wait is bounded.

Usage: test_dns_routing.py --case NAME --smtpspec BIN --workdir DIR
"""

import argparse
import os
import random
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import smtpharness as h

NSD = Path("/usr/sbin/nsd")
NSD_CHECKZONE = Path("/usr/sbin/nsd-checkzone")
ZONE = "route.test"
CLIENT = f"client.{ZONE}"
DNS_ADDRESS = "127.0.0.1"
MX_A = "127.0.0.2"
MX_B = "127.0.0.3"
DEAD = "127.0.0.4"
BUSY = "127.0.0.5"
REJECT = "127.0.0.6"
SEND_TIMEOUT = 60

ZONE_TEXT = f"""$ORIGIN {ZONE}.
$TTL 60
@          SOA   ns.{ZONE}. hostmaster.{ZONE}. 1 3600 600 86400 60
@          NS    ns
ns         A     {DNS_ADDRESS}
mx-a       A     {MX_A}
mx-b       A     {MX_B}
dead       A     {DEAD}
busy       A     {BUSY}
reject     A     {REJECT}
client     A     {MX_A}
; two MX of different preference: the lower number (mx-b) is tried first
pref       MX    10 mx-a
pref       MX    5 mx-b
; equal preference: random order between mx-a and mx-b
equal      MX    10 mx-a
equal      MX    10 mx-b
; no MX at all: implicit MX, the domain's own A record
implicit   A     {MX_B}
; null MX (RFC 7505): takes no mail
nullmx     MX    0 .
; an MX whose target is an alias (WG #121)
cname      MX    10 alias
alias      CNAME mx-a
; the first MX is dead (connection refused): fall back to the second
deadfirst  MX    10 dead
deadfirst  MX    20 mx-b
; the first MX answers 421: fall back to the second
busyfirst  MX    10 busy
busyfirst  MX    20 mx-a
; the first MX greylists (451 to RCPT): fall back to the second (scripts/routed-demo)
greylist   MX    10 mx-a
greylist   MX    20 mx-b
; the first MX answers 554: stop there
rejectfirst MX   10 reject
rejectfirst MX   20 mx-a
; the most preferred MX is the client itself: nothing is left
loop       MX    10 client
loop       MX    20 mx-b
; an MX written as an address, which is not a domain name
mxliteral  MX    10 127.0.0.2.
"""


class Case:
    """What one case sends and what it expects."""

    def __init__(self, to, exit_code, landed, trace=(), profile="rfc5321", servers=(),
                 stderr=(), dns_down=False):
        self.to = to                # recipient address
        self.exit_code = exit_code  # of smtpspec send
        self.landed = landed        # "mx-a", "mx-b" or None
        self.trace = trace          # substrings the trace must contain
        self.profile = profile
        self.servers = servers      # scripted servers: ("busy", 421) ...
        self.stderr = stderr        # substrings stderr must contain; {dns}: ADDR:PORT of DNS
        self.dns_down = dns_down    # point the client at a port where no DNS server listens


# spec: 5.1 R-5.1-1 R-5.1-4 R-5.1-5 R-5.1-7 R-5.1-8 R-5.1-10 R-5.1-11 R-5.1-14 R-5.1-21 test
CASES = {
    "preference": Case(f"u@pref.{ZONE}", 0, "mx-b", ["R-5.1-14", "attempt 1 of 2: mx-b"]),
    "implicit_mx": Case(f"u@implicit.{ZONE}", 0, "mx-b", ["implicit MX", "R-5.1-7"]),
    "null_mx": Case(f"u@nullmx.{ZONE}", 1, None, ["null MX", "rfc7504/4"],
                    stderr=["556", "5.1.10"]),
    "cname_mx_rfc5321": Case(f"u@cname.{ZONE}", 1, None, ["not followed", "WG#121"]),
    "cname_mx_rfc5321bis": Case(f"u@cname.{ZONE}", 0, "mx-a", ["followed", "WG#121"],
                                profile="rfc5321bis"),
    "dead_first_mx": Case(f"u@deadfirst.{ZONE}", 0, "mx-b",
                          ["cannot deliver to dead", "attempt 2 of 2: mx-b"]),
    "busy_first_mx": Case(f"u@busyfirst.{ZONE}", 0, "mx-a",
                          ["S: 421", "temporary failure", "attempt 2 of 2: mx-a"],
                          servers=[(BUSY, "421 4.3.2 busy, try later")]),
    "reject_first_mx": Case(f"u@rejectfirst.{ZONE}", 1, None,
                            ["S: 554", "permanent failure"],
                            servers=[(REJECT, "554 5.7.1 no mail from you")]),
    "nxdomain": Case(f"u@nowhere.{ZONE}", 1, None, ["NXDOMAIN", "R-5.1-4"]),
    "address_literal": Case(f"u@[{MX_A}]", 0, "mx-a", ["address literal", "without DNS"]),
    "own_name_loop": Case(f"u@loop.{ZONE}", 1, None, ["R-5.1-21"]),
    # No DNS server on the port: "refused" when the kernel's ICMP port
    # unreachable comes back, "timed out" when ICMP is rate-limited (many
    # tests at once); either way a temporary failure (exit 3).
    "dns_unreachable": Case(f"u@pref.{ZONE}", 3, None, ["queue and retry later", "R-5.1-5"],
                            stderr=["no answer from DNS server {dns} ("],
                            dns_down=True),
    "mx_is_address": Case(f"u@mxliteral.{ZONE}", 1, None, ["not a domain name", "R-5.1-9"]),
}


def require_nsd():
    for path in (NSD, NSD_CHECKZONE):
        if not path.exists():
            raise h.MissingDependency(
                f"{path} is missing: install the Debian package nsd (the DNS routing tests "
                f"run it as a private authoritative server; scripts/deps.sh should list it)")


def free_port(addresses, kind):
    """A port free on every address, for sockets of `kind` (bounded tries)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, kind) as probe:
            probe.bind((addresses[0], 0))
            port = probe.getsockname()[1]
        if port < 1024:
            continue
        try:
            held = []
            for address in addresses:
                for k in {kind, socket.SOCK_DGRAM, socket.SOCK_STREAM}:
                    s = socket.socket(socket.AF_INET, k)
                    held.append(s)
                    if k == socket.SOCK_STREAM:
                        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    s.bind((address, port))
        except OSError:
            continue
        finally:
            for s in held:
                s.close()
        return port
    raise h.TestFailure(f"no port free on all of {addresses} after 50 tries")


def dns_query(port, name, qtype=6, timeout=0.5):
    """One UDP query to the test server; return the RCODE, or None on timeout."""
    ident = random.randrange(65536)
    question = b"".join(bytes([len(label)]) + label.encode() for label in name.split("."))
    packet = struct.pack(">HHHHHH", ident, 0, 1, 0, 0, 0) + question + b"\0" + struct.pack(
        ">HH", qtype, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.sendto(packet, (DNS_ADDRESS, port))
        try:
            reply, _ = s.recvfrom(4096)
        except socket.timeout:
            return None
    if len(reply) < 12 or struct.unpack(">H", reply[:2])[0] != ident:
        return None
    return reply[3] & 0x0F


class Nsd:
    """NSD with a private configuration in `folder`, stopped by its PID."""

    def __init__(self, folder):
        self.folder = Path(folder) / "nsd"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = None
        self.process = None
        self.log = self.folder / "nsd.log"

    def start(self):
        zone = self.folder / f"{ZONE}.zone"
        zone.write_text(ZONE_TEXT)
        check = subprocess.run([str(NSD_CHECKZONE), ZONE, str(zone)], capture_output=True,
                               timeout=30, check=False)
        if check.returncode != 0:
            raise h.TestFailure(f"nsd-checkzone refused the test zone: "
                                f"{check.stderr.decode(errors='replace')}")
        self.port = free_port([DNS_ADDRESS], socket.SOCK_DGRAM)
        conf = self.folder / "nsd.conf"
        conf.write_text(f"""server:
    ip-address: {DNS_ADDRESS}@{self.port}
    port: {self.port}
    do-ip6: no
    username: ""
    chroot: ""
    server-count: 1
    verbosity: 1
    hide-version: yes
    database: ""
    zonesdir: "{self.folder}"
    zonelistfile: "{self.folder}/zone.list"
    xfrdfile: "{self.folder}/xfrd.state"
    xfrdir: "{self.folder}"
    pidfile: "{self.folder}/nsd.pid"
    logfile: "{self.log}"
remote-control:
    control-enable: no
zone:
    name: "{ZONE}"
    zonefile: "{zone}"
""")
        with open(self.folder / "nsd.stdout", "wb") as out:
            self.process = subprocess.Popen(
                [str(NSD), "-d", "-c", str(conf)], stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT, preexec_fn=h._die_with_parent)
        h.report(event="dns-started", pid=self.process.pid, address=f"{DNS_ADDRESS}:{self.port}")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise h.TestFailure(f"nsd exited with {self.process.returncode}:\n"
                                    f"{self.tail()}")
            if dns_query(self.port, ZONE) == 0:
                return self
            time.sleep(0.1)
        raise h.TestFailure(f"nsd did not answer within 15 s:\n{self.tail()}")

    def tail(self):
        texts = []
        for path in (self.folder / "nsd.stdout", self.log):
            if path.exists():
                texts.append(path.read_text(errors="replace")[-2000:])
        return "\n".join(texts)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=h.STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=h.STOP_TIMEOUT)
            h.report(event="dns-stopped", pid=self.process.pid, exit=self.process.returncode)


class LoopbackServer(h.ServerProcess):
    """smtpspec serve on any 127.0.0.0/8 address (the harness checks 127.0.0.1)."""

    def _wait_ready(self):
        deadline = time.monotonic() + h.READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise h.TestFailure(f"{self.name} exited with {self.process.returncode}; "
                                    f"log:\n{self.log_tail()}")
            if self.ready_file.exists() and self.ready_file.read_text().strip():
                self.host, self.port = h.parse_address(self.ready_file.read_text())
                if not self.host.startswith("127."):
                    raise h.TestFailure(f"{self.name} listens on {self.host}, not loopback")
                return
            time.sleep(0.05)
        self.kill()
        raise h.TestFailure(f"{self.name} wrote no ready-file within {h.READY_TIMEOUT} s")


class ScriptedServer:
    """Answers every connection with one fixed greeting, then closes (a thread)."""

    def __init__(self, address, port, greeting):
        self.greeting = greeting.encode() + h.CRLF
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((address, port))
        self.sock.listen(4)
        self.sock.settimeout(0.2)
        self.stopping = threading.Event()
        self.connections = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.connections += 1
            with conn:
                conn.settimeout(2)
                try:
                    conn.sendall(self.greeting)
                    # Read what the client says (QUIT) until it closes, bounded.
                    end = time.monotonic() + 2
                    while time.monotonic() < end and conn.recv(512):
                        pass
                except OSError:
                    pass

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=5)
        self.sock.close()


def run_case(name, case, smtpspec, workdir, seed=None):
    """Start everything, send, stop everything; return (result, {server: files})."""
    nsd = Nsd(workdir)
    servers = {}
    scripted = []
    try:
        nsd.start()
        port = free_port([MX_A, MX_B, DEAD, BUSY, REJECT], socket.SOCK_STREAM)
        for label, address in (("mx-a", MX_A), ("mx-b", MX_B)):
            maildir = workdir / f"{label}.maildir"
            argv = [str(smtpspec), "serve", "--listen", f"{address}:{port}", "--maildir",
                    str(maildir), "--hostname", f"{label}.{ZONE}", "--trace", "text",
                    "--trace-file", str(workdir / f"{label}.trace")]
            server = LoopbackServer(argv, workdir, label)
            server.extra_logs.append(workdir / f"{label}.trace")
            servers[label] = (server.start(), h.Maildir(maildir))
        for address, greeting in case.servers:
            scripted.append(ScriptedServer(address, port, greeting))

        dns_port = free_port([DNS_ADDRESS], socket.SOCK_DGRAM) if case.dns_down else nsd.port
        argv = [str(smtpspec), "send", "--dns-server", f"{DNS_ADDRESS}:{dns_port}",
                "--port", str(port), "--profile", case.profile, "--from", h.SENDER,
                "--helo", CLIENT, "--to", case.to, "--connect-timeout", "5",
                "--timeout", "20", "--dns-timeout", "500"]
        if seed is not None:
            argv += ["--seed", str(seed)]
        message = workdir / "message.txt"
        message.write_bytes(f"Subject: routing case {name}\n\nrouted to {case.to}\n".encode())
        argv.append(str(message))
        result = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                                timeout=SEND_TIMEOUT, check=False)
        result.dns_server = f"{DNS_ADDRESS}:{dns_port}"  # For the expected messages.
        (workdir / "send.trace").write_bytes(result.stdout)
        (workdir / "send.stderr").write_bytes(result.stderr)
        landed = {}
        for label, (server, maildir) in servers.items():
            # The client saw the final 250, and the server writes before its
            # 250 (6.1), so the files are there already.
            landed[label] = sorted(maildir.names())
        return result, landed
    finally:
        for s in scripted:
            s.stop()
        for label, (server, _) in servers.items():
            try:
                server.stop()
            finally:
                server.kill()
        nsd.stop()


def check(name, case, result, landed):
    trace = result.stdout.decode(errors="replace")
    stderr = result.stderr.decode(errors="replace")
    where = f"\n--- trace:\n{trace}\n--- stderr:\n{stderr}"
    if result.returncode != case.exit_code:
        raise h.TestFailure(f"{name}: smtpspec send exited {result.returncode}, expected "
                            f"{case.exit_code}{where}")
    for label, files in landed.items():
        expected = 1 if label == case.landed else 0
        if len(files) != expected:
            raise h.TestFailure(f"{name}: {label} holds {len(files)} message(s), expected "
                                f"{expected}{where}")
    for text in case.trace:
        if text not in trace:
            raise h.TestFailure(f"{name}: the trace lacks {text!r}{where}")
    for text in case.stderr:
        text = text.replace("{dns}", result.dns_server)
        if text not in stderr:
            raise h.TestFailure(f"{name}: stderr lacks {text!r}{where}")


def equal_preferences(smtpspec, workdir):
    """5.1 R-5.1-15: with equal preferences both hosts get mail over a few seeds."""
    case = Case(f"u@equal.{ZONE}", 0, None, ["R-5.1-15"])
    seen = {}
    for seed in range(12):
        folder = h.prepare_workdir(workdir / f"seed-{seed}")
        result, landed = run_case("equal_preference", case, smtpspec, folder, seed)
        winners = [label for label, files in landed.items() if files]
        if result.returncode != 0 or len(winners) != 1:
            raise h.TestFailure(f"seed {seed}: exit {result.returncode}, landed {landed}\n"
                                f"{result.stdout.decode(errors='replace')}")
        seen.setdefault(winners[0], seed)
        if len(seen) == 2:
            h.report(case="equal_preference", result="pass", first_seeds=seen)
            return
    raise h.TestFailure(f"12 seeds all chose {list(seen)}: equal preferences not randomised")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", required=True,
                        choices=sorted(CASES) + ["equal_preference"])
    parser.add_argument("--smtpspec", required=True, type=Path)
    parser.add_argument("--workdir", required=True, type=Path)
    args = parser.parse_args()
    require_nsd()
    workdir = h.prepare_workdir(args.workdir)
    if args.case == "equal_preference":
        equal_preferences(args.smtpspec, workdir)
        return
    case = CASES[args.case]
    result, landed = run_case(args.case, case, args.smtpspec, workdir)
    check(args.case, case, result, landed)
    h.report(case=args.case, result="pass", landed=case.landed or "nowhere",
             exit=result.returncode)


if __name__ == "__main__":
    h.run_main(main)
