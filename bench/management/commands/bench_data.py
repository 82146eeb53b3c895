"""Build the benchmark dataset in the database (Postgres: `make bench`), or reuse it
when it is already there with the same shape."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import dataset


class Command(BaseCommand):
    help = "Build (or reuse) the large dataset that bench_site measures."

    def add_arguments(self, parser):
        defaults = dataset.Shape()
        for name in (
            "posts", "years", "comments", "long_post_words", "long_threads",
            "deep_comments", "series_parts", "guide_postings", "held",
        ):  # fmt: skip
            parser.add_argument(
                f"--{name.replace('_', '-')}", type=int, default=getattr(defaults, name)
            )

    def handle(self, *args, **options):
        shape = dataset.Shape(
            **{name: options[name] for name in dataset.Shape.__dataclass_fields__}
        )
        if problems := shape.problems():
            raise CommandError("; ".join(problems))
        found = dataset.summary()
        if found is not None:
            if not dataset.matches(found, shape):
                raise CommandError(
                    f"The database ({connection.settings_dict['NAME']}) holds a benchmark "
                    f"dataset of another shape: {found}. Use a fresh database (make bench "
                    "drops nothing; e.g. dropdb blog_bench) or the shape it was built with."
                )
            self.stdout.write(f"Benchmark dataset already there, reused: {found}")
            return
        if connection.vendor != "postgresql":
            self.stderr.write("Not Postgres: search and timings will not be representative.")
        start = time.monotonic()

        def say(step):
            self.stdout.write(f"  {time.monotonic() - start:6.1f} s  {step}")

        self.stdout.write("Building the benchmark dataset (one transaction)…")
        dataset.build(shape, say=say)
        dataset.analyze()
        found = dataset.summary()
        if not dataset.matches(found, shape):
            raise CommandError(f"Built a dataset of the wrong shape: {found}")
        self.stdout.write(f"Built in {time.monotonic() - start:.0f} s: {found}")
