# smtpspec: the prober against one real SMTP server, with the verdicts we know.
# SPDX-License-Identifier: MIT
"""`smtpspec probe` against a real server, checked against its expected grades.

The server (see peers.py) is started in a fresh folder under --workdir on
loopback ports picked at run time and stopped by its PID at the end. Checks:
  * every case listed in tests/peers/<server>/expected.toml got exactly the
    grade written there (a case missing from the report fails too: a renamed
    case must be renamed here);
  * the exit status follows the grades: 1 when a case failed, 0 otherwise;
  * the delivery case left its message in the server's sink under --workdir;
  * the server still runs after the whole probe.
Cases not listed in expected.toml are reported but not asserted, so that new
cases can be added to the prober before their grades on each server are known.

Usage: test_peer_probe.py --server NAME --smtpspec BIN --workdir DIR
"""

import argparse
import os
import time
import tomllib

import peers
from peers import h

DELIVERY_WAIT = 10.0  # seconds for a queued message to reach the sink


def expected_grades(server):
    path = peers.HERE / server / "expected.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return data["grades"], data.get("delivers", True)


def sink_holds_message(sink):
    """True once the sink (a file, or a folder of files) holds some message."""
    deadline = time.monotonic() + DELIVERY_WAIT
    while time.monotonic() < deadline:
        if sink.is_file() and sink.stat().st_size > 0:
            return True
        if sink.is_dir() and any(p.is_file() for p in sink.iterdir()):
            return True
        time.sleep(0.1)
    return False


def rewrite_expected(server, report):
    """With SMTPSPEC_PEERS_UPDATE=1: write every case's grade into expected.toml
    (header and `delivers` kept), for review with git diff before committing."""
    path = peers.HERE / server / "expected.toml"
    text = path.read_text()
    head = text[: text.index("[grades]")]
    lines = ["[grades]"]
    for case in sorted(report["cases"], key=lambda c: c["id"]):
        note = "" if case["grade"] == "pass" else "  # " + peers.stable_detail(server, case)
        lines.append(f'"{case["id"]}" = "{case["grade"]}"{note}')
    path.write_text(head + "\n".join(lines) + "\n")


def check(report, status, grades):
    problems = []
    got = {case["id"]: case for case in report["cases"]}
    for case_id, grade in grades.items():
        if case_id not in got:
            problems.append(f"{case_id}: not in the probe report (renamed or removed?)")
        elif got[case_id]["grade"] != grade:
            problems.append(f"{case_id}: graded {got[case_id]['grade']}, expected {grade} "
                            f"({got[case_id]['detail']})")
        else:
            h.report(result="pass", case=case_id, grade=grade)
    failed = sum(1 for case in report["cases"] if case["grade"] == "fail")
    if status != (1 if failed else 0):
        problems.append(f"exit status {status} with {failed} failed case(s)")
    unasserted = sorted(set(got) - set(grades))
    if unasserted:
        # In the form of expected.toml, to be checked by hand and then added.
        h.report(event="not-asserted", count=len(unasserted))
        for case_id in unasserted:
            print(f'"{case_id}" = "{got[case_id]["grade"]}"  # {got[case_id]["detail"]}')
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True, choices=peers.SERVERS)
    parser.add_argument("--smtpspec", required=True)
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args()

    grades, delivers = expected_grades(args.server)
    workdir = h.prepare_workdir(args.workdir)
    server = peers.make_server(args.server, workdir / "run", args.smtpspec)
    with server:
        status, report = peers.run_probe(args.smtpspec, server, workdir / "report.json")
        if os.environ.get("SMTPSPEC_PEERS_UPDATE") == "1":
            rewrite_expected(args.server, report)
            grades, _ = expected_grades(args.server)
        problems = check(report, status, grades)
        if delivers and not sink_holds_message(server.sink):
            problems.append(f"the delivery case left nothing in {server.sink}")
        if not server.alive():
            problems.append(f"{args.server} is no longer running after the probe")
    if problems:
        raise h.TestFailure(f"{args.server}: " + "; ".join(problems))
    h.report(summary="peer-probe", server=args.server, asserted=len(grades),
             cases=len(report["cases"]))


if __name__ == "__main__":
    h.run_main(main)
