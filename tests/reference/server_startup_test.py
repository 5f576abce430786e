# smtpspec: what `smtpspec serve` says when it cannot start, and what it logs
# for each message it stores or fails to store.
# SPDX-License-Identifier: MIT
"""Start-up errors and storage events of `smtpspec serve`, one case per run.

The start-up cases run the server with one bad setting each and assert the
exit status and the exact error line, which names the option (or the
configuration file, line and key) and the real cause. The storage case
delivers over loopback to a server on 127.0.0.1 port 0 and asserts the
`stored` and `store_failed` log events. Every wait is bounded; servers are
stopped by their recorded PID.
"""

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "integration"))

import server_net_test  # noqa: E402  (beside this file)
import smtpharness as h  # noqa: E402  (path set just above)

RUN_TIMEOUT = 30  # seconds for a server that must refuse to start


def run_refused(args, extra, workdir, defaults=True, maildir=True):
    """Runs serve with extra options; returns (exit status, stderr lines).

    With defaults, the server listens on 127.0.0.1 port 0 and writes no
    trace unless extra says otherwise (a --config case gives none: options
    override the file). One that wrongly starts is stopped by the timeout,
    reported as a failure.
    """
    argv = [args.smtpspec, "serve"]
    if defaults:
        argv += ["--trace", "none"]
        if "--listen" not in extra:
            argv += ["--listen", "127.0.0.1:0"]
    if maildir and "--maildir" not in extra:
        argv += ["--maildir", str(workdir / "maildir")]
    argv += extra
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=RUN_TIMEOUT, cwd=workdir, check=False)
    except subprocess.TimeoutExpired:
        raise h.TestFailure(f"{extra}: the server started instead of refusing") from None
    return done.returncode, done.stderr.decode("utf-8", "replace").splitlines()


def without_stamp(line):
    """A log line without its "ts=... " field, which changes every run."""
    return re.sub(r"^ts=\S+ ", "", line)


def expect_refusal(args, workdir, extra, status, line, defaults=True, maildir=True):
    """serve with extra exits with status and prints exactly line."""
    code, lines = run_refused(args, extra, workdir, defaults, maildir)
    got = [without_stamp(x) for x in lines]
    # A refused start-up says so and nothing else: no "listening" line.
    if code != status or line not in got or any(" event=listening " in x for x in got):
        raise h.TestFailure(f"{extra}: expected exit {status} and the line\n  {line}\n"
                            f"got exit {code} and\n  " + "\n  ".join(got))
    h.report(case="refusal", options=" ".join(extra), status=code)


def case_bad_settings(args):
    """Each bad setting: exit 2 and one line naming the option and the cause."""
    workdir = h.prepare_workdir(Path(args.workdir))
    not_a_folder = workdir / "plain-file"
    not_a_folder.write_text("x\n")
    bad_pem = workdir / "bad.pem"
    bad_pem.write_text("not PEM\n")
    auth_empty = workdir / "empty-auth"
    auth_empty.write_text("# nobody\n")
    auth_one = workdir / "auth"
    auth_one.write_text("u:p\n")
    good_cert, other_key = workdir / "cert.pem", workdir / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=a.test",
                    "-keyout", str(other_key), "-out", str(good_cert)],
                   check=True, capture_output=True, timeout=RUN_TIMEOUT)
    encrypted_key = workdir / "encrypted-key.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-aes256", "-pass", "pass:secret",
                    "-out", str(encrypted_key)],
                   check=True, capture_output=True, timeout=RUN_TIMEOUT)
    # A loopback port that is taken: our own listening socket.
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    taken = holder.getsockname()[1]
    refusals = [
        # Settings the server cannot start with (startup_error).
        # The default --tls-dir is beside the Maildir: a Maildir that cannot be
        # made is still the Maildir's fault (the Maildir is made first).
        (["--maildir", str(not_a_folder / "md")], 2,
         f'level=error event=startup_failed flag=--maildir value="{not_a_folder}/md" '
         f'error="cannot create its folders tmp/, new/ and cur/ ({not_a_folder}/md/tmp): '
         f'Not a directory"'),
        (["--maildir", str(not_a_folder)], 2,
         f'level=error event=startup_failed flag=--maildir value="{not_a_folder}" '
         f'error="cannot create its folders tmp/, new/ and cur/ ({not_a_folder}/tmp): '
         f'Not a directory"'),
        (["--tls-cert", str(bad_pem), "--tls-key", str(bad_pem)], 2,
         f'level=error event=startup_failed flag=--tls-cert value="{bad_pem}" '
         f'error="cannot load a PEM certificate chain: no start line (PEM routines)"'),
        (["--tls-cert", str(good_cert), "--tls-key", str(bad_pem)], 2,
         f'level=error event=startup_failed flag=--tls-key value="{bad_pem}" '
         f'error="cannot load a PEM private key for the certificate: '
         f'unsupported (DECODER routines)"'),
        (["--tls-cert", str(workdir / "missing.pem"), "--tls-key", str(bad_pem)], 2,
         f'level=error event=startup_failed flag=--tls-cert value="{workdir}/missing.pem" '
         f'error="cannot read it: No such file or directory"'),
        (["--ready-file", str(workdir / "no-such-folder" / "r")], 2,
         f'level=error event=startup_failed flag=--ready-file '
         f'value="{workdir}/no-such-folder/r" error="cannot create the temporary file '
         f'{workdir}/no-such-folder/r.tmp: No such file or directory"'),
        # A device that never ends as the key: refused after 1 MiB, at once.
        (["--tls-cert", str(good_cert), "--tls-key", "/dev/zero"], 2,
         'level=error event=startup_failed flag=--tls-key value="/dev/zero" '
         'error="cannot read it: it holds more than 1048576 octets, more than any PEM '
         'certificate chain or key"'),
        # A key behind a passphrase: refused at once, never a prompt.
        (["--tls-cert", str(good_cert), "--tls-key", str(encrypted_key)], 2,
         f'level=error event=startup_failed flag=--tls-key value="{encrypted_key}" '
         f'error="cannot load a PEM private key for the certificate: it is protected by a '
         f'passphrase; give the key unencrypted (readable by the server\'s user only)"'),
        # A folder or a missing file as --config: refused, never taken as empty.
        (["--config", str(workdir)], 2,
         f"smtpspec: {workdir}: is a folder, not the configuration file"),
        (["--config", str(workdir / "missing.toml")], 2,
         f"smtpspec: {workdir}/missing.toml: cannot read the configuration file: "
         f"No such file or directory"),
        # A device that never ends: refused after 1 MiB, not read into memory.
        (["--config", "/dev/zero"], 2,
         "smtpspec: /dev/zero: the configuration file holds more than 1048576 octets; no "
         "settings file is that large"),
        (["--script", "/dev/urandom"], 2,
         "--script: /dev/urandom: the script holds more than 1048576 octets; no settings "
         "file is that large"),
        (["--listen", f"127.0.0.1:{taken}"], 2,
         f'level=error event=startup_failed flag=--listen value="127.0.0.1:{taken}" '
         f'error="cannot bind to it: Address already in use"'),
        # Values of the wrong shape (checked before anything starts).
        (["--listen", "localhost:2600"], 2,
         '--listen: needs a numeric address (such as 127.0.0.1:2525 or [::1]:2525); names '
         'are not resolved, got "localhost:2600"'),
        (["--hostname", "evil\r\n250 injected"], 2,
         '--hostname: expected a Domain or an address literal (RFC 5321 4.1.2, in ASCII), '
         'got "evil\\r\\n250 injected"'),
        (["--local-domain", "bad domain!"], 2,
         '--local-domain: expected a Domain or an address literal (RFC 5321 4.1.2), '
         'got "bad domain!"'),
        (["--mailbox", "alice"], 2,
         '--mailbox: expected a Mailbox user@domain (RFC 5321 4.1.2), got "alice"'),
        (["--max-size", "-1"], 2,
         '--max-size: expected an integer from 0 to 9223372036854775807, got "-1"'),
        (["--max-recipients", "99"], 2,
         '--max-recipients: expected an integer from 100 to 1000000 '
         '(RFC 5321 4.5.3.1.8: at least 100), got "99"'),
        (["--script-rule", "explode"], 2,
         '--script-rule: "explode": unknown rule "explode" '
         '(reply, close, delay, multiline, tls-failure)'),
        # An empty path (the current folder, or no file, unsaid) and a folder
        # where a file is written or read as PEM: refused before anything.
        (["--maildir", ""], 2, '--maildir: expected a path, got ""'),
        (["--ready-file", ""], 2, '--ready-file: expected a path, got ""'),
        (["--ready-file", str(workdir)], 2, f'--ready-file: "{workdir}" is a folder, not a file'),
        (["--tls-cert", str(workdir), "--tls-key", str(other_key)], 2,
         f'--tls-cert: "{workdir}" is a folder, not a file'),
        (["--tls-cert", str(good_cert), "--tls-key", str(workdir)], 2,
         f'--tls-key: "{workdir}" is a folder, not a file'),
        (["--trace-file", str(workdir / "t.txt")], 2,  # The defaults add --trace none.
         "--trace-file: cannot be used with --trace: --trace none writes no trace, so no "
         "trace file is used; give one of them"),
        # Folders open as streams that read nothing: refused, never empty.
        (["--auth-file", str(workdir)], 2,
         f"--auth-file: {workdir}: is a folder, not the credentials file"),
        (["--script", str(workdir)], 2,
         f"--script: {workdir}: is a folder, not the script"),
        (["--auth-file", str(auth_empty)], 2,
         f"--auth-file: {auth_empty}: no user:password line, so no client could "
         f"authenticate"),
        (["--auth-file", str(auth_one), "--no-tls"], 2,
         "--auth-file: AUTH is offered only after STARTTLS, which --no-tls turns off; "
         "add --auth-without-tls (loopback only) or drop --no-tls"),
        (["--tls-cert", str(bad_pem)], 2,
         "--tls-cert: --tls-cert and --tls-key go together (or neither: a self-signed "
         "certificate in --tls-dir)"),
        # Contradictions: both options named, neither silently ignored.
        (["--discard"], 2,
         "--discard: cannot be used with --maildir: --discard stores nothing, so no Maildir "
         "is used; give one of them"),
        (["--no-tls", "--tls-dir", str(workdir / "tls")], 2,
         "--no-tls: cannot be used with --tls-dir: --no-tls offers no STARTTLS, so no "
         "certificate is used; give one of them"),
        (["--no-tls", "--tls-cert", str(good_cert), "--tls-key", str(other_key)], 2,
         "--no-tls: cannot be used with --tls-cert: --no-tls offers no STARTTLS, so no "
         "certificate is used; give one of them"),
        (["--tls-cert", str(good_cert), "--tls-key", str(other_key), "--tls-dir",
          str(workdir / "tls")], 2,
         "--tls-cert: cannot be used with --tls-dir: --tls-dir holds the self-signed "
         "certificate made when no --tls-cert/--tls-key pair is given; give the pair or "
         "--tls-dir"),
    ]
    try:
        for extra, status, line in refusals:
            expect_refusal(args, workdir, extra, status, line)
    finally:
        holder.close()
    # A trace file that is a folder, with a trace to write (the defaults
    # would add --trace none, which contradicts any --trace-file).
    expect_refusal(args, workdir, ["--listen", "127.0.0.1:0", "--trace-file", str(workdir)], 2,
                   f'--trace-file: "{workdir}" is a folder, not a file', defaults=False)
    h.report(case="bad_settings", result="pass", refusals=len(refusals))


def case_bad_config_values(args):
    """--config values are checked as the options are; errors name file:line."""
    workdir = h.prepare_workdir(Path(args.workdir))
    # (file, line, error)
    cases = [
        ('hostname = "evil\\r\\n250 injected"\n', 1,
         'key "hostname": expected a Domain or an address literal (RFC 5321 4.1.2, '
         'in ASCII), got "evil\\r\\n250 injected"'),
        ('# top\nlocal_domains = ["ok.test", "bad domain!"]\n', 2,
         'key "local_domains": expected a Domain or an address literal (RFC 5321 4.1.2), '
         'got "bad domain!"'),
        ('listen = "localhost:2600"\n', 1,
         'key "listen": needs a numeric address (such as 127.0.0.1:2525 or [::1]:2525); '
         'names are not resolved, got "localhost:2600"'),
        ('[client_testing]\nscript_rules = ["explode"]\n', 2,
         'key "client_testing.script_rules": "explode": unknown rule "explode" '
         '(reply, close, delay, multiline, tls-failure)'),
        ('[trace]\nformat = "xml"\n', 2,
         'key "trace.format": expected text, json or none, got "xml"'),
    ]
    # Settings refused once the whole configuration is known: named by the
    # file's line and key too, not by an option that was never given.
    cases += [
        ('[trace]\nfile = "/nonexistent/t"\n', 2,
         'key "trace.file": cannot open /nonexistent/t: No such file or directory'),
        # An empty path would be the current folder (or no file) unsaid.
        ('[trace]\nfile = ""\n', 2, 'key "trace.file": expected a path, got ""'),
        # A folder where the server writes a file: found by the server before
        # it binds, worded as the value checks word a bad value.
        (f'ready_file = "{workdir}"\n', 1, f'key "ready_file": "{workdir}" is a folder, not a file'),
        (f'[trace]\nfile = "{workdir}"\n', 2, f'key "trace.file": "{workdir}" is a folder, not a file'),
        ('[trace]\nformat = "none"\nfile = "t.txt"\n', 2,
         'key "trace.format": cannot be used with key "trace.file" (line 3): --trace none '
         'writes no trace, so no trace file is used; give one of them'),
        ('[auth]\nrequired = true\n', 2,
         'key "auth.required": needs --auth-file (the users and passwords)'),
        # A contradiction with an option (run_refused adds --maildir), and one
        # within the file: the key of the file named, and the other setting.
        ('[store]\ndiscard = true\n', 2,
         'key "store.discard": cannot be used with --maildir: --discard stores nothing, so '
         'no Maildir is used; give one of them'),
        ('[tls]\nenabled = false\ndir = "tls"\n', 3,
         'key "tls.dir": cannot be used with key "tls.enabled" (line 2): --no-tls offers no '
         'STARTTLS, so no certificate is used; give one of them'),
        # A UTF-8 byte order mark before the first line is read as nothing.
        ('\ufeff[trace]\nformat = "xml"\n', 2,
         'key "trace.format": expected text, json or none, got "xml"'),
    ]
    for number, (text, line, what) in enumerate(cases):
        config = workdir / f"bad-{number}.toml"
        config.write_text(text, encoding="utf-8")
        expect_refusal(args, workdir, ["--config", str(config)], 2,
                       f"smtpspec: {config}:{line}: {what}", defaults=False)
    # A setting the server cannot start with, from the file: its startup_failed
    # line names the file, line and key instead of a flag.
    not_a_folder = workdir / "plain-file"
    not_a_folder.write_text("x\n")
    config = workdir / "bad-maildir.toml"
    config.write_text(f'listen = "127.0.0.1:0"\n[store]\nmaildir = "{not_a_folder}"\n')
    expect_refusal(args, workdir, ["--config", str(config), "--trace", "none"], 2,
                   f'level=error event=startup_failed config="{config}" line=3 '
                   f'key=store.maildir value="{not_a_folder}" error="cannot create its folders '
                   f'tmp/, new/ and cur/ ({not_a_folder}/tmp): Not a directory"',
                   defaults=False, maildir=False)
    h.report(case="bad_config_values", result="pass", files=len(cases) + 1)


def log_events(srv, event, count=1):
    """The server's log lines of one event, without their time stamps, once
    there are `count` of them (the server writes its lines out at the end of
    each turn of its event loop, so one may follow the reply it concerns by
    a moment) or after 5 s."""
    deadline = time.monotonic() + 5
    while True:
        text = srv.log_file.read_text(encoding="utf-8", errors="replace")
        lines = [without_stamp(x) for x in text.splitlines() if f" event={event} " in x]
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.01)


# spec: 6.1 R-6.1-1 test
def case_store_events(args):
    """A stored message and a failed store each log one event with the facts."""
    srv, maildir, _ = server_net_test.server(args, "store-events")
    with srv:
        with h.Conversation(srv.host, srv.port) as conv:
            server_net_test.greet(conv)
            conv.expect(b"MAIL FROM:<a@client.test>", 250)
            conv.expect(b"RCPT TO:<b@example.org>", 250)
            conv.expect(b"RCPT TO:<c@example.org>", 250)
            conv.expect(b"DATA", 354)
            body = b"Subject: s\r\n\r\nbody\r\n"
            conv.send(body + b".\r\n")
            reply = conv.read_reply()
            if reply.code != 250:
                raise h.TestFailure(f"end of data: expected 250, got {reply}")
            (name,) = maildir.names()
            expected = (f"level=info event=stored session=1 file={name} size={len(body)} "
                        f"recipients=2")
            got = log_events(srv, "stored")
            if got != [expected]:
                raise h.TestFailure(f"expected the log line\n  {expected}\ngot {got}")

            # The Maildir loses new/: the next message cannot be stored.
            (maildir.path / "new" / name).rename(maildir.path / "cur" / name)
            (maildir.path / "new").rmdir()
            conv.expect(b"MAIL FROM:<a@client.test>", 250)
            conv.expect(b"RCPT TO:<b@example.org>", 250)
            conv.expect(b"DATA", 354)
            conv.send(body + b".\r\n")
            reply = conv.read_reply()
            if reply.lines != [b"451 4.3.0 Could not store the message; try again later"]:
                raise h.TestFailure(f"end of data without new/: got {reply}")
            conv.expect(b"QUIT", 221)
        failed = log_events(srv, "store_failed")
        pattern = (rf'level=warning event=store_failed session=1 '
                   rf'path="{re.escape(str(maildir.path))}/new/[^"/]+" '
                   rf'error="No such file or directory" size={len(body)} recipients=1')
        if len(failed) != 1 or not re.fullmatch(pattern, failed[0]):
            raise h.TestFailure(f"expected one line matching\n  {pattern}\ngot {failed}")
        (maildir.path / "new").mkdir()
    h.report(case="store_events", result="pass")


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}


if __name__ == "__main__":
    sys.exit(server_net_test.main(CASES, __doc__))
