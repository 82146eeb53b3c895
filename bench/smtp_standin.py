"""A mail server on this machine for `bench_load` (aiosmtpd, a development
dependency): it accepts every message after waiting `delay` seconds, as a slow relay
would, and counts what it accepted."""

import asyncio
import logging
import threading
from collections import Counter

from aiosmtpd.controller import Controller

from bench.servers import HOST, free_port


class DelayingInbox:
    def __init__(self, delay):
        self.delay = delay
        self.recipients = Counter()
        self.messages = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # the name aiosmtpd calls
        if self.delay:
            await asyncio.sleep(self.delay)  # other sessions go on meanwhile
        with self._lock:
            self.messages += 1
            for recipient in envelope.rcpt_tos:
                self.recipients[recipient] += 1
        return "250 Message accepted for delivery"


class SmtpStandin:
    """`with SmtpStandin(delay=1) as smtp:` … `smtp.port`, `smtp.delivered`."""

    def __init__(self, delay=0.0):
        self.inbox = DelayingInbox(delay)
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname=HOST, port=self.port)

    @property
    def delivered(self):
        return self.inbox.messages

    def __enter__(self):
        # aiosmtpd logs every connection at INFO: thousands in a run.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
