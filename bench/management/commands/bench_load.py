"""`make loadtest`: the site in production shape under readers while comments arrive.

gunicorn (sync workers, PostgreSQL, Redis) with the Huey worker beside it and
Debian's nginx in front with the shipped config (bench/front_cache.py); a stand-in
for Akismet and one for the mail server, each of which can be made slow
(bench/akismet_standin.py, bench/smtp_standin.py). wrk's readers go round the reader
pages first without comments (the baseline), then while one comment a second
arrives through nginx (bench/loadtest.py). Reports reads/s, p50/p99, errors,
comments sent against stored and mails queued against delivered, with the verdict
of issue #16, in bench-results/loadtest.md (and .json); exits non-zero on FAIL.
Needs bench_data's dataset. Every server is stopped and everything the run added to
the database and Redis is removed when it ends, however it ends."""

import json
import os
import secrets
import signal
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import dataset, loadtest
from bench.akismet_standin import URL_VARIABLE, AkismetStandin
from bench.flood import read_mix
from bench.front_cache import front_cache
from bench.load import wrk_binary
from bench.management.commands.bench_site import (
    fetch,
    git_commit,
    keep_logs,
    server_env,
    stop_on_sigterm,
)
from bench.pages import bench_requests
from bench.servers import free_port, gunicorn_site, nginx_binary, process_group, wait_until_idle
from bench.smtp_standin import SmtpStandin
from blog.models import Post

POLL_SECONDS = 0.5
RECORDED_OPTIONS = (
    "workers", "readers", "interval", "akismet_delay", "smtp_delay", "grace", "rate_limit",
    "duration", "baseline_duration",
)  # fmt: skip


class Command(BaseCommand):
    help = "Readers through nginx while comments arrive: reads/s, errors, comments kept."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=180, help="seconds with comments")
        parser.add_argument(
            "--baseline-duration", type=int, default=60, help="seconds without comments"
        )
        parser.add_argument("--readers", type=int, default=50, help="wrk's connections")
        parser.add_argument("--warmup", type=int, default=5, help="seconds of unrecorded reads")
        parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between comments")
        parser.add_argument(
            "--akismet-delay",
            type=float,
            default=0.2,
            help="seconds the Akismet stand-in waits before each answer (3: a hung Akismet "
            "at the default AKISMET_TIMEOUT)",
        )
        parser.add_argument(
            "--smtp-delay",
            type=float,
            default=0.1,
            help="seconds the mail stand-in waits before accepting each message",
        )
        parser.add_argument(
            "--grace",
            type=int,
            default=30,
            help="seconds to wait after the last comment for decisions and mail",
        )
        parser.add_argument(
            "--rate-limit",
            type=int,
            default=0,
            help="COMMENTS_RATE_LIMIT for the run (0: off; each returning commenter posts "
            "more often than a reader would)",
        )
        parser.add_argument(
            "--no-origin",
            action="store_true",
            help="send comments without the Origin and Referer headers a browser sends",
        )
        parser.add_argument(
            "--redis-url",
            default="redis://127.0.0.1:6379/11",
            help="the server's cache and task queue (keys of this run only, removed after)",
        )
        parser.add_argument("--output", default=Path(settings.BASE_DIR) / "bench-results")

    def handle(self, *args, **options):
        self.options = options
        if min(options["duration"], options["baseline_duration"], options["readers"]) < 1:
            raise CommandError("--duration, --baseline-duration and --readers must be 1 or more.")
        if options["interval"] <= 0 or options["warmup"] < 0 or options["grace"] < 0:
            raise CommandError("--interval must be over 0, --warmup and --grace 0 or more.")
        pages, commented, target = self.check_ready()
        previous_handler = signal.signal(signal.SIGTERM, stop_on_sigterm)
        try:
            results = self.run(pages, commented, target)
        except KeyboardInterrupt:
            raise CommandError("Interrupted; the servers were stopped.") from None
        except (RuntimeError, FileNotFoundError) as exc:  # a server that would not start
            raise CommandError(f"{exc}\nThe servers were stopped.") from None
        finally:
            signal.signal(signal.SIGTERM, previous_handler)
        output = Path(options["output"])
        output.mkdir(parents=True, exist_ok=True)
        (output / "loadtest.json").write_text(json.dumps(results, indent=2, default=str))
        text = loadtest.report(results)
        (output / "loadtest.md").write_text(text)
        self.stdout.write("\n" + text)
        self.stdout.write(f"Saved in {output}/loadtest.md and loadtest.json")
        failed = [name for name, ok, _ in loadtest.verdict(results) if not ok]
        if failed:
            raise CommandError(f"FAIL: {'; '.join(failed)}")

    def check_ready(self):
        if not os.environ.get("SECRET_KEY"):
            raise CommandError("Set SECRET_KEY: the server must accept forms signed here.")
        if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
            raise CommandError("No collected static files: run manage.py collectstatic first.")
        try:
            wrk_binary(), nginx_binary()
        except FileNotFoundError as exc:
            raise CommandError(f"{exc} (or: make bench-tools)") from None
        try:
            requests = [request for request in bench_requests() if request.form is None]
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        try:
            redis.Redis.from_url(self.options["redis_url"]).ping()
        except redis.RedisError as exc:
            raise CommandError(f"Redis at {self.options['redis_url']}: {exc}") from None
        posts = {post.slug: post for post in Post.objects.filter(slug__in=dataset.special_slugs())}
        commented = [posts[dataset.LONG_POST_SLUG], posts[dataset.DEEP_POST_SLUG]]
        return requests, commented, posts[dataset.TARGET_POST_SLUG]

    def run(self, pages, commented, target):
        options = self.options
        token = secrets.token_hex(4)
        results = {
            "meta": {
                "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                "commit": git_commit(),
                "cores": os.cpu_count(),
                "database": connection.settings_dict["NAME"],
                "load_before": os.getloadavg()[0],
                **{name: options[name] for name in RECORDED_OPTIONS},
                "origin": not options["no_origin"],
                "akismet_timeout": settings.AKISMET_TIMEOUT,
            },
            "pages": [request.label for request in pages],
            "commented": [post.get_absolute_url() for post in commented],
            "problems": [],
        }
        with tempfile.TemporaryDirectory(prefix="bench-load-") as workdir:
            workdir = Path(workdir)
            try:
                with (
                    AkismetStandin(options["akismet_delay"]) as akismet,
                    SmtpStandin(options["smtp_delay"]) as smtp,
                    loadtest.commenters(target) as removed,
                    own_redis_keys(options["redis_url"], token),
                ):
                    env = self.server_env(token, akismet, smtp)
                    port = int(env["PORT"])
                    with (
                        gunicorn_site(
                            env,
                            port=port,
                            workers=options["workers"],
                            log_path=workdir / "loadtest-gunicorn.log",
                        ) as (_, server),
                        huey_worker(env, workdir / "loadtest-worker.log") as worker,
                        front_cache(f"127.0.0.1:{port}", log_dir=workdir) as base_url,
                    ):
                        self.phases(results, base_url, pages, commented, token, server, workdir)
                        self.wait_for_decisions(results, commented, smtp)
                        if worker.poll() is not None:
                            results["problems"].append("The Huey worker stopped during the run.")
                    results["akismet"] = {
                        "calls": dict(akismet.calls),
                        "answers": dict(akismet.answers),
                        "abandoned": akismet.abandoned,
                    }
                results["removed"] = dict(removed)
            finally:
                keep_logs(workdir, Path(options["output"]) / "logs")
        results["meta"]["load_after"] = os.getloadavg()[0]
        return results

    def server_env(self, token, akismet, smtp):
        """The production settings of bench_site's servers, with the stand-ins, the
        worker's queue in Redis and a cache and queue of this run's own."""
        port = free_port()
        options = self.options
        return {
            **server_env(port, page_cache=True, redis_url=options["redis_url"]),
            "PORT": str(port),
            "CACHE_KEY_PREFIX": f"loadtest_{token}",
            "TASK_QUEUE_URL": options["redis_url"],
            "TASK_QUEUE_NAME": f"loadtest_{token}",
            "TASKS_IMMEDIATE": "0",
            # nginx in front, on this machine: each commenter's own X-Forwarded-For
            # (one address per simulated reader) reaches the site through it.
            "TRUSTED_PROXIES": "127.0.0.1",
            "COMMENTS_RATE_LIMIT": str(options["rate_limit"]),
            "COMMENTS_NOTIFY_MODERATORS": "all",
            "SPAM_CHECKER": "bench.akismet_standin.StandinAkismetChecker",
            "AKISMET_API_KEY": "loadtest-key",
            URL_VARIABLE: akismet.url,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
        }

    def phases(self, results, base_url, pages, commented, token, server, workdir):
        options = self.options
        paths = [request.path for request in pages]
        for path in paths:
            fetch(base_url + path)
        reads = {"connections": options["readers"], "workdir": workdir}
        if options["warmup"]:
            read_mix(base_url, paths, seconds=options["warmup"], **reads)
            wait_until_idle(server)
        self.say("warm-up done; readers without comments")
        load, _ = read_mix(base_url, paths, seconds=options["baseline_duration"], **reads)
        results["without"] = load.as_dict()
        self.say_phase("without comments", results["without"])
        wait_until_idle(server)
        arrivals = loadtest.Arrivals(
            base_url,
            commented,
            token=token,
            interval=options["interval"],
            origin=not options["no_origin"],
        )
        arrivals.start()
        try:
            load, _ = read_mix(base_url, paths, seconds=options["duration"], **reads)
        finally:
            arrivals.stop()
        results["with"] = load.as_dict()
        self.say_phase("with comments", results["with"])
        results["comments"] = {
            "sent": dict(arrivals.sent),
            "answers": dict(arrivals.answers),
            "failed": arrivals.failed,
        }

    def wait_for_decisions(self, results, commented, smtp):
        """Wait up to --grace seconds for pending comments to be decided and mail to
        be delivered, then count what is stored."""
        started = time.monotonic()
        deadline = started + self.options["grace"]
        counts = loadtest.tally(commented)
        while not loadtest.settled(counts, smtp.delivered) and time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            counts = loadtest.tally(commented)
        results["meta"]["grace_used"] = time.monotonic() - started
        results["comments"].update(stored=counts["stored"], pending=counts["pending"])
        results["mail"] = {
            "outbox": counts["mails"],
            "expected": counts["mail_expected"],
            "delivered": smtp.delivered,
        }

    def say(self, text):
        self.stdout.write(text)
        self.stdout.flush()

    def say_phase(self, name, figures):
        self.say(
            f"{name:17} {figures['requests_per_second']:9,.0f} reads/s  "
            f"p50 {figures['p50_ms']:.1f} ms  p99 {figures['p99_ms']:.1f} ms  "
            f"errors {figures['socket_errors'] + figures['status_errors']}"
        )


@contextmanager
def huey_worker(env, log_path):
    """`manage.py run_huey` as production runs it beside the web processes."""
    command = [sys.executable, "manage.py", "run_huey"]
    with process_group(command, log_path=log_path, env=env) as process:
        yield process


@contextmanager
def own_redis_keys(url, token):
    """The run's cache and queue keys (named after `token`) are removed when it ends;
    nothing else is: the Redis database may be shared."""
    try:
        yield
    finally:
        client = redis.Redis.from_url(url)
        with suppress_redis_errors():
            for key in client.scan_iter(match=f"*loadtest_{token}*", count=1000):
                client.delete(key)


@contextmanager
def suppress_redis_errors():
    try:
        yield
    except redis.RedisError as exc:
        sys.stderr.write(f"Could not remove the run's Redis keys: {exc}\n")
