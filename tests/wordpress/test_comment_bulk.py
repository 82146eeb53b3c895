"""A first import writes an entry's comments in bulk; the threads must come out
exactly as the one-by-one saves (used when some were imported before) make them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import Post
from comments.models import BlogComment, State
from tests.wordpress.wxr_files import comment, import_text, item, wxr

pytestmark = pytest.mark.django_db

# id → parent: two threads, replies out of id order, a chain deeper than the default
# maximum depth, a held and a trashed comment.
TREE = {1: 0, 2: 1, 3: 1, 4: 2, 5: 0, 6: 4, 7: 5, 8: 3, 9: 6, 10: 9, 11: 10, 13: 0, 12: 13}


def comments(ids):
    states = {7: "0", 8: "trash"}
    return "".join(
        comment(wp_id, f"c{wp_id}", parent=TREE[wp_id], approved=states.get(wp_id, "1"))
        for wp_id in ids
    )


def shape(post):
    rows = list(BlogComment.objects.filter(object_pk=str(post.pk)).order_by("thread_id", "order"))
    text = {row.pk: row.comment for row in rows}
    return [
        (row.comment, text[row.thread_id], text[row.parent_id], row.level, row.order,
         row.nested_count, row.state, row.is_removed, row.is_public, row.comment_html)
        for row in rows
    ]  # fmt: skip


def test_bulk_written_threads_match_one_by_one_saves(tmp_path):
    # Post 1 gets one comment first, so the second run saves its others one by one;
    # post 2 is new in the second run, so its comments are written in bulk.
    import_text(tmp_path, wxr(item(1, comments=comments([1]))))
    import_text(tmp_path, wxr(item(1, comments=comments(TREE)), item(2, comments=comments(TREE))))

    one_by_one, bulk = (
        shape(Post.objects.get(slug="post-1")),
        shape(Post.objects.get(slug="post-2")),
    )
    assert len(bulk) == len(TREE)
    assert bulk == one_by_one
    assert (
        BlogComment.objects.get(
            comment="c7", object_pk=str(Post.objects.get(slug="post-2").pk)
        ).state
        == State.HELD
    )


def test_an_entrys_comments_cost_the_same_queries_however_many(tmp_path):
    def queries(n):
        ids = list(range(1000 * n + 1, 1000 * n + 1 + n))
        threads = "".join(comment(i, parent=i - 1 if i % 3 else 0) for i in ids)
        with CaptureQueriesContext(connection) as captured:
            import_text(tmp_path, wxr(item(n, slug=f"p{n}", comments=threads)))
        return len(captured)

    queries(1)  # the first run also creates the author
    assert queries(40) == queries(4)
