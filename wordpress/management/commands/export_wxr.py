"""`manage.py export_wxr [-o FILE]`: the whole blog as a WordPress export (WXR 1.2)."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wordpress.export import entry_count, export_chunks


class Command(BaseCommand):
    help = (
        "Write the whole blog (authors, categories, tags, series, posts, pages, comment "
        "threads, images) as a WordPress export (WXR 1.2) that WordPress's importer reads."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="write here instead of standard output"
        )
        parser.add_argument(
            "--no-personal-data", action="store_true",
            help="leave out commenters' and authors' email addresses, IP addresses and browsers",
        )  # fmt: skip

    def handle(self, *args, **options):
        path = options["output"]
        progress = Progress(entry_count()) if path and sys.stderr.isatty() else None
        chunks = export_chunks(not options["no_personal_data"], progress)
        if not path:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            return
        try:
            with Path(path).open("w", encoding="utf-8") as out:
                for chunk in chunks:
                    out.write(chunk)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}.") from None
        finally:
            if progress:
                progress.done()


class Progress:
    """One line on standard error, rewritten at most five times a second."""

    def __init__(self, total):
        self.total, self.done_count, self.shown = max(total, 1), 0, 0.0

    def __call__(self, n=1):
        self.done_count += n
        now = time.monotonic()
        if now - self.shown >= 0.2:
            self.shown = now
            percent = min(100, 100 * self.done_count // self.total)
            sys.stderr.write(f"\rExporting… {percent:3d}%  {self.done_count:,} entries")
            sys.stderr.flush()

    def done(self):
        sys.stderr.write(f"\rExporting… done  {self.done_count:,} entries\n")
