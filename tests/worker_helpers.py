"""The worker for real: a task queue of the test's own, the consumer in another
process (`manage.py run_huey`) or in a thread, and mail servers at the SMTP boundary
(one that accepts connections and never answers, and a real one, aiosmtpd)."""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from aiosmtpd.controller import Controller
from django.db import connection, connections
from huey.consumer import Consumer
from huey.contrib.djhuey import HUEY

from tests import ROOT


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(condition, seconds=30, what="the worker"):
    """Poll until condition() is true; generous, since the machine may be busy."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"Gave up waiting for {what} after {seconds} s")


@pytest.fixture
def task_queue(tmp_path, monkeypatch):
    """This process queues tasks in a SQLite file of the test's own, as the web
    processes do in production, instead of running them inline."""
    path = tmp_path / "tasks.sqlite3"
    monkeypatch.setitem(HUEY.storage_kwargs, "filename", str(path))
    HUEY.immediate = False
    yield path
    HUEY.storage.close()
    HUEY.immediate = True


class SilentServer:
    """Accepts connections (the kernel does, up to the backlog) and never says a
    word: an SMTP client waits for the greeting until its timeout."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]

    def close(self):
        self.sock.close()


class Inbox:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self):
        self.envelopes = []
        self.reply = "250 Message accepted for delivery"  # or a refusal, e.g. "554 …"

    async def handle_DATA(self, server, session, envelope):  # the name aiosmtpd calls
        if self.reply.startswith("250"):
            self.envelopes.append(envelope)
        return self.reply

    @property
    def recipients(self):
        return sorted(address for envelope in self.envelopes for address in envelope.rcpt_tos)


class SMTPServer:
    """A real SMTP server on 127.0.0.1 (aiosmtpd), in a thread."""

    def __init__(self, port=None):
        self.inbox = Inbox()
        self.port = port or free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()


@pytest.fixture
def smtp_servers():
    """Start real SMTP servers (each stopped at the end)."""
    servers = []

    def start(port=None):
        servers.append(SMTPServer(port))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


class WorkerProcess:
    """`manage.py run_huey` on the test database and the test's queue file."""

    def __init__(self, queue_path, env):
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "DATABASE_URL": database_url(),
            "TASK_QUEUE_URL": str(queue_path),
            "TASKS_IMMEDIATE": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": "http://127.0.0.1:8000",
            "SECURE_SSL_REDIRECT": "0",
            "CONN_MAX_AGE": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            **env,
        }
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "run_huey"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        return self

    def kill(self):
        """SIGKILL: no chance to finish or clean up anything."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self):
        return self.process.stderr.read().decode(errors="replace") if self.process else ""


@pytest.fixture
def worker_process(task_queue):
    """Make (not start) worker processes with extra environment; stopped at the end."""
    workers = []

    def make(**env):
        workers.append(WorkerProcess(task_queue, {k: str(v) for k, v in env.items()}))
        return workers[-1]

    yield make
    for worker in workers:
        worker.stop()


class ThreadConsumer(Consumer):
    """Huey's consumer in this process's threads; signals stay pytest's."""

    def _set_signal_handlers(self):
        pass


@pytest.fixture
def worker_thread(task_queue):
    """The consumer (workers and the periodic scheduler) in threads of this process,
    so test doubles at the HTTP boundary (httpx MockTransport) reach it."""
    consumers = []

    def close_connections(signal, task, *args, **kwargs):
        # In the worker's thread: leave no connection that would outlive the test.
        connections.close_all()

    HUEY.signal()(close_connections)

    def start():
        consumer = ThreadConsumer(HUEY, workers=1, worker_type="thread", periodic=True)
        consumer.start()
        consumers.append(consumer)
        return consumer

    yield start
    for consumer in consumers:
        consumer.stop(graceful=True)
    HUEY.disconnect_signal(close_connections)
