# smtpspec: malformed and hostile input against the reference server.
# SPDX-License-Identifier: MIT
"""Bad input cases for `smtpspec serve`, one case per run (--case NAME).

Each case opens a connection A, sends the bad input, and asserts the exact
replies. While A is still open (or right after the server closed it), a
second connection B must get its 220 and deliver a message that is stored
intact: one bad client must not disturb the others. At the end the server
must still run, and stop with exit code 0 on SIGTERM.

The ids (B01, B38, ...) are the rows of known-faults.md. Two levels of
expectation are checked and reported separately:
  * what RFC 5321 requires of any server (e.g. never a second transaction
    out of one DATA: no reply acknowledges a smuggled MAIL/RCPT/DATA);
  * what the smtpspec CLI contract promises on top (e.g. a bare LF in DATA
    is read to the real CRLF.CRLF and then refused with a 5yz, nothing is
    stored; a bad command line gets exactly one 500). Where the contract says
    only "5yz" for refused data, the code must also be one that 4.3.2 lists
    for the end of DATA (550, 552, 554).

Usage: test_bad_input.py --case NAME --smtpspec BIN --workdir DIR [--profile NAME]
"""

import argparse
import random
import socket
import time

import smtpharness as h

SILENCE = 1.0  # seconds in which no reply may arrive (bare-LF cases)

SMUGGLED = (b"MAIL FROM:<boss@example.com>\r\n"
            b"RCPT TO:<victim@example.org>\r\n"
            b"DATA\r\n"
            b"From: boss@example.com\r\n\r\n"
            b"fake\r\n.\r\n")


class Case:
    """Context of one case: the server, its Maildir, and the B-connection."""

    def __init__(self, server, maildir, workdir, smtpspec):
        self.server = server
        self.smtpspec = smtpspec
        self.maildir = maildir
        self.workdir = workdir
        self.host = server.host
        self.port = server.port
        self.checked_concurrent = 0
        self.own_files = set()  # files stored by the B connections

    def connect(self):
        """Connection A, greeted (220 checked)."""
        conv = h.Conversation(self.host, self.port)
        greeting = conv.read_reply()
        if greeting.code != 220:
            raise h.TestFailure(f"greeting: expected 220, got {greeting}")
        return conv

    def other_connection_delivers(self):
        """Connection B gets 220 and delivers a message stored intact."""
        self.checked_concurrent += 1
        token = f"concurrent-check-{self.checked_concurrent}-{time.monotonic_ns()}"
        message = (f"Subject: {token}\r\nX-Check: {token}\r\n\r\nstill serving\r\n").encode()
        before = self.maildir.names()
        with h.open_transaction(self.host, self.port) as conv:
            conv.send(h.dot_stuff(message))
            reply = conv.read_reply()
            if reply.code != 250:
                raise h.TestFailure(f"connection B: end of data: expected 250, got {reply}")
            conv.expect(b"QUIT", 221)
        name = self.maildir.wait_file_containing(before, token.encode())
        self.own_files.add(name)
        stored = h.stored_message(self.maildir, name)
        if stored != message:
            raise h.TestFailure(f"connection B: stored {h.first_difference(message, stored)}")
        h.report(check="concurrent-delivery", result="pass", file=name)

    def stored_by_a(self):
        """Files in new/ that the B-connections did not store."""
        return sorted(self.maildir.names() - self.own_files)


def expect_codes(what, replies, allowed):
    """The reply codes must be one of the allowed sequences, exactly."""
    got = h.codes(replies)
    if got not in allowed:
        raise h.TestFailure(f"{what}: expected replies {' or '.join(map(str, allowed))}, "
                            f"got {got} {replies}")
    h.report(check=what, result="pass", replies=got)


def expect_5yz(what, reply):
    if not 500 <= reply.code <= 599:
        raise h.TestFailure(f"{what}: expected a 5yz refusal, got {reply}")


# 4.3.2: the permanent-failure replies a server may give at the end of data.
END_OF_DATA_REFUSALS = (550, 552, 554)


def expect_data_refused(what, reply):
    """Data refused at its end: a 5yz that 4.3.2 lists for the end of DATA."""
    if reply.code not in END_OF_DATA_REFUSALS:
        raise h.TestFailure(f"{what}: expected the data refused with one of "
                            f"{END_OF_DATA_REFUSALS} (4.3.2), got {reply}")


def finish_with_quit(conv):
    """Send QUIT and return every reply up to the close (bounded)."""
    conv.send(b"QUIT\r\n")
    return conv.replies_until_close()


# Replies to [bad line, NOOP, QUIT]: the server answers the bad line with one
# 500 and stays in step (NOOP 250, QUIT 221), or answers 500 and closes
# (optionally with a 421 first).
ONE_500_THEN_IN_STEP = ([500, 250, 221], [500], [500, 421])


def bad_command_line(case, line):
    """Send one malformed command line; exactly one 500 for it, no more."""
    conv = case.connect()
    conv.expect(b"EHLO " + h.CLIENT_NAME.encode(), 250)
    conv.send(line)
    replies = [conv.read_reply()]
    case.other_connection_delivers()
    try:
        conv.send(b"NOOP\r\n")
        replies.append(conv.read_reply())
        replies += finish_with_quit(conv)
    except (h.ConnectionClosed, BrokenPipeError, ConnectionResetError):
        pass
    conv.close()
    return replies


def case_b38_line_600(case):
    """B38: `NOOP ` + 600 x `a`: over the 512-octet limit (4.5.3.1.4) -> 500."""
    replies = bad_command_line(case, b"NOOP " + b"a" * 600 + h.CRLF)
    expect_codes("B38 600-octet command line", replies, ONE_500_THEN_IN_STEP)


def case_b38_line_1mib(case):
    """B38: 1 MiB without CRLF: the server answers or closes, and lives on."""
    conv = case.connect()
    chunk = b"a" * 65536
    sent = 0
    closed_early = False
    try:
        for _ in range(16):
            conv.send(chunk)
            sent += len(chunk)
    except (BrokenPipeError, ConnectionResetError, socket.timeout):
        closed_early = True
    h.report(check="B38 1MiB sent", bytes=sent, closed_early=closed_early)

    # Within the timeout: a 5yz reply (the line is refused, the session goes
    # on), a 421 and the close (3.8: the server gives up on the session), or
    # the close alone (the 421 may be lost to a reset while we still send).
    outcome = None
    try:
        reply = conv.read_reply()
        outcome = f"reply {reply.code}"
        if reply.code == 421:
            conv.replies_until_close()
            outcome = "421 and closed"
        else:
            expect_5yz("B38 1 MiB line", reply)
    except h.ConnectionClosed:
        outcome = "closed"
    case.other_connection_delivers()
    if outcome != "closed":
        try:
            conv.send(b"\r\nQUIT\r\n")
            rest = conv.replies_until_close()
            if not rest or rest[-1].code != 221 or any(r.code < 500 for r in rest[:-1]):
                raise h.TestFailure(f"B38 1 MiB line: after CRLF QUIT expected only 5yz "
                                    f"then 221, got {rest}")
        except (h.ConnectionClosed, BrokenPipeError, ConnectionResetError):
            pass
    conv.close()
    h.report(check="B38 1 MiB line", result="pass", outcome=outcome)


def send_bytewise(conv, payload, pause=0.002):
    """One write per octet, so that every boundary falls between two reads."""
    for index in range(len(payload)):
        conv.send(payload[index:index + 1])
        time.sleep(pause)


def smuggling_case(case, what, payload, later=None, bytewise=False):
    """After 354, send payload (and `later` after a pause); one 5yz only."""
    conv = h.open_transaction(case.host, case.port)
    if bytewise:
        send_bytewise(conv, payload)
    else:
        conv.send(payload)
    if later is not None:
        conv.expect_silence(SILENCE)
        conv.send(later)
    replies = [conv.read_reply()]
    case.other_connection_delivers()
    replies += finish_with_quit(conv)
    conv.close()

    got = h.codes(replies)
    # RFC 5321 (4.1.1.4, 2.3.8): never a second transaction out of one DATA.
    if got.count(354) or got.count(250) > 1:
        raise h.TestFailure(f"{what}: smuggled commands were acknowledged: {replies}")
    stored = case.stored_by_a()
    if len(stored) > 1:
        raise h.TestFailure(f"{what}: one DATA stored {len(stored)} messages: {stored}")
    # smtpspec contract: the whole data is refused with one 5yz, then QUIT.
    if len(replies) != 2 or replies[-1].code != 221:
        raise h.TestFailure(f"{what}: expected one reply to the data then 221, got {replies}")
    expect_data_refused(what, replies[0])
    if stored:
        raise h.TestFailure(f"{what}: data refused with {replies[0].code} but stored {stored}")
    h.report(check=what, result="pass", replies=got, stored=0)


def case_b01(case):
    """B01: `<LF>.<CR><LF>` is not end of data; no smuggled transaction."""
    smuggling_case(case, "B01 <LF>.<CR><LF>",
                   b"Subject: a\r\n\r\nhello\n.\r\n" + SMUGGLED)


def case_b05_b01_bytewise(case):
    """B05 + B01: the same verdict when every octet arrives in its own read."""
    smuggling_case(case, "B01 sent one octet per write",
                   b"Subject: a\r\n\r\nhello\n.\r\n" + SMUGGLED, bytewise=True)


def case_b02(case):
    """B02: `<LF>.<LF>` is not end of data."""
    smuggling_case(case, "B02 <LF>.<LF>",
                   b"Subject: a\r\n\r\nhello\n.\n" + SMUGGLED)


def case_b03(case):
    """B03: `<CRLF>.<LF>QUIT`: no reply and no QUIT until the real end."""
    smuggling_case(case, "B03 <CRLF>.<LF>QUIT",
                   b"Subject: a\r\n\r\nhello\r\n.\nQUIT\r\n", later=b"\r\n.\r\n")


def case_bare_cr_data(case):
    """A bare CR inside DATA: read to CRLF.CRLF, then one 5yz, nothing stored."""
    smuggling_case(case, "bare CR in DATA",
                   b"Subject: a\r\n\r\nhello\rworld\r\n.\rMAIL FROM:<boss@example.com>\r\n"
                   b"more\r\n.\r\n")


def case_nul_command(case):
    """NUL bytes in a command line -> one 500, session in step."""
    replies = bad_command_line(case, b"NO\x00OP\x00\x00\r\n")
    expect_codes("NUL in command", replies, ONE_500_THEN_IN_STEP)


def case_binary_command(case):
    """Binary garbage (no CR or LF inside) as a command -> one 500."""
    generator = random.Random(5321)
    garbage = bytes(b for b in generator.randbytes(300) if b not in (10, 13))
    replies = bad_command_line(case, garbage + h.CRLF)
    expect_codes("binary garbage command", replies, ONE_500_THEN_IN_STEP)


def case_bare_cr_command(case):
    """A bare CR inside a command line -> one 500 for the whole line."""
    replies = bad_command_line(case, b"NOOP\rNOOP\r\n")
    expect_codes("bare CR in command (contract: one 500 for the whole line)", replies,
                 ONE_500_THEN_IN_STEP)


def case_b48(case):
    """B48: LF-only command terminators; one 500 at the real CRLF, never two."""
    conv = case.connect()
    conv.send(b"HELO client.example.net\n")
    conv.expect_silence(SILENCE)
    conv.send(b"MAIL FROM:<>\n")
    conv.expect_silence(SILENCE)
    case.other_connection_delivers()
    conv.send(h.CRLF)
    replies = [conv.read_reply()]
    replies += finish_with_quit(conv)
    conv.close()
    expect_codes("B48 bare LF command terminators (contract: one 500 for the whole line)",
                 replies, ([500, 221],))


def case_disconnect_mid_data(case):
    """Client drops the connection inside DATA: nothing in new/, nor in tmp/."""
    conv = h.open_transaction(case.host, case.port)
    conv.send(b"Subject: cut\r\n\r\nthis message never ends\r\npartial")
    case.other_connection_delivers()
    conv.sock.shutdown(socket.SHUT_RDWR)
    conv.close()
    case.maildir.wait_tmp_empty()
    time.sleep(0.5)  # a server that wrongly commits on close would do it by now
    case.other_connection_delivers()
    case.maildir.wait_tmp_empty()
    stored = case.stored_by_a()
    if stored:
        raise h.TestFailure(f"disconnect mid-DATA: partial message stored: {stored}")
    h.report(check="disconnect mid-DATA", result="pass", new=0, tmp=0)


def split_end_case(case, what, writes):
    """The legal end of data, split over several writes: exactly one 250."""
    conv = h.open_transaction(case.host, case.port)
    for number, piece in enumerate(writes[:-1]):
        conv.send(piece)
        conv.expect_silence(0.3)
        if number == 0:
            case.other_connection_delivers()
    before = case.maildir.names()
    conv.send(writes[-1])
    replies = [conv.read_reply()]
    replies += finish_with_quit(conv)
    conv.close()
    expect_codes(what, replies, ([250, 221],))
    name = case.maildir.wait_new_file(before)
    stored = h.stored_message(case.maildir, name)
    expected = b"Subject: split\r\n\r\nhello\r\n"
    if stored != expected:
        raise h.TestFailure(f"{what}: stored {h.first_difference(expected, stored)}")
    case.own_files.add(name)


def case_b05_three_writes(case):
    """B05: `hello<CR>` / `<LF>.<CR>` / `<LF>` ends data exactly once."""
    split_end_case(case, "B05 split in three writes",
                   [b"Subject: split\r\n\r\nhello\r", b"\n.\r", b"\n"])


def case_b05_two_writes(case):
    """B05: `hello<CRLF>.` / `<CRLF>` ends data exactly once."""
    split_end_case(case, "B05 split in two writes",
                   [b"Subject: split\r\n\r\nhello\r\n.", b"\r\n"])


DOTS_TEXT = b"Subject: dots\n\nhello\n.\n.test\n..x\n"
DOTS_STORED = b"Subject: dots\r\n\r\nhello\r\n.\r\n.test\r\n..x\r\n"
DOTS_WIRE = b"Subject: dots\r\n\r\nhello\r\n..\r\n..test\r\n...x\r\n.\r\n"


def case_b39(case):
    """B39: lines `.`, `.test`, `..x`: stuffed on the wire, stored unstuffed."""
    # Server side: stuffed data on the wire is stored unstuffed.
    before = case.maildir.names()
    with h.open_transaction(case.host, case.port) as conv:
        conv.send(DOTS_WIRE)
        replies = [conv.read_reply()] + finish_with_quit(conv)
    expect_codes("B39 server end of data", replies, ([250, 221],))
    name = case.maildir.wait_new_file(before)
    case.own_files.add(name)
    stored = h.stored_message(case.maildir, name)
    if stored != DOTS_STORED:
        raise h.TestFailure(f"B39 server unstuffing: {h.first_difference(DOTS_STORED, stored)}")
    h.report(check="B39 server unstuffing", result="pass")

    # Client side: `smtpspec send` stuffs exactly as 4.5.2 says.
    source = case.workdir / "dots.txt"
    source.write_bytes(DOTS_TEXT)
    with h.RecordingPeer() as peer:
        result = h.smtpspec_send(case.smtpspec, h.LOOPBACK, peer.port, source)
    if result.returncode != 0 or peer.error:
        raise h.TestFailure(f"B39 client: smtpspec send exited {result.returncode}, "
                            f"peer error {peer.error}: {result.stderr[-300:]!r}")
    if peer.data != [DOTS_WIRE]:
        raise h.TestFailure(f"B39 client stuffing: expected {DOTS_WIRE!r}, sent {peer.data!r}")
    h.report(check="B39 client stuffing", result="pass")

    # Both together: the reference client to the reference server.
    before = case.maildir.names()
    result = h.smtpspec_send(case.smtpspec, case.host, case.port, source)
    if result.returncode != 0:
        raise h.TestFailure(f"B39 round trip: smtpspec send exited {result.returncode}: "
                            f"{result.stderr[-300:]!r}")
    name = case.maildir.wait_new_file(before)
    case.own_files.add(name)
    stored = h.stored_message(case.maildir, name)
    if stored != DOTS_STORED:
        raise h.TestFailure(f"B39 round trip: {h.first_difference(DOTS_STORED, stored)}")
    h.report(check="B39 round trip", result="pass")
    case.other_connection_delivers()


CASES = {
    "B38.line_600": case_b38_line_600,
    "B38.line_1MiB_no_crlf": case_b38_line_1mib,
    "B01": case_b01,
    "B02": case_b02,
    "B03": case_b03,
    "bare_cr_data": case_bare_cr_data,
    "bare_cr_command": case_bare_cr_command,
    "nul_command": case_nul_command,
    "binary_command": case_binary_command,
    "B48": case_b48,
    "disconnect_mid_data": case_disconnect_mid_data,
    "B05.three_writes": case_b05_three_writes,
    "B05.two_writes": case_b05_two_writes,
    "B05.B01_bytewise": case_b05_b01_bytewise,
    "B39": case_b39,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=sorted(CASES), required=True)
    parser.add_argument("--smtpspec", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--profile", help="smtpspec serve --profile (default: the server's)")
    args = parser.parse_args()

    workdir = h.prepare_workdir(args.workdir)
    server, maildir = h.smtpspec_server(args.smtpspec, workdir, profile=args.profile)
    with server:
        case = Case(server, maildir, workdir, args.smtpspec)
        CASES[args.case](case)
        if case.checked_concurrent == 0:
            raise h.TestFailure(f"{args.case}: the case never checked a second connection")
        if not server.alive():
            raise h.TestFailure(f"server died during {args.case}; log:\n{server.log_tail()}")
        case.other_connection_delivers()
    h.report(case=args.case, profile=args.profile or "default", result="pass")


if __name__ == "__main__":
    h.run_main(main)
