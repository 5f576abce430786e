# smtpspec: the README's routed delivery (scripts/routed-demo) as a test.
# SPDX-License-Identifier: MIT
"""Run scripts/routed-demo and check the order of the attempts and the delivery.

The script routes u@greylist.route.test through NSD: MX 10 mx-a (127.0.0.2)
answers 451 to RCPT, MX 20 mx-b (127.0.0.3) takes the message. Expected: the
client tries mx-a first (lower preference number, 5.1 R-5.1-14), gets the
451, moves the recipient to mx-b (4.5.4.1, R-5.1-11), where it is delivered;
send exits 0; mx-a stored nothing and mx-b one message.

Usage: test_routed_demo.py --smtpspec BIN --workdir DIR
"""

import argparse
import re
import subprocess
from pathlib import Path

import smtpharness as h

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "routed-demo"


def index_of(lines, pattern, start=0):
    """Index of the first line at or after `start` that matches `pattern`."""
    for i in range(start, len(lines)):
        if re.search(pattern, lines[i]):
            return i
    raise h.TestFailure(f"no line matching {pattern!r} after line {start + 1}")


# spec: 5.1 R-5.1-11 R-5.1-14 test
# spec: 4.5.4.1 test
def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smtpspec", required=True, type=Path)
    parser.add_argument("--workdir", required=True, type=Path)
    args = parser.parse_args()
    result = subprocess.run(["/usr/bin/python3", str(SCRIPT), "--smtpspec", str(args.smtpspec),
                             "--workdir", str(args.workdir)],
                            stdin=subprocess.DEVNULL, capture_output=True, timeout=240,
                            check=False)
    out = result.stdout.decode(errors="replace")
    err = result.stderr.decode(errors="replace")
    (Path(args.workdir).parent / "routed-demo.out").write_text(out + err)
    where = f"\n--- output:\n{out}\n--- stderr:\n{err}"
    if "MissingDependency" in err or "install the Debian package nsd" in err:
        raise h.MissingDependency(err.strip())
    if result.returncode != 0:
        raise h.TestFailure(f"routed-demo exited {result.returncode}, expected 0{where}")
    lines = out.splitlines()
    try:
        # The order: mx-a first, its 451, the move, then mx-b and its 250.
        first = index_of(lines, r"attempt 1 of 2: mx-a\.route\.test\[127\.0\.0\.2\]")
        greylisted = index_of(lines, r"S: 451 4\.0\.0 Greylisted", first)
        moved = index_of(lines, r"temporary failure at mx-a\.route\.test.*next address", greylisted)
        second = index_of(lines, r"attempt 2 of 2: mx-b\.route\.test\[127\.0\.0\.3\]", moved)
        index_of(lines, r"C: RCPT TO:<u@greylist\.route\.test>", second)
        delivered = index_of(lines, r"S: 250 ", index_of(lines, r"C: \.\s", second))
        index_of(lines, r"event=recipient to=<u@greylist\.route\.test> state=delivered code=250 "
                        r"via=mx-b\.route\.test\[127\.0\.0\.3\]", delivered)
        index_of(lines, r"^exit code 0$", delivered)
        landed = index_of(lines, r"^mx-a: 0 message\(s\)", delivered)
        index_of(lines, r"^mx-b: 1 message\(s\)", landed)
        index_of(lines, r"^    Return-Path: <alice@client\.example>$", landed)
    except h.TestFailure as failure:
        raise h.TestFailure(f"{failure}{where}") from None
    # Exactly two connections: no third attempt, no retry of mx-a.
    attempts = [line for line in lines if re.search(r"attempt \d of \d:", line)]
    if len(attempts) != 2:
        raise h.TestFailure(f"{len(attempts)} attempts, expected 2{where}")
    h.report(case="routed_demo", result="pass", order="mx-a,mx-b", landed="mx-b")


if __name__ == "__main__":
    h.run_main(main)
