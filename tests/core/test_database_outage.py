"""Postgres going away and coming back: readers get a plain 503, then the site
recovers by itself. Uses a throwaway PostgreSQL server of its own, stopped and
started for real."""

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import httpx
import pytest

from tests import ROOT

BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
pytestmark = pytest.mark.skipif(not BINARIES, reason="needs PostgreSQL's server binaries")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(*command):
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)


@pytest.fixture
def own_postgres():
    """A PostgreSQL server in a temporary folder; yields (port, start, stop)."""
    bin_dir = BINARIES[-1]
    data = tempfile.mkdtemp(prefix="blog-pg-")
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
    port = free_port()
    as_postgres(f"{bin_dir}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start():
        as_postgres(
            f"{bin_dir}/pg_ctl", "-D", data, "-w", "-l", f"{data}/log",
            "-o", f"-p {port} -k {data} -c listen_addresses=127.0.0.1", "start",
        )  # fmt: skip

    def stop():
        as_postgres(f"{bin_dir}/pg_ctl", "-D", data, "-w", "-m", "fast", "stop")

    start()
    try:
        yield port, start, stop
    finally:
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                f"{bin_dir}/pg_ctl",
                "-D",
                data,
                "-m",
                "immediate",
                "stop",
            ]
            if os.geteuid() == 0
            else [f"{bin_dir}/pg_ctl", "-D", data, "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(data, ignore_errors=True)


def test_database_outage_gives_503_and_recovers(own_postgres):
    port, start, stop = own_postgres
    env = {
        **os.environ,
        "DEBUG": "0",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/postgres",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "PAGE_CACHE": "0",
        "CONN_MAX_AGE": "60",
    }
    env.pop("REDIS_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT, env=env, check=True, timeout=300,
    )  # fmt: skip
    web_port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{web_port}", "-w", "1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{web_port}"
    try:
        wait_for(lambda: get(url, "/healthz").status_code == 200)
        assert get(url, "/").status_code == 200

        stop()
        down = get(url, "/")
        assert down.status_code == 503
        assert "temporarily unavailable" in down.text
        assert "Traceback" not in down.text and "OperationalError" not in down.text
        assert down.headers["Retry-After"] == "30"
        assert get(url, "/healthz").status_code == 503

        start()
        wait_for(lambda: get(url, "/").status_code == 200)  # no restart of the app
        assert get(url, "/healthz").status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=10)


def get(url, path):
    return httpx.get(url + path, timeout=10)


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError("condition not met in time")
