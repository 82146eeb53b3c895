"""Readers under a flood of held comments: reads per second and the page cache's hit
rate of the reader pages, without and then with one held comment a second and an
approval every ten seconds. The site runs under gunicorn with the page cache on,
as `bench_site --cache on` runs it. Reports figures, asserts nothing. Needs
bench_data's dataset: `make bench-flood`."""

import json
import os
import signal
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from bench import dataset
from bench.flood import Flood, read_mix, remove_flood_comments
from bench.load import wrk_binary
from bench.management.commands.bench_site import (
    fetch,
    flush_cache,
    git_commit,
    keep_logs,
    server_env,
    stop_on_sigterm,
)
from bench.pages import bench_requests
from bench.servers import free_port, gunicorn_site, wait_until_idle
from blog.models import Post

CACHE_KEY_PREFIX = "bench-flood"


class Command(BaseCommand):
    help = "Reader pages' reads/s and cache hit rate, without and with a comment flood."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=30, help="seconds of each phase")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--warmup", type=int, default=2, help="seconds of unrecorded load")
        parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between flood comments"
        )
        parser.add_argument(
            "--approve-every", type=int, default=10, help="approve one per this many comments"
        )
        parser.add_argument(
            "--redis-url",
            default="redis://127.0.0.1:6379/12",
            help="the server's cache; this Redis database is flushed first",
        )
        parser.add_argument("--output", default=Path(settings.BASE_DIR) / "bench-results")

    def handle(self, *args, **options):
        self.options = options
        if options["duration"] < 1 or options["connections"] < 1 or options["interval"] <= 0:
            raise CommandError("--duration and --connections must be 1 or more, --interval > 0.")
        if not os.environ.get("SECRET_KEY"):
            raise CommandError("Set SECRET_KEY: the server must accept forms signed here.")
        try:
            wrk_binary()
            requests = [request for request in bench_requests() if request.form is None]
        except (FileNotFoundError, LookupError) as exc:
            raise CommandError(str(exc)) from None
        previous_handler = signal.signal(signal.SIGTERM, stop_on_sigterm)
        try:
            # This process approves comments: on the server's Redis, so its bumps count.
            with override_settings(
                CACHES=server_caches(options["redis_url"]),
                EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            ):
                results = self.run(requests)
        except KeyboardInterrupt:
            raise CommandError("Interrupted; the server was stopped.") from None
        finally:
            signal.signal(signal.SIGTERM, previous_handler)
        output = Path(options["output"])
        output.mkdir(parents=True, exist_ok=True)
        (output / "flood.json").write_text(json.dumps(results, indent=2))
        text = report(results)
        (output / "flood.md").write_text(text)
        self.stdout.write("\n" + text)
        self.stdout.write(f"Saved in {output}/flood.md and flood.json")

    def run(self, requests):
        options = self.options
        paths = [request.path for request in requests]
        slugs = (dataset.LONG_POST_SLUG, dataset.DEEP_POST_SLUG)
        flooded = list(Post.objects.filter(slug__in=slugs).order_by("slug"))
        remove_flood_comments()
        flush_cache(options["redis_url"])
        port = free_port()
        env = {
            **server_env(port, page_cache=True, redis_url=options["redis_url"]),
            "CACHE_KEY_PREFIX": CACHE_KEY_PREFIX,
        }
        results = {
            "meta": {
                "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                "commit": git_commit(),
                "cores": os.cpu_count(),
                "workers": options["workers"],
                "seconds": options["duration"],
                "connections": options["connections"],
                "interval": options["interval"],
                "approve_every": options["approve_every"],
                "load_before": os.getloadavg()[0],
            },
            "pages": [request.label for request in requests],
            "flooded": [post.get_absolute_url() for post in flooded],
        }
        with tempfile.TemporaryDirectory(prefix="bench-flood-") as workdir:
            workdir = Path(workdir)
            try:
                with gunicorn_site(
                    env, port=port, workers=options["workers"], log_path=workdir / "flood.log"
                ) as (base_url, server):
                    results["quiet"], results["flood"] = self.phases(
                        base_url, paths, flooded, workdir, settle=lambda: wait_until_idle(server)
                    )
            finally:
                keep_logs(workdir, Path(options["output"]) / "logs")
        results["removed"] = remove_flood_comments()
        results["meta"]["load_after"] = os.getloadavg()[0]
        return results

    def phases(self, base_url, paths, flooded, workdir, settle):
        options = self.options
        load = {
            "connections": options["connections"],
            "seconds": options["duration"],
            "workdir": workdir,
        }
        for path in paths:
            fetch(base_url + path)
        if options["warmup"]:
            read_mix(base_url, paths, **{**load, "seconds": options["warmup"]})
            settle()
        quiet = phase_figures(*read_mix(base_url, paths, **load))
        self.say("no flood", quiet)
        settle()
        flood = Flood(
            base_url,
            flooded,
            interval=options["interval"],
            approve_every=options["approve_every"],
        )
        flood.start()
        try:
            during = phase_figures(*read_mix(base_url, paths, **load))
        finally:
            flood.stop()
        during.update(posted=flood.posted, approved=flood.approved, errors=flood.errors)
        self.say("flood", during)
        settle()
        return quiet, during

    def say(self, name, figures):
        self.stdout.write(
            f"{name:9} {figures['requests_per_second']:9,.0f} reads/s  "
            f"hit rate {figures['hit_rate']:.1%}  p50 {figures['p50_ms']:.1f} ms  "
            f"p99 {figures['p99_ms']:.1f} ms"
        )
        self.stdout.flush()


def server_caches(redis_url):
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }


def phase_figures(load, answers):
    counted = answers["hit"] + answers["miss"]
    return {
        **load.as_dict(),
        "cache_answers": answers,
        "hit_rate": answers["hit"] / counted if counted else 0.0,
    }


def report(results):
    meta, quiet, flood = results["meta"], results["quiet"], results["flood"]
    rows = [
        "| phase | reads/s | page-cache hit rate | p50 | p99 | errors |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, figures in (("no flood", quiet), ("flood", flood)):
        errors = figures["socket_errors"] + figures["status_errors"]
        rows.append(
            f"| {name} | {figures['requests_per_second']:,.0f} | {figures['hit_rate']:.1%} "
            f"| {figures['p50_ms']:.1f} ms | {figures['p99_ms']:.1f} ms | {errors} |"
        )
    posted = ", ".join(f"{n} answered {status}" for status, n in sorted(flood["posted"].items()))
    lines = [
        f"# Reader pages under a comment flood ({meta['started']}, {meta['commit']})",
        "",
        f"{meta['cores']} cores, {meta['workers']} gunicorn workers, page cache on (Redis), "
        f"wrk at {meta['connections']} connections for {meta['seconds']} s per phase, going "
        f"round: {', '.join(results['pages'])}.",
        "",
        *rows,
        "",
        f"The flood: one comment every {meta['interval']:g} s to "
        f"{' and '.join(results['flooded'])} ({posted or 'none posted'}), the oldest held one "
        f"approved every {meta['approve_every']}: {flood['approved']} approved. "
        f"Removed afterwards: {results['removed'] or 'nothing'}.",
        f"Load average {meta['load_before']:.1f} before, {meta['load_after']:.1f} after.",
    ]
    if flood["errors"]:
        lines.append(f"Flood errors: {'; '.join(flood['errors'])}")
    return "\n".join(lines) + "\n"
