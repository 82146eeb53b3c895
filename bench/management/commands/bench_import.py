"""`manage.py bench_import`: time a WordPress import of a synthetic export.

Writes an export of N posts and M comments (threads up to five deep, categories,
tags, series titles) to a temporary file, imports it into the configured database
under its own site URL, and prints the time and the process's peak memory. It
writes to the database: point DATABASE_URL at a scratch one.
"""

import resource
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

from django.core.management.base import BaseCommand

from wordpress.importer import Importer, Options
from wordpress.parser import FilteredFile, parse

SITE = "https://bench.example.invalid"
HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Benchmark</title><link>{site}</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>{site}</wp:base_site_url><wp:base_blog_url>{site}</wp:base_blog_url>
<wp:author><wp:author_login>bench</wp:author_login>
<wp:author_email>bench@example.invalid</wp:author_email></wp:author>
"""
BODY = (
    "Paragraph one of post {n}, with <em>some</em> markup and a line\nbreak.\n\n"
    "Paragraph two talks about the value a person brings to a role.\n\n<!--more-->\n\n"
    '[caption width="300"]<img src="https://bench.example.invalid/{n}.jpg" alt="" /> '
    "Figure {n}[/caption]\n\nA closing paragraph."
)


def peak_memory_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def write_export(path, posts, comments):
    per_post, extra = divmod(comments, posts)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER.format(site=SITE))
        for n in range(20):
            out.write(
                f"<wp:category><wp:category_nicename>topic-{n}</wp:category_nicename>"
                f"<wp:category_parent></wp:category_parent>"
                f"<wp:cat_name>Topic {n}</wp:cat_name></wp:category>\n"
            )
        comment_id = 0
        for n in range(1, posts + 1):
            count = per_post + (1 if n <= extra else 0)
            out.write(post_xml(n, comment_id, count))
            comment_id += count
        out.write("</channel></rss>\n")


def post_xml(n, first_comment, count):
    day = f"20{10 + n % 14:02d}-{1 + n % 12:02d}-{1 + n % 28:02d} 10:{n % 60:02d}:00"
    title = f"Working notes {n // 4}: part of a long run" if n % 4 == 0 else f"Post {n}"
    comments = "".join(
        comment_xml(first_comment + i + 1, first_comment, i, day) for i in range(count)
    )
    return (
        f"<item><title>{escape(title)}</title><link>{SITE}/?p={n}</link>"
        f"<dc:creator>bench</dc:creator><guid>{SITE}/?p={n}</guid>"
        f"<content:encoded><![CDATA[{BODY.format(n=n)}]]></content:encoded>"
        f"<excerpt:encoded></excerpt:encoded><wp:post_id>{n}</wp:post_id>"
        f"<wp:post_date>{day}</wp:post_date><wp:post_date_gmt>{day}</wp:post_date_gmt>"
        f"<wp:comment_status>open</wp:comment_status><wp:post_name>post-{n}</wp:post_name>"
        f"<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
        f'<category domain="category" nicename="topic-{n % 20}">Topic {n % 20}</category>'
        f'<category domain="post_tag" nicename="tag-{n % 50}">tag {n % 50}</category>'
        f"{comments}</item>\n"
    )


def comment_xml(wp_id, first, index, day):
    # Every third comment starts a thread; the others reply to the one before.
    parent = 0 if index % 3 == 0 else wp_id - 1
    return (
        f"<wp:comment><wp:comment_id>{wp_id}</wp:comment_id>"
        f"<wp:comment_author>Reader {index}</wp:comment_author>"
        f"<wp:comment_author_email>reader{index}@example.invalid</wp:comment_author_email>"
        f"<wp:comment_author_IP>192.0.2.{index % 250}</wp:comment_author_IP>"
        f"<wp:comment_date_gmt>{day}</wp:comment_date_gmt>"
        f"<wp:comment_content>Comment {wp_id}: I agree with most of this.</wp:comment_content>"
        f"<wp:comment_approved>{'0' if index % 17 == 5 else '1'}</wp:comment_approved>"
        f"<wp:comment_type></wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent>"
        "</wp:comment>"
    )


class Command(BaseCommand):
    help = "Time the WordPress import on a synthetic export (writes to the configured DB)."

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=10_000)
        parser.add_argument("--comments", type=int, default=100_000)
        parser.add_argument("--keep", metavar="PATH", help="write the export here and keep it")

    def handle(self, *args, posts, comments, keep, **options):
        posts = max(posts, 1)
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(keep or Path(scratch) / "bench.xml")
            started = time.perf_counter()
            write_export(path, posts, comments)
            written = time.perf_counter() - started
            size = path.stat().st_size / 1024 / 1024
            self.stdout.write(
                f"Export: {posts:,} posts, {comments:,} comments, {size:.1f} MiB "
                f"(written in {written:.1f} s)"
            )
            before = peak_memory_mib()
            started, cpu_started = time.perf_counter(), time.process_time()
            with path.open("rb") as raw:
                report = Importer(Options(series_from_title=True)).run(parse(FilteredFile(raw)))
            elapsed = time.perf_counter() - started
            # On a busy machine the wall time waits for a core; this process's own CPU
            # time (the database's is not in it) says what the import itself costs.
            cpu = time.process_time() - cpu_started
        self.stdout.write(report.render().split("\nProblems")[0])
        rate = (posts + comments) / elapsed if elapsed else 0
        self.stdout.write(
            f"Import: {elapsed:.1f} s ({rate:,.0f} posts+comments per second, "
            f"{cpu:.1f} s of CPU in this process); "
            f"peak memory {peak_memory_mib():.0f} MiB (it was {before:.0f} MiB before the import)"
        )
