# smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
# SPDX-License-Identifier: MIT
"""Runs one dialogue script of this folder against the reference server.

Starts `smtpspec serve` on 127.0.0.1 with port 0 (the port is read from its
ready file), plays the script with `smtpspec dialogue run`, stops the server
by its PID, and then lints what was said: the reference server must not be
blamed for anything (every finding of the linter must concern the client).
Every wait is bounded.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "integration"))

import smtpharness as h  # noqa: E402  (path set just above)

RUN_TIMEOUT = 60


def describe(result):
    """One SARIF result as "line N RULE: message"."""
    line = result["locations"][0]["physicalLocation"]["region"]["startLine"]
    return f"line {line} {result['ruleId']}: {result['message']['text']}"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smtpspec", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--dialogue", required=True)
    parser.add_argument("--profile", default="rfc5321")
    args = parser.parse_args()

    workdir = h.prepare_workdir(Path(args.workdir))
    record = workdir / "said.txt"
    srv, _ = h.smtpspec_server(args.smtpspec, workdir, profile=args.profile)
    with srv:
        run = subprocess.run(
            [args.smtpspec, "dialogue", "run", args.dialogue, "--server",
             f"{srv.host}:{srv.port}", "--record", str(record), "--timeout", "10"],
            capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False)
        sys.stdout.write(run.stdout)
        sys.stderr.write(run.stderr)
        if run.returncode != 0:
            raise h.TestFailure(f"dialogue run exited {run.returncode}")

    lint = subprocess.run(
        [args.smtpspec, "lint", "--format", "sarif", "--profile", args.profile, str(record)],
        capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False)
    if lint.returncode not in (0, 1):
        raise h.TestFailure(f"lint of the recorded dialogue exited {lint.returncode}: "
                            f"{lint.stderr}")
    results = json.loads(lint.stdout)["runs"][0]["results"]
    blamed = [r for r in results if r["properties"]["actor"] == "server"]
    if blamed:
        raise h.TestFailure("the linter blames the reference server: "
                            + "; ".join(describe(r) for r in blamed))
    h.report(dialogue=Path(args.dialogue).name, result="pass",
             client_findings=len(results))


if __name__ == "__main__":
    try:
        main()
    except h.TestFailure as failure:
        print(f"FAIL: {failure}", file=sys.stderr)
        sys.exit(1)
