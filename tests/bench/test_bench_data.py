"""The benchmark dataset: comments inserted in bulk thread exactly as xtd threads them
one save at a time, and bench_data builds the requested shapes once, then reuses them."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from bench import dataset
from bench.discussions import Draft, insert_comments
from blog.models import Post
from comments.models import BlogComment, State
from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

# Parent index of each comment: two threads, one branching down four levels.
TREE = [None, 0, 1, 1, 0, 4, None, 6, 2, 8, 7]

SMALL = {
    "posts": 60, "comments": 300, "long_threads": 3, "deep_comments": 40,
    "series_parts": 6, "guide_postings": 20, "held": 2, "long_post_words": 300,
}  # fmt: skip


def thread_shape(post):
    """(parent's position, thread root's position, level, order, nested_count) per comment."""
    comments = list(BlogComment.objects.for_object(post).order_by("submit_date", "pk"))
    position = {comment.pk: n for n, comment in enumerate(comments)}
    return [
        (
            position[c.parent_id],
            position[c.thread_id],
            c.level,
            c.order,
            c.nested_count,
        )
        for c in comments
    ]


def test_bulk_inserted_threads_match_xtd_saves():
    saved_post, bulk_post = PostFactory(), PostFactory()
    now = timezone.now()
    saved = []
    for n, parent in enumerate(TREE):
        saved.append(
            CommentFactory(
                post=saved_post,
                parent=None if parent is None else saved[parent],
                submit_date=now + timezone.timedelta(minutes=n),
            )
        )
    drafts = [
        Draft(
            bulk_post.pk,
            parent,
            f"Comment {n}",
            now + timezone.timedelta(minutes=n),
            "R",
            "r@x.org",
        )
        for n, parent in enumerate(TREE)
    ]

    insert_comments(drafts)

    assert thread_shape(bulk_post) == thread_shape(saved_post)
    assert BlogComment.objects.for_object(bulk_post).public().count() == len(TREE)


def test_bench_data_builds_the_shapes_then_reuses_them(client):
    out = StringIO()
    call_command(
        "bench_data", *[f"--{k.replace('_', '-')}={v}" for k, v in SMALL.items()], stdout=out
    )

    found = dataset.summary()
    assert found == {
        "posts": 60,
        "comments": 300,
        "long_post_comments": 12,
        "long_post_depth": 4,
        "deep_post_comments": 40,
        "deep_post_depth": 5,
        "series_parts": 6,
        "guide_postings": 20,
    }
    assert BlogComment.objects.filter(state=State.HELD, is_public=False).count() == 2
    long_post = Post.objects.get(slug=dataset.LONG_POST_SLUG)
    assert long_post.word_count >= 300
    threads = BlogComment.objects.for_object(long_post).filter(level=0)
    assert all(top.nested_count == 3 for top in threads)
    page = client.get(long_post.get_absolute_url())
    assert page.content.decode().count('class="comment depth-') == 12
    assert client.get("/guides/bench-guide/").status_code == 200

    call_command(
        "bench_data", *[f"--{k.replace('_', '-')}={v}" for k, v in SMALL.items()], stdout=out
    )
    assert "reused" in out.getvalue()
    assert BlogComment.objects.count() == 300
