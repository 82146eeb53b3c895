"""A flood of held comments beside readers: what `bench_flood` runs.

Readers: wrk going round the reader pages, counting the page cache's answers (the
X-Page-Cache header). The flood: one comment a second POSTed to the running server
through the comment form (each a first comment, so it is held), and every tenth
second the oldest of them approved, as a moderator would, through
`comments.moderation.moderate` in this process, on the server's database and Redis.
"""

import http.client
import json
import os
import subprocess
import threading
import time
from urllib.parse import urlencode, urlsplit

from django.db import connection

from comments.models import BlogComment, State
from comments.moderation import moderate

from .load import LUA, SPARE_SECONDS, parse, wrk_binary
from .pages import comment_form

FLOOD_EMAIL_DOMAIN = "flood.example.com"
CACHE_PREFIX = "BENCH_CACHE "


def read_mix(base_url, paths, *, connections, seconds, workdir):
    """wrk over `paths` in turn for `seconds`; returns its Load and the counts of
    X-Page-Cache answers ({"hit": …, "miss": …, "other": …})."""
    script = workdir / "reader_mix.lua"
    script.write_text((LUA / "report.lua").read_text() + (LUA / "reader_mix.lua").read_text())
    path_file = workdir / "reader_paths.txt"
    path_file.write_text("\n".join(paths) + "\n")
    command = [
        wrk_binary(),
        f"--threads={max(1, min(connections, os.cpu_count() or 1))}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=10s",
        f"--script={script}",
        base_url + paths[0],
        "--",
        str(path_file),
    ]
    finished = subprocess.run(  # noqa: S603 (wrk, found on PATH, with our arguments)
        command, capture_output=True, text=True, timeout=seconds + SPARE_SECONDS, check=False
    )
    load = parse(finished, connections)
    for line in finished.stdout.splitlines():
        if line.startswith(CACHE_PREFIX):
            return load, json.loads(line.removeprefix(CACHE_PREFIX))
    raise RuntimeError(f"wrk gave no cache counts:\n{finished.stdout}\n{finished.stderr}")


class Flood:
    """Posts one comment every `interval` seconds to `posts` in turn, in a thread of
    its own; approves the oldest held one every `approve_every` comments."""

    def __init__(self, base_url, posts, *, interval=1.0, approve_every=10):
        self.base_url, self.interval, self.approve_every = base_url, interval, approve_every
        self.forms = [comment_form(post) for post in posts]
        self.token = str(int(time.time()))
        self.posted, self.approved, self.errors = {}, 0, []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def start(self):
        self.thread.start()

    def run(self):
        sent, next_at = 0, time.monotonic()
        try:
            while not self.stopped.wait(max(0.0, next_at - time.monotonic())):
                sent += 1
                next_at += self.interval
                self.post_comment(sent)
                if sent % self.approve_every == 0:
                    self.approve_oldest()
        except Exception as exc:  # reported with the figures, never a hung benchmark
            self.errors.append(repr(exc))
        finally:
            connection.close()

    def stop(self):
        self.stopped.set()
        self.thread.join(timeout=30)

    def post_comment(self, n):
        form = {
            **self.forms[n % len(self.forms)],
            "email": f"reader-{self.token}-{n}@{FLOOD_EMAIL_DOMAIN}",
            "comment": f"Flood comment {self.token} number {n}.",
        }
        status = post_form(self.base_url, form)
        self.posted[status] = self.posted.get(status, 0) + 1

    def approve_oldest(self):
        oldest = flood_comments().filter(state=State.HELD).order_by("pk").first()
        if oldest is not None and moderate(oldest, "approve", None):
            self.approved += 1


def post_form(base_url, form, headers=None, timeout=30):
    """POST the comment form's fields `form` to the server at `base_url` as a browser
    would (urlencoded, with `headers` besides); return the answer's status."""
    address = urlsplit(base_url)
    client = http.client.HTTPConnection(address.hostname, address.port, timeout=timeout)
    try:
        client.request(
            "POST",
            "/comments/post/",
            body=urlencode(form),
            headers={"Content-Type": "application/x-www-form-urlencoded", **(headers or {})},
        )
        return client.getresponse().status
    finally:
        client.close()


def flood_comments():
    return BlogComment.objects.filter(user_email__endswith="@" + FLOOD_EMAIL_DOMAIN)


def remove_flood_comments():
    """Delete what a flood posted; return their number by state."""
    comments = flood_comments()
    by_state = {}
    for state in comments.values_list("state", flat=True):
        by_state[state] = by_state.get(state, 0) + 1
    comments.delete()
    return by_state
