"""Refresh every post's plain text, word count and search vector, e.g. after a bulk
load that bypassed `save()`, or after changing SEARCH_LANGUAGE."""

from django.core.management.base import BaseCommand

from blog.links import strip_internal_links
from blog.models import Post
from blog.sanitizer import html_to_text


class Command(BaseCommand):
    help = "Rebuild the posts' search text and vectors."

    def handle(self, *args, **options):
        posts = Post.objects.only("pk", "body")
        changed = []
        for post in posts.iterator(chunk_size=1000):
            post.body_text = strip_internal_links(html_to_text(post.body))
            post.word_count = len(post.body_text.split())
            changed.append(post)
        Post.objects.bulk_update(changed, ["body_text", "word_count"], batch_size=1000)
        Post.objects.all().update_search_vectors()
        self.stdout.write(f"Search index rebuilt for {len(changed)} posts.")
