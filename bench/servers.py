"""The servers a benchmark run starts: gunicorn serving the site and nginx serving
saved copies of its pages. Each binds to 127.0.0.1 on a free port, runs in a process
group of its own, and the whole group is stopped when its `with` block ends, however
it ends."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path

import gunicorn
from django.conf import settings
from django.db import connection

HOST = "127.0.0.1"
STOP_GRACE_SECONDS = 15
START_TIMEOUT_SECONDS = 60
IDLE_LIMIT_SECONDS = 120
QUIET_SECONDS = 0.3


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def process_group(command, *, log_path, env=None):
    with open(log_path, "ab") as log:
        process = subprocess.Popen(  # noqa: S603 (our own command line)
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        stop_group(process)


def stop_group(process):
    """SIGTERM to the group (gunicorn and nginx then stop their workers), SIGKILL to
    whatever is left of it after the grace period."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(STOP_GRACE_SECONDS)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def wait_until_serving(url, process, log_path):
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server stopped.\n{tail(log_path)}")
        with (
            suppress(OSError),  # refused, reset or timed out while it starts
            urllib.request.urlopen(url, timeout=5) as response,  # noqa: S310 (loopback)
        ):
            if response.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {START_TIMEOUT_SECONDS} s.\n{tail(log_path)}")


def wait_until_idle(server):
    """Wait until the server has answered what wrk left in flight at its deadline.

    A sync worker answers a request even when its client has gone, so without this
    the next run would start behind up to --connections leftover requests. Idle: the
    workers use no CPU for a moment and none of them has a query running.
    """
    deadline = time.monotonic() + IDLE_LIMIT_SECONDS
    ticks, quiet_since = None, time.monotonic()
    while time.monotonic() < deadline:
        now_ticks = worker_cpu_ticks(server.pid)
        if now_ticks != ticks or queries_running():
            ticks, quiet_since = now_ticks, time.monotonic()
        elif time.monotonic() - quiet_since >= QUIET_SECONDS:
            return
        time.sleep(0.05)


def worker_cpu_ticks(parent_pid):
    """CPU time (in clock ticks) used so far by the children of `parent_pid`."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError):
            # Fields after the command name, which is in parentheses and may hold spaces.
            fields = stat.read_text().rpartition(")")[2].split()
            if int(fields[1]) == parent_pid:
                total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def queries_running():
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'active' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


def tail(path, lines=30):
    path = Path(path)
    return (
        "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""
    )


@contextmanager
def gunicorn_site(env, *, port, workers, log_path):
    """The site under gunicorn with sync workers, as the production image runs it."""
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi",
        f"--bind={HOST}:{port}", f"--workers={workers}", "--worker-class=sync",
        "--log-level=warning", "--forwarded-allow-ips=", *no_control_socket(),
    ]  # fmt: skip
    with process_group(command, log_path=log_path, env=env) as process:
        base_url = f"http://{HOST}:{port}"
        wait_until_serving(f"{base_url}/healthz", process, log_path)
        yield base_url, process


def no_control_socket():
    """gunicorn 27 opens a control socket in the home directory by default; several
    benchmark or test servers on one machine must not share it."""
    return ["--no-control-socket"] if gunicorn.version_info >= (27,) else []


def nginx_binary():
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if found is None:
        raise FileNotFoundError("nginx is not installed: apt-get install -y nginx")
    return found


@contextmanager
def nginx_static(root, workdir, *, ready_path):
    """nginx serving the files under `root`, in the foreground, with everything it
    writes kept in `workdir`."""
    port = free_port()
    workdir = Path(workdir)
    config = workdir / "nginx.conf"
    config.write_text(NGINX_CONFIG.format(host=HOST, port=port, root=root, workdir=workdir))
    # When started as root, nginx's workers run as an unprivileged user: let them read.
    for path in (workdir, root, *Path(root).iterdir()):
        path.chmod(0o755 if path.is_dir() else 0o644)
    log_path = workdir / "nginx-error.log"
    command = [nginx_binary(), "-p", str(workdir), "-c", str(config), "-e", str(log_path)]
    with process_group(command, log_path=workdir / "nginx-output.log") as process:
        base_url = f"http://{HOST}:{port}"
        wait_until_serving(base_url + ready_path, process, log_path)
        yield base_url


NGINX_CONFIG = """\
daemon off;
worker_processes auto;
pid {workdir}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    default_type text/html;
    client_body_temp_path {workdir}/client_body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    server {{
        listen {host}:{port};
        root {root};
    }}
}}
"""
