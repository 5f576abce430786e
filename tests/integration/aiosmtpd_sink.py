# smtpspec: an aiosmtpd server that keeps every message it receives.
# SPDX-License-Identifier: MIT
"""aiosmtpd as a real peer for the reference client.

Listens on 127.0.0.1 (port chosen by the OS), writes "127.0.0.1:PORT" to
--ready-file once listening, and stores each message's data as aiosmtpd hands
it to the handler (CRLF line ends, dot-stuffing already removed, no trace
fields added) in --outdir as NNNN.eml, with the envelope in NNNN.envelope
(MAIL FROM on the first line, one RCPT TO per line after it). Files are
written under a temporary name and renamed, so a reader never sees half a
file. Stops on SIGTERM with exit code 0.

Run with /usr/bin/python3: Debian's python3-aiosmtpd belongs to it.
"""

import argparse
import asyncio
import os
import signal
import sys
from pathlib import Path

try:
    from aiosmtpd.smtp import SMTP
except ImportError:
    print("aiosmtpd is missing: install the Debian package python3-aiosmtpd "
          "(scripts/deps.sh) and run with /usr/bin/python3", file=sys.stderr)
    sys.exit(2)


class KeepEverything:
    """aiosmtpd handler: one file per message, numbered in arrival order."""

    def __init__(self, outdir):
        self.outdir = Path(outdir)
        self.count = 0

    def _write(self, name, data):
        temporary = self.outdir / f".{name}.tmp"
        temporary.write_bytes(data)
        os.replace(temporary, self.outdir / name)

    async def handle_DATA(self, _server, _session, envelope):
        self.count += 1
        stem = f"{self.count:04d}"
        envelope_lines = [envelope.mail_from] + list(envelope.rcpt_tos)
        self._write(f"{stem}.envelope", ("\n".join(envelope_lines) + "\n").encode())
        self._write(f"{stem}.eml", envelope.original_content)
        return "250 2.0.0 stored as " + stem


async def serve(outdir, ready_file):
    loop = asyncio.get_running_loop()
    handler = KeepEverything(outdir)

    def make_protocol():
        return SMTP(handler, hostname="aiosmtpd.test", decode_data=False)

    server = await loop.create_server(make_protocol, host="127.0.0.1", port=0)
    host, port = server.sockets[0].getsockname()[:2]
    temporary = Path(str(ready_file) + ".tmp")
    temporary.write_text(f"{host}:{port}\n", encoding="ascii")
    os.replace(temporary, ready_file)
    print(f"event=listening address={host}:{port}", file=sys.stderr, flush=True)

    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    await stop.wait()
    server.close()
    await server.wait_closed()
    print(f"event=stopped messages={handler.count}", file=sys.stderr, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outdir", required=True)
    parser.add_argument("--ready-file", required=True)
    args = parser.parse_args()
    Path(args.outdir).mkdir(parents=True, exist_ok=True)
    asyncio.run(serve(args.outdir, args.ready_file))


if __name__ == "__main__":
    main()
