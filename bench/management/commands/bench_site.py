"""Serve the site with gunicorn under production settings and load it with wrk in three
modes: uncached, app-cached (PAGE_CACHE=1) and front-cached (the repo's nginx front
cache in front of the app-cached site); beside nginx serving saved copies of the same
pages (the ceiling no dynamic page can pass) and, with --with-wordpress, Debian's
WordPress serving the same long post. Reports figures, asserts nothing. Needs
bench_data's dataset: `make bench`.

Workers: gunicorn's sync workers, as the production image runs them, 2 * cores + 1
by default (gunicorn's own advice): a page is CPU-bound Python under the GIL, so
processes rather than threads use the cores, and the spare ones keep the cores busy
while others wait on Postgres or Redis."""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench import dataset, report
from bench.front_cache import front_cache
from bench.load import Wrk, wrk_binary
from bench.pages import bench_requests, remove_posted_comments
from bench.servers import (
    HOST,
    free_port,
    gunicorn_site,
    nginx_binary,
    nginx_static,
    wait_until_idle,
)
from bench.wordpress_post import queries_of, wordpress_long_post
from bench.wordpress_site import PACKAGES, missing_tools

MODES = {
    "off": ["uncached"],
    "on": ["cached"],
    "front": ["front"],
    "both": ["uncached", "cached"],
    "all": ["uncached", "cached", "front"],
}
NOTES = [
    "Each figure comes from wrk over loopback; wrk, gunicorn, Postgres and Redis share the "
    "machine's cores, so a busy machine (see the load average) lowers every figure.",
    "Queries: counted in-process with Django's test client in the server's environment, "
    "after one warm-up request. Bytes: the body as served, uncompressed.",
    "The comment POSTs go to a post no other request shows, with COMMENTS_RATE_LIMIT=0 "
    "(they all come from 127.0.0.1) and a dummy mail backend (no SMTP server here). Each "
    "is a first comment: every screening step runs (the offline spam checker) and it is "
    "held. They are deleted afterwards.",
    "Front-cached: the pages through config/nginx-standalone.conf and "
    "config/nginx-front-cache.conf (Debian's nginx, proxy_cache kept 1 s as the app's "
    "X-Accel-Expires says) in front of the app-cached server; the comment POST, which "
    "nginx never caches, is measured without it.",
    "WordPress: Debian's package with the twentytwentyone theme, PHP-FPM (4 static "
    "children, opcache) and MariaDB on a unix socket, serving a copy of the long post "
    "(same title, body and 200 comments in the same threads); its queries counted with "
    "SAVEQUERIES on one request.",
]


class Command(BaseCommand):
    help = "Measure the site under gunicorn with wrk, beside a static nginx ceiling."

    def add_arguments(self, parser):
        cores = os.cpu_count() or 1
        parser.add_argument(
            "--duration", type=int, default=10, help="seconds of load per request and level"
        )
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument(
            "--warmup", type=int, default=1, help="seconds of unrecorded load first"
        )
        parser.add_argument(
            "--cache",
            choices=sorted(MODES),
            default="all",
            help="modes: off (uncached), on (app-cached), front (nginx's front cache), "
            "both (off and on) or all (the three)",
        )
        parser.add_argument(
            "--with-wordpress",
            action="store_true",
            help="also measure Debian's WordPress serving the same long post",
        )
        parser.add_argument("--workers", type=int, default=2 * cores + 1)
        parser.add_argument("--only", nargs="+", metavar="NAME", help="measure these only")
        parser.add_argument(
            "--redis-url",
            default="redis://127.0.0.1:6379/13",
            help="the server's cache; this Redis database is flushed before each run",
        )
        parser.add_argument("--output", default=Path(settings.BASE_DIR) / "bench-results")

    def handle(self, *args, **options):
        self.options = options
        if options["duration"] < 1 or options["connections"] < 1 or options["warmup"] < 0:
            raise CommandError(
                "--duration and --connections must be 1 or more, --warmup 0 or more."
            )
        requests = self.chosen_requests(options["only"])
        self.check_ready()
        previous_handler = signal.signal(signal.SIGTERM, stop_on_sigterm)
        try:
            results = self.run(requests)
        except KeyboardInterrupt:
            raise CommandError("Interrupted; the servers were stopped.") from None
        finally:
            signal.signal(signal.SIGTERM, previous_handler)
        self.stdout.write("\n" + report.save(results, options["output"]))
        self.stdout.write(f"Saved in {options['output']}/results.md and results.json")

    def chosen_requests(self, only):
        try:
            requests = bench_requests()
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        unknown = set(only or ()) - {request.name for request in requests}
        if unknown:
            names = ", ".join(request.name for request in requests)
            raise CommandError(f"Unknown request(s) {', '.join(sorted(unknown))}; known: {names}")
        return [request for request in requests if not only or request.name in only]

    def check_ready(self):
        if not os.environ.get("SECRET_KEY"):
            raise CommandError(
                "Set SECRET_KEY: the server must sign comment forms with the key used here."
            )
        if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
            raise CommandError("No collected static files: run manage.py collectstatic first.")
        try:
            wrk_binary(), nginx_binary()
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from None
        self.wordpress_missing = None
        if self.options["with_wordpress"] and (missing := missing_tools(browser=False)):
            self.wordpress_missing = (
                f"WordPress not measured: not installed ({', '.join(missing)}); "
                f"apt-get install -y {PACKAGES} (or: make bench-wordpress-tools)."
            )
            self.stderr.write(self.wordpress_missing)

    def run(self, requests):
        options = self.options
        results = {
            "meta": {
                "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                "commit": git_commit(),
                "cores": os.cpu_count(),
                "workers": options["workers"],
                "seconds": options["duration"],
                "connections": options["connections"],
                "load_before": os.getloadavg()[0],
            },
            "dataset": dataset.summary(),
            "requests": [request.as_dict() for request in requests],
            "modes": {},
            "ceiling": {},
            "wordpress": {},
            "comment_posts": {},
            "notes": list(NOTES),
        }
        with tempfile.TemporaryDirectory(prefix="bench-site-") as workdir:
            workdir = Path(workdir)
            self.wrk = Wrk(workdir)
            saved = workdir / "pages"
            saved.mkdir()
            try:
                for mode in MODES[options["cache"]]:
                    rows, posted = self.measure_site(mode, requests, workdir, saved)
                    results["modes"][mode], results["comment_posts"][mode] = rows, posted
                results["ceiling"] = self.measure_ceiling(requests, workdir, saved)
                if self.options["with_wordpress"]:
                    self.measure_wordpress(results, requests)
            finally:
                keep_logs(workdir, Path(options["output"]) / "logs")
        results["meta"]["load_after"] = os.getloadavg()[0]
        return results

    def measure_site(self, mode, requests, workdir, saved):
        remove_posted_comments()
        flush_cache(self.options["redis_url"])
        port = free_port()
        env = server_env(port, page_cache=mode != "uncached", redis_url=self.options["redis_url"])
        queries = count_queries(env, requests, workdir)
        if mode == "front":
            requests = [request for request in requests if request.form is None]
        rows = {}
        with (
            gunicorn_site(
                env,
                port=port,
                workers=self.options["workers"],
                log_path=workdir / f"gunicorn-{mode}.log",
            ) as (base_url, server),
            self.front(mode, base_url, workdir) as base_url,
        ):
            for request in requests:
                url = base_url + request.path
                # Through nginx a hit makes none; a miss what the app-cached row says.
                count = None if mode == "front" else queries[request.name]["queries"]
                row = {"queries": count, "bytes": None}
                if request.form is None:
                    body = fetch(url)
                    row["bytes"] = len(body)
                    page_copy = saved / f"{request.name}.html"
                    if not page_copy.exists():
                        page_copy.write_bytes(body)
                row.update(self.load(mode, request, url, settle=lambda: wait_until_idle(server)))
                rows[request.name] = row
        return rows, remove_posted_comments()

    @contextmanager
    def front(self, mode, base_url, workdir):
        """The front cache in front of `base_url` in the front-cached mode; yields the
        URL to load."""
        if mode != "front":
            yield base_url
            return
        with front_cache(base_url.removeprefix("http://"), log_dir=workdir) as front_url:
            yield front_url

    def measure_wordpress(self, results, requests):
        if self.wordpress_missing:
            results["notes"].append(self.wordpress_missing)
            return
        post = next((request for request in requests if request.name == "long-post"), None)
        if post is None:
            return
        with wordpress_long_post() as (url, wordpress):
            body = fetch(url)
            results["meta"]["wordpress"] = wordpress.version
            results["wordpress"][post.name] = {
                "queries": queries_of(wordpress, url),
                "bytes": len(body),
                **self.load("wordpress", post, url),
            }

    def measure_ceiling(self, requests, workdir, saved):
        pages = [request for request in requests if request.form is None]
        if not pages:
            return {}
        rows = {}
        with nginx_static(saved, workdir, ready_path=f"/{pages[0].name}.html") as base_url:
            # nginx drops what wrk leaves in flight: nothing to wait for between runs.
            for request in pages:
                copy = f"/{request.name}.html"
                rows[request.name] = {
                    "bytes": (saved / copy.lstrip("/")).stat().st_size,
                    **self.load("nginx", request, base_url + copy),
                }
        return rows

    def load(self, where, request, url, settle=None):
        """Warm up, then load at --connections, then with one connection; `settle`
        waits for the server to finish what each run left in flight."""
        duration, connections = self.options["duration"], self.options["connections"]
        runs = [(connections, self.options["warmup"]), (connections, duration), (1, duration)]
        loads = []
        for run_connections, seconds in runs:
            if seconds:
                loads.append(
                    self.wrk.run(
                        url, connections=run_connections, seconds=seconds, form=request.form
                    )
                )
                if settle:
                    settle()
        loaded, single = loads[-2:]
        figures = {"loaded": loaded.as_dict(), "single": single.as_dict()}
        self.stdout.write(
            f"{where:9} {request.label:44} {loaded.requests_per_second:9,.0f} req/s  "
            f"p50 {report.latency(figures['loaded'], 'p50_ms'):>7} ms  "
            f"p99 {report.latency(figures['loaded'], 'p99_ms'):>7} ms  "
            f"1-conn {report.latency(figures['single'], 'p50_ms'):>7} ms"
        )
        self.stdout.flush()
        return figures


def server_env(port, *, page_cache, redis_url):
    """Production settings for the benchmark server (DEBUG off, whitenoise, Redis),
    over plain HTTP on loopback. SECRET_KEY and DATABASE_URL are this process's; the
    servers leave the bench app out, as production does."""
    return {
        **os.environ,
        "BENCH_TOOLS": "0",
        "DEBUG": "0",
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"http://{HOST}:{port}",
        "SECURE_SSL_REDIRECT": "0",
        "CONN_MAX_AGE": "60",
        "REDIS_URL": redis_url,
        "PAGE_CACHE": "1" if page_cache else "0",
        "COMMENTS_RATE_LIMIT": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }


def count_queries(env, requests, workdir):
    """Queries per request, from bench_queries run in the server's environment."""
    spec = Path(workdir) / "requests.json"
    spec.write_text(json.dumps([request.as_dict() for request in requests]))
    command = [sys.executable, "manage.py", "bench_queries", str(spec)]
    finished = subprocess.run(  # noqa: S603 (our own command)
        command,
        cwd=settings.BASE_DIR,
        env={**env, "BENCH_TOOLS": "1"},  # bench_queries is one of the bench app's commands
        capture_output=True,
        text=True,
        check=False,
    )
    if finished.returncode:
        raise CommandError(f"bench_queries failed:\n{finished.stderr}")
    counts = json.loads(finished.stdout)
    for request in requests:
        expected = 200 if request.form is None else 302
        if counts[request.name]["status"] != expected:
            raise CommandError(f"{request.path} answered {counts[request.name]['status']}")
    return counts


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (loopback)
            if response.url != url:
                raise CommandError(f"{url} redirected to {response.url}")
            return response.read()
    except urllib.error.HTTPError as exc:
        raise CommandError(f"{url} answered {exc.code}") from None


def flush_cache(url):
    try:
        redis.Redis.from_url(url).flushdb()
    except redis.RedisError as exc:
        raise CommandError(f"Redis at {url}: {exc}") from None


def keep_logs(workdir, directory):
    """The servers' logs, for a look at any error the figures show."""
    directory.mkdir(parents=True, exist_ok=True)
    for log in workdir.glob("*.log"):
        shutil.copy(log, directory / log.name)


def git_commit():
    finished = subprocess.run(
        ["git", "describe", "--always", "--dirty"],  # noqa: S607 (git on PATH)
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    return finished.stdout.strip() or "unknown"


def stop_on_sigterm(signum, frame):
    # Unwind through the `with` blocks, which stop the servers.
    raise KeyboardInterrupt
