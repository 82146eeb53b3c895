"""`make page-weight`: what the demo post with the longest discussion costs a reader's
browser to load (see bench/page_weight.py), at desktop and phone widths."""

import io

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db.models import Count

from bench.page_weight import report_line, weigh
from blog.models import Post
from demo.live import chromium, served_site


class Command(BaseCommand):
    help = "Report bytes and requests of the demo post page with comments, cold cache."

    def add_arguments(self, parser):
        parser.add_argument("--path", help="Weigh this path instead of the busiest demo post.")

    def handle(self, *args, path=None, **options):
        if not path:
            call_command("seed_demo", stdout=io.StringIO())
            path = busiest_post().get_absolute_url()
        with served_site() as base, chromium() as browser:
            self.stdout.write(f"page {path}")
            for width in (1280, 390):
                self.stdout.write(report_line(f"{width}px", weigh(browser, base + path, width)))


def busiest_post():
    from comments.models import BlogComment

    counts = (
        BlogComment.objects.filter(is_public=True, is_removed=False)
        .values("object_pk")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    return Post.objects.published().get(pk=counts[0]["object_pk"])
