"""A real SMTP server on 127.0.0.1 (aiosmtpd) that counts messages per recipient,
and can hold its answer to one message so a test can kill the sender meanwhile."""

import asyncio
import socket
import threading
import time
from collections import Counter

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CountingHandler:
    def __init__(self, hold_at=None):
        self.received = Counter()
        self.messages = []
        self.hold_at = hold_at  # the nth message waits for `release` before its 250
        self.holding = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            for recipient in envelope.rcpt_tos:
                self.received[recipient] += 1
            self.messages.append(envelope.content)
            total = len(self.messages)
        if total == self.hold_at:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
        return "250 Message accepted for delivery"

    @property
    def total(self):
        return len(self.messages)

    def wait_for(self, total, timeout):
        deadline = time.monotonic() + timeout
        while self.total < total and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.total


class SmtpSink:
    def __init__(self, hold_at=None):
        self.handler = CountingHandler(hold_at)
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.handler.release.set()
        self.controller.stop()
