# smtpspec: the reference client delivers real messages to aiosmtpd.
# SPDX-License-Identifier: MIT
"""`smtpspec send` -> aiosmtpd, every real message, compared byte for byte.

aiosmtpd (aiosmtpd_sink.py) stores the data its handler receives: CRLF line
ends, dot-stuffing removed, no trace fields. The messages are those of
test_messages.py (real ones plus two made-up ones). What it stored must equal
smtpharness.wire_form(file) exactly (LF -> CRLF, final CRLF added where
missing), and the envelope must be the one given on the command line.

Usage: test_peer_aiosmtpd.py --smtpspec BIN --workdir DIR
"""

import argparse
import importlib.util
import sys
import time
from pathlib import Path

import smtpharness as h

SINK = Path(__file__).with_name("aiosmtpd_sink.py")


def require_aiosmtpd():
    if importlib.util.find_spec("aiosmtpd") is None:
        raise h.MissingDependency(
            f"aiosmtpd is not importable by {sys.executable}: install the Debian package "
            f"python3-aiosmtpd (scripts/deps.sh); the tests run it with /usr/bin/python3")


def wait_received(outdir, stem, timeout=5.0):
    """aiosmtpd writes the file before its 250; allow a short bounded wait."""
    path = outdir / f"{stem}.eml"
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() >= deadline:
            raise h.TestFailure(f"aiosmtpd stored no {path.name} within {timeout} s")
        time.sleep(0.05)
    return path


def deliver_and_compare(smtpspec, sink, outdir, number, path):
    result = h.smtpspec_send(smtpspec, sink.host, sink.port, path)
    if result.returncode != 0:
        return (f"smtpspec send exited {result.returncode}: "
                f"{result.stderr.decode(errors='replace').strip()[:300]}")
    stem = f"{number:04d}"
    try:
        received = wait_received(outdir, stem).read_bytes()
    except h.TestFailure as failure:
        return str(failure)
    expected = h.wire_form(path.read_bytes())
    if received != expected:
        return f"aiosmtpd received {stem}.eml differs: {h.first_difference(expected, received)}"
    envelope = (outdir / f"{stem}.envelope").read_text().splitlines()
    if envelope != [h.SENDER, h.RECIPIENT]:
        return f"envelope {envelope}, expected {[h.SENDER, h.RECIPIENT]}"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smtpspec", required=True)
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args()

    require_aiosmtpd()
    workdir = h.prepare_workdir(args.workdir)
    messages = h.real_messages() + h.synthetic_messages(workdir)
    outdir = workdir / "received"
    sink = h.ServerProcess([sys.executable, str(SINK), "--outdir", str(outdir)], workdir,
                           "aiosmtpd")
    failed = []
    with sink:
        for number, path in enumerate(messages, start=1):
            problem = deliver_and_compare(args.smtpspec, sink, outdir, number, path)
            if problem:
                failed.append(path.name)
                h.report(result="fail", peer="aiosmtpd", file=path.name, reason=problem)
                # Later numbers would be off by one if this one was not stored.
                if not (outdir / f"{number:04d}.eml").exists():
                    raise h.TestFailure(f"stopping after {path.name}: {problem}")
            else:
                h.report(result="pass", peer="aiosmtpd", file=path.name)
    h.report(summary="peer", peer="aiosmtpd", passed=len(messages) - len(failed),
             failed=len(failed))
    if failed:
        raise h.TestFailure(f"aiosmtpd received different bytes for {', '.join(failed)}")


if __name__ == "__main__":
    h.run_main(main)
