"""Benchmark search: fill the database up to N published posts (reusing what is there)
and time search requests through the whole Django stack. Reports figures; asserts
nothing. Meant for Postgres: `make bench-search`."""

import random
import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.dataset import AUTHOR_USERNAME, add_posts
from blog.models import Post

QUERIES = [
    "leadership", "career pivots", '"technical debt"', "hiring -committee", "mentor",
    "deadline", "trust team", "reorganisation", "value proposition", "founder or board",
]  # fmt: skip


class Command(BaseCommand):
    help = "Time /search/ over a blog of --posts published posts."

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=10_000)
        parser.add_argument("--requests", type=int, default=200)

    def handle(self, *args, posts, requests, **options):
        self.fill(posts)
        client = Client(HTTP_HOST=self.host())
        timings, query_counts = [], set()
        for n in range(requests):
            query = QUERIES[n % len(QUERIES)]
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get("/search/", {"q": query})
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
            query_counts.add(len(captured))
        timings.sort()
        median, p95 = statistics.median(timings), timings[int(0.95 * len(timings)) - 1]
        self.stdout.write(
            f"search over {Post.objects.published().count():,} posts on {connection.vendor}, "
            f"{requests} requests through Django (in-process):\n"
            f"  median {median:.1f} ms · p95 {p95:.1f} ms · min {timings[0]:.1f} ms"
            f" · max {timings[-1]:.1f} ms · queries per request {sorted(query_counts)}"
        )

    def host(self):
        return settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "localhost"

    def fill(self, wanted):
        missing = wanted - Post.objects.published().count()
        if missing <= 0:
            return
        self.stdout.write(f"Creating {missing:,} posts…")
        author, _ = get_user_model().objects.get_or_create(username=AUTHOR_USERNAME)
        add_posts(missing, author, random.Random(42))
        Post.objects.all().update_search_vectors()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE blog_post")
