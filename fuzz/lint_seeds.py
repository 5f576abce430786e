# smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
# SPDX-License-Identifier: MIT
"""Writes seed dialogue files for lint_fuzzer: each generated client session
(`smtpspec corpus --sessions`) becomes "C:" entries in the dialogue format of
docs/lint.md, with an "S:" reply after each command line that a plain server
would give (220 first, 354 to DATA, 250 after the data, 221 to QUIT, 250
otherwise); the project's golden dialogues and lint test files are copied as
they are.

Usage: python3 lint_seeds.py SESSION_DIR OUT_DIR [FILE_OR_DIR ...]
"""

import pathlib
import sys


def escape(octets: bytes) -> str:
    """The text of a C: entry for one line's octets (without its CRLF)."""
    out = []
    for b in octets:
        if b == 0x5C:
            out.append("\\\\")
        elif b == 0x0D:
            out.append("\\r")
        elif b == 0x0A:
            out.append("\\n")
        elif 0x20 <= b < 0x7F:
            out.append(chr(b))
        else:
            out.append(f"\\x{b:02X}")
    return "".join(out)


def to_dialogue(client: bytes) -> str:
    """The client's octets as C: entries, with the replies of a plain server."""
    entries = ["S: 220 s.example ESMTP"]
    in_data = False
    rest = client
    while rest:
        end = rest.find(b"\r\n")
        if end < 0:
            # No line ending: a trailing backslash says so (docs/lint.md).
            entries.append("C: " + escape(rest) + "\\")
            break
        line, rest = rest[:end], rest[end + 2:]
        entries.append("C: " + escape(line) if line else "C:")
        if in_data:
            if line == b".":
                in_data = False
                entries.append("S: 250 2.0.0 queued")
            continue
        verb = line.split(b" ", 1)[0].upper()
        if verb == b"DATA":
            in_data = True
            entries.append("S: 354 go ahead")
        elif verb == b"QUIT":
            entries.append("S: 221 bye")
        else:
            entries.append("S: 250 ok")
    return "\n".join(entries) + "\n"


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    sessions = pathlib.Path(sys.argv[1])
    out = pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for sample in sorted(p for p in sessions.iterdir() if p.is_file()):
        (out / f"session-{sample.name}.dialogue").write_text(to_dialogue(sample.read_bytes()))
        written += 1
    for given in sys.argv[3:]:
        path = pathlib.Path(given)
        files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
        for f in files:
            (out / f"file-{f.name}").write_bytes(f.read_bytes())
            written += 1
    print(f"lint_seeds.py: {written} dialogues in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
