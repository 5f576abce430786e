# smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
# SPDX-License-Identifier: MIT
"""Writes seed dialogues for client_session_fuzzer: what a server sends to
the reference client, made from generated Greeting, ehlo-ok-rsp and
Reply-line samples (smtpspec corpus) whose reply codes are set to follow a
session: the happy path, and the same path with one reply replaced by each
refusal the model permits there. Every multi-line sample keeps its lines;
only the three digits of each line are rewritten.

Usage: python3 client_seeds.py CORPUS_DIR OUT_DIR
CORPUS_DIR holds Greeting/, ehlo-ok-rsp/ and Reply-line/ as written by
`smtpspec corpus --rule Greeting --rule ehlo-ok-rsp --rule Reply-line`.
"""

import pathlib
import sys

# The replies the reference client waits for, in order: greeting, EHLO,
# MAIL, RCPT (a mailbox), RCPT (the null path), DATA, end of data, QUIT.
HAPPY = [220, 250, 250, 250, 250, 354, 250, 221]
# For each step, replies a server may send instead (4.3.2).
REFUSALS = [
    [554, 421],
    [500, 501, 502, 504, 550, 421],
    [451, 452, 455, 503, 550, 552, 553, 555, 421],
    [450, 451, 452, 503, 550, 551, 552, 553, 555, 421],
    [450, 550, 553],
    [451, 503, 554, 421],
    [451, 452, 550, 552, 554, 421],
    [421, 500],
]


def samples(folder: pathlib.Path) -> list[bytes]:
    """The sample files of one rule, in name order."""
    return [p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()]


def with_code(reply: bytes, code: int) -> bytes:
    """The reply with every line's code set to code; the separators are kept."""
    lines = reply.split(b"\r\n")
    digits = str(code).encode()
    return b"\r\n".join(line and digits + line[3:] for line in lines)


def dialogue(codes: list[int], greeting: bytes, ehlo: bytes, replies: list[bytes],
             start: int) -> bytes:
    """One server side of a session: the greeting, the EHLO reply, then one reply per code."""
    out = [with_code(greeting, codes[0]), with_code(ehlo, codes[1])]
    for i, code in enumerate(codes[2:]):
        out.append(with_code(replies[(start + i) % len(replies)], code))
    return b"".join(out)


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    corpus = pathlib.Path(sys.argv[1])
    out = pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    greetings = samples(corpus / "Greeting")
    ehlos = samples(corpus / "ehlo-ok-rsp")
    replies = samples(corpus / "Reply-line")
    if not greetings or not ehlos or not replies:
        print(f"client_seeds.py: {corpus} lacks Greeting, ehlo-ok-rsp or Reply-line samples",
              file=sys.stderr)
        return 2

    paths = [HAPPY]
    for step, codes in enumerate(REFUSALS):
        for code in codes:
            paths.append(HAPPY[:step] + [code] + HAPPY[step + 1:])
    written = 0
    for n, codes in enumerate(paths):
        # Each path once per variant of the samples, cycling through them.
        for variant in range(max(1, len(greetings) // len(paths) + 1)):
            k = n + variant * len(paths)
            data = dialogue(codes, greetings[k % len(greetings)], ehlos[k % len(ehlos)],
                            replies, k)
            (out / f"dialogue-{written:06d}").write_bytes(data)
            written += 1
    print(f"client_seeds.py: {written} dialogues in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
