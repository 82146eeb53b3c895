"""Time the moderators' queue (held tab, first page) on the benchmark dataset: median
and p95 of repeated requests through Django's test client, logged in as a moderator.
Without the dataset (make bench builds it in blog_bench), a smaller one is built here."""

import os
import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

from bench import dataset
from comments.models import MODERATORS_GROUP, BlogComment, State

TARGET_MS = 100
# Built when the benchmark dataset is missing: a tenth of make bench's.
SMALL = {
    "posts": 1_000, "comments": 10_000, "long_threads": 10, "deep_comments": 100,
    "series_parts": 50, "guide_postings": 200, "held": 25, "long_post_words": 300,
}  # fmt: skip


class Command(BaseCommand):
    help = "Time the moderation queue (held, first page): median and p95 in ms."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=50)
        for name, value in SMALL.items():
            parser.add_argument(
                f"--small-{name.replace('_', '-')}",
                type=int,
                default=value,
                help="shape of the dataset built when none is there",
            )

    def handle(self, *args, requests, **options):
        if requests < 1:
            raise CommandError("--requests must be at least 1.")
        found = dataset.summary()
        if found is None:
            shape = dataset.Shape(**{name: options[f"small_{name}"] for name in SMALL})
            if problems := shape.problems():
                raise CommandError("; ".join(problems))
            self.stdout.write(
                f"No benchmark dataset in {connection.settings_dict['NAME']} (make bench "
                f"builds it in blog_bench): building a smaller one, {shape.comments:,} "
                "comments."
            )
            dataset.build(shape, say=lambda step: self.stdout.write(f"  {step}"))
            dataset.analyze()
        if connection.vendor != "postgresql":
            self.stderr.write("Not Postgres: timings will not be representative.")

        client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
        client.force_login(moderator())
        url = reverse("admin:comments_blogcomment_changelist")
        for _ in range(3):  # warm up: connection, templates, content types
            client.get(url)
        captured = []

        def count(execute, sql, *args):
            captured.append(sql)
            return execute(sql, *args)

        with connection.execute_wrapper(count):
            response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"The queue answered {response.status_code}.")
        timings = []
        for _ in range(requests):
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        median = statistics.median(timings)
        p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
        total = BlogComment.objects.count()
        held = BlogComment.objects.filter(state=State.HELD, is_removed=False).count()
        verdict = "within" if p95 < TARGET_MS else "OVER"
        self.stdout.write(
            f"Moderation queue, held tab, first page: {requests} requests over "
            f"{total:,} comments ({held:,} held), {len(captured)} queries each.\n"
            f"median {median:.1f} ms, p95 {p95:.1f} ms: {verdict} the {TARGET_MS} ms target "
            f"(load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores)."
        )


def moderator():
    user, _ = get_user_model().objects.get_or_create(
        username="bench-moderator", defaults={"is_staff": True}
    )
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user
