# smtpspec: real messages delivered to the reference server by real clients.
# SPDX-License-Identifier: MIT
"""Deliver every real message to `smtpspec serve` with one client and compare.

Messages: the 47 msg_*.txt of Python's email test suite and SpamAssassin's
sample-spam.txt and sample-nonspam.txt, plus two small made-up ones (no final
line end; dots at the start and end of the data). Clients: Python's smtplib,
swaks, and `smtpspec send` (file argument, and the message on stdin).

Check, for every message: the file stored in Maildir new/ is the two trace
fields the server adds (Return-Path, Received; see smtpharness.split_trace)
followed by exactly the bytes of smtpharness.wire_form(file): LF line ends
turned into CRLF (existing CRLF kept) and one final CRLF added where the file
lacks it. Nothing else may differ, byte for byte. Dot-stuffing is undone by
the server, so it never shows in the stored file.

How each client is given the message:
  * smtplib: sendmail() with the wire form as bytes (smtplib dot-stuffs;
    it converts line ends only for str messages, which must be ASCII, so
    bytes with LF would go out with bare LFs);
  * swaks: --no-data-fixup with the wire form already dot-stuffed, because
    swaks' own data fix-up rewrites headers, strips a leading "From " line
    and expands %TOKENS%, which would change the message;
  * smtpspec send: the file path as is, or the bytes on stdin with "-"
    (the client converts and stuffs).
The first trace field must also name the envelope sender:
"Return-Path: <sender@client.test>".

Usage: test_messages.py --client smtplib|swaks|smtpspec-send --smtpspec BIN --workdir DIR
"""

import argparse
import shutil
import smtplib
import subprocess
from pathlib import Path

import smtpharness as h


def send_smtplib(port, path, _workdir, _smtpspec):
    with smtplib.SMTP(h.LOOPBACK, port, local_hostname=h.CLIENT_NAME,
                      timeout=h.REPLY_TIMEOUT) as client:
        refused = client.sendmail(h.SENDER, [h.RECIPIENT], h.wire_form(path.read_bytes()))
        if refused:
            raise h.TestFailure(f"recipients refused: {refused}")


def send_swaks(port, path, workdir, _smtpspec):
    data_file = Path(workdir) / "swaks-data.txt"
    # swaks appends CRLF after the data it is given, so the final "." is left
    # without its line end here.
    data_file.write_bytes(h.dot_stuff(h.wire_form(path.read_bytes()))[:-2])
    argv = ["swaks", "--server", h.LOOPBACK, "--port", str(port), "--from", h.SENDER,
            "--to", h.RECIPIENT, "--helo", h.CLIENT_NAME, "--no-data-fixup",
            "--data", f"@{data_file}", "--timeout", str(int(h.REPLY_TIMEOUT)),
            "--suppress-data", "--silent", "1"]
    result = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=60,
                            check=False)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).decode(errors="replace").strip()
        raise h.TestFailure(f"swaks exited {result.returncode}: {output[-600:]}")


def send_smtpspec(port, path, _workdir, smtpspec):
    result = h.smtpspec_send(smtpspec, h.LOOPBACK, port, path)
    if result.returncode != 0:
        raise h.TestFailure(f"smtpspec send exited {result.returncode}: "
                            f"{result.stderr.decode(errors='replace').strip()[:300]}")


def send_smtpspec_stdin(port, path, _workdir, smtpspec):
    argv = [str(smtpspec), "send", "--server", f"{h.LOOPBACK}:{port}", "--from", h.SENDER,
            "--to", h.RECIPIENT, "--helo", h.CLIENT_NAME, "-"]
    result = subprocess.run(argv, input=path.read_bytes(), capture_output=True, timeout=60,
                            check=False)
    if result.returncode != 0:
        raise h.TestFailure(f"smtpspec send - exited {result.returncode}: "
                            f"{result.stderr.decode(errors='replace').strip()[:300]}")


CLIENTS = {
    "smtplib": send_smtplib,
    "swaks": send_swaks,
    "smtpspec-send": send_smtpspec,
    "smtpspec-send-stdin": send_smtpspec_stdin,
}



def check_client_available(client):
    if client == "swaks" and shutil.which("swaks") is None:
        raise h.MissingDependency("swaks is not on PATH: install the Debian package swaks "
                                  "(scripts/deps.sh)")


def deliver_and_compare(send, server, maildir, path, workdir, smtpspec):
    """Deliver one message; return None when stored == wire form, else why not."""
    before = maildir.names()
    try:
        send(server.port, path, workdir, smtpspec)
        name = maildir.wait_new_file(before)
        fields, stored = h.split_trace(maildir.read(name))
    except h.TestFailure as failure:
        return str(failure)
    return_path = f"Return-Path: <{h.SENDER}>".encode()
    if fields[0] != return_path:
        return f"stored {name}: trace field {fields[0]!r}, expected {return_path!r}"
    expected = h.wire_form(path.read_bytes())
    if stored != expected:
        return f"stored {name} differs: {h.first_difference(expected, stored)}"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--client", choices=sorted(CLIENTS), required=True)
    parser.add_argument("--smtpspec", required=True)
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args()

    check_client_available(args.client)
    workdir = h.prepare_workdir(args.workdir)
    messages = h.real_messages() + h.synthetic_messages(workdir)
    server, maildir = h.smtpspec_server(args.smtpspec, workdir)
    failed = []
    with server:
        for path in messages:
            problem = deliver_and_compare(CLIENTS[args.client], server, maildir, path,
                                          workdir, args.smtpspec)
            if problem:
                failed.append(path.name)
                h.report(result="fail", client=args.client, file=path.name, reason=problem)
            else:
                h.report(result="pass", client=args.client, file=path.name)
            if not server.alive():
                raise h.TestFailure(f"server died after {path.name}; log:\n{server.log_tail()}")
    h.report(summary="messages", client=args.client, passed=len(messages) - len(failed),
             failed=len(failed))
    if failed:
        raise h.TestFailure(f"{args.client}: stored message differs for {', '.join(failed)}")


if __name__ == "__main__":
    h.run_main(main)
