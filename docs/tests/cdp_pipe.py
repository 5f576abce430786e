# smtpspec: an executable specification of SMTP (RFC 5321, 5321bis).
# SPDX-License-Identifier: MIT
"""A headless Chromium driven over the DevTools protocol on a pipe.

Chromium's --remote-debugging-pipe reads protocol messages from file
descriptor 3 and writes them to descriptor 4, each a JSON text ended by a NUL
octet. No port is opened and nothing beyond the standard library is needed.
The browser runs in a process group of its own, started here; close() ends
that group only, by the PID recorded at start.
"""
import fcntl
import json
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import time

FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--disable-dev-shm-usage', '--no-default-browser-check', '--mute-audio',
         '--remote-debugging-pipe']


def high_fd(fd):
    """A copy of fd numbered 10 or above (so that dup2 onto 3 and 4 cannot collide)."""
    copy = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return copy


class Browser:
    def __init__(self, chromium, log_path):
        self.profile = tempfile.mkdtemp(prefix='smtpspec-chromium-')
        to_browser_r, to_browser_w = (high_fd(fd) for fd in os.pipe())
        from_browser_r, from_browser_w = (high_fd(fd) for fd in os.pipe())

        def child_fds():
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self.log = open(log_path, 'wb')
        self.proc = subprocess.Popen(
            [chromium, *FLAGS, f'--user-data-dir={self.profile}', 'about:blank'],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
            pass_fds=(3, 4), preexec_fn=child_fds, start_new_session=True)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.writer = os.fdopen(to_browser_w, 'wb', buffering=0)
        self.reader = os.fdopen(from_browser_r, 'rb', buffering=0)
        self.events = queue.Queue()
        self.replies = {}
        self.cond = threading.Condition()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buffer = b''
        while True:
            chunk = self.reader.read(65536)
            if not chunk:
                with self.cond:
                    self.replies[None] = 'closed'
                    self.cond.notify_all()
                return
            buffer += chunk
            while b'\0' in buffer:
                raw, buffer = buffer.split(b'\0', 1)
                message = json.loads(raw)
                if 'id' in message:
                    with self.cond:
                        self.replies[message['id']] = message
                        self.cond.notify_all()
                else:
                    self.events.put(message)

    def call(self, method, params=None, session=None, timeout=30):
        """Send one command and wait for its reply; raise on a protocol error."""
        with self.cond:
            self.next_id += 1
            ident = self.next_id
        message = {'id': ident, 'method': method, 'params': params or {}}
        if session:
            message['sessionId'] = session
        self.writer.write(json.dumps(message).encode() + b'\0')
        deadline = time.monotonic() + timeout
        with self.cond:
            while ident not in self.replies:
                left = deadline - time.monotonic()
                if left <= 0 or None in self.replies:
                    raise RuntimeError(f'no reply to {method} within {timeout} s '
                                       '(or the browser closed the pipe)')
                self.cond.wait(left)
            reply = self.replies.pop(ident)
        if 'error' in reply:
            raise RuntimeError(f'{method}: {reply["error"]}')
        return reply.get('result', {})

    def drain(self, seconds):
        """Every event received within the next seconds."""
        out, deadline = [], time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return out
            try:
                out.append(self.events.get(timeout=left))
            except queue.Empty:
                return out

    def close(self):
        """Ask the browser to quit, then end its process group if it lingers."""
        try:
            self.call('Browser.close', timeout=5)
        except (RuntimeError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            # The group was created by this Popen (start_new_session): it is ours.
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)
