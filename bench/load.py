"""Load from wrk, bounded in time, with exact percentiles printed by a Lua done() hook."""

import json
import os
import secrets
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

LUA = Path(__file__).parent / "lua"
RESULT_PREFIX = "BENCH_RESULT "
# wrk stops at its --duration; this is only a guard against a wrk that hangs.
SPARE_SECONDS = 30


@dataclass
class Load:
    connections: int
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    socket_errors: int
    status_errors: int

    @property
    def requests_per_second(self):
        return self.requests / self.seconds if self.seconds else 0.0

    def as_dict(self):
        return {**asdict(self), "requests_per_second": round(self.requests_per_second, 1)}


def wrk_binary():
    found = shutil.which("wrk")
    if found is None:
        raise FileNotFoundError("wrk is not installed: apt-get install -y wrk")
    return found


class Wrk:
    """Runs wrk against one URL at a time; `form` (a dict) makes its requests POSTs."""

    def __init__(self, workdir):
        self.workdir = Path(workdir)
        self.binary = wrk_binary()
        self.get_script = LUA / "report.lua"
        self.post_script = self.workdir / "comment_post.lua"
        self.post_script.write_text(
            (LUA / "report.lua").read_text() + (LUA / "comment_post.lua").read_text()
        )

    def run(self, url, *, connections, seconds, form=None):
        threads = max(1, min(connections, os.cpu_count() or 1))
        command = [
            self.binary,
            f"--threads={threads}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--timeout=10s",
        ]
        if form is None:
            command += [f"--script={self.get_script}", url]
        else:
            form_file = self.workdir / "comment_form.txt"
            form_file.write_text(urlencode(form))
            command += [f"--script={self.post_script}", url, "--", secrets.token_hex(6)]
            command.append(str(form_file))
        finished = subprocess.run(  # noqa: S603 (wrk, found on PATH, with our arguments)
            command, capture_output=True, text=True, timeout=seconds + SPARE_SECONDS, check=False
        )
        return parse(finished, connections)


def parse(finished, connections):
    for line in finished.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            figures = json.loads(line.removeprefix(RESULT_PREFIX))
            return Load(
                connections=connections,
                requests=figures["requests"],
                seconds=figures["duration_us"] / 1e6,
                p50_ms=figures["p50_us"] / 1000,
                p99_ms=figures["p99_us"] / 1000,
                socket_errors=figures["socket_errors"],
                status_errors=figures["status_errors"],
            )
    raise RuntimeError(f"wrk gave no result:\n{finished.stdout}\n{finished.stderr}")
