"""A new comment's place in its thread (comments/threading.py) is exactly the one
django-comments-xtd computes: thread, parent, level, order and nested_count."""

import random

import pytest
from django.conf import settings
from django.test import Client
from django.utils.html import strip_tags
from django_comments_xtd.models import MaxThreadLevelExceededException, XtdComment

from comments.models import BlogComment
from comments.thread import comment_tree, flatten
from tests.comment_helpers import POST_URL, comment_data
from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db
MAX_LEVEL = settings.COMMENTS_XTD_MAX_THREAD_LEVEL


def new_comment(post, parent_pk, n):
    return CommentFactory.build(post=post, parent_id=parent_pk, comment=f"Comment {n}")


def saved_by_xtd(post, parent_pk, n):
    """The comment saved through xtd's own algorithm (XtdComment.save), the reference."""
    comment = new_comment(post, parent_pk, n)
    XtdComment.save(comment)
    return comment


def saved_here(post, parent_pk, n):
    comment = new_comment(post, parent_pk, n)
    comment.save()
    return comment


def threading_of(post, made):
    """Each comment's (thread, parent, level, order, nested_count), comments named by
    the position in which they were made, so two posts' threads compare."""
    position = {comment.pk: n for n, comment in enumerate(made)}
    rows = BlogComment.objects.for_object(post).select_related(None).order_by("pk")
    return [
        (position[c.thread_id], position[c.parent_id], c.level, c.order, c.nested_count)
        for c in rows
    ]


def grow(post, save, choices):
    """Comments made one by one; `choices[n]` is the position of the comment the n-th
    replies to (None: a new thread)."""
    made = []
    for n, choice in enumerate(choices):
        parent_pk = made[choice].pk if choice is not None else 0
        made.append(save(post, parent_pk, n))
    return made


def random_choices(seed, count):
    """Where each comment goes: a new thread or a reply to one that may have replies."""
    rng, levels, choices = random.Random(seed), [], []
    for _ in range(count):
        open_ones = [n for n, level in enumerate(levels) if level < MAX_LEVEL]
        if open_ones and rng.random() < 0.8:
            # Replies cluster in recent comments, as in a real discussion.
            choice = rng.choice(open_ones[-12:] if rng.random() < 0.7 else open_ones)
            levels.append(levels[choice] + 1)
        else:
            choice = None
            levels.append(0)
        choices.append(choice)
    return choices


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_threads_match_xtds_algorithm(seed):
    choices = random_choices(seed, 60)
    reference, here = PostFactory(), PostFactory()
    expected = threading_of(reference, grow(reference, saved_by_xtd, choices))
    assert threading_of(here, grow(here, saved_here, choices)) == expected
    assert max(level for *_, level, _order, _nested in expected) == MAX_LEVEL


def test_a_reply_is_placed_with_one_update_and_three_inserts(django_assert_num_queries):
    post = PostFactory()
    root = saved_here(post, 0, 0)
    child = saved_here(post, root.pk, 1)
    saved_here(post, root.pk, 2)
    reply = new_comment(post, child.pk, 3)
    reply.parent_comment = child
    with django_assert_num_queries(4):
        reply.save()
    assert (reply.thread_id, reply.level) == (root.pk, 2)
    with django_assert_num_queries(1):  # computed by the database: read when asked for
        assert reply.order == 3


def test_a_reply_beyond_the_deepest_level_is_refused_like_xtd_does():
    post = PostFactory()
    comment = saved_here(post, 0, 0)
    for n in range(MAX_LEVEL):
        comment = saved_here(post, comment.pk, n + 1)
    with pytest.raises(MaxThreadLevelExceededException):
        saved_here(post, comment.pk, 99)


def test_threads_posted_through_the_form_read_back_in_xtds_order(moderator):
    """Posted as a reader would (moderators are published at once, so any comment can
    be replied to), the discussion reads in the order xtd's threading gives."""
    client = Client()
    client.force_login(moderator)
    posted, reference = PostFactory(), PostFactory()
    choices = random_choices(seed=7, count=16)
    made = []
    for n, choice in enumerate(choices):
        reply_to = made[choice].pk if choice is not None else 0
        data = comment_data(posted, comment=f"Comment {n}", reply_to=reply_to)
        del data["name"], data["email"]
        assert client.post(POST_URL, data).status_code == 302
        made.append(BlogComment.objects.latest("pk"))
    expected = threading_of(reference, grow(reference, saved_by_xtd, choices))
    assert threading_of(posted, made) == expected
    roots, _count = comment_tree(posted)
    read_order = [strip_tags(row.node.comment.comment_html) for row in flatten(roots)]
    expected_order = [
        c.comment for c in BlogComment.objects.for_object(reference).order_by("thread_id", "order")
    ]
    assert read_order == expected_order
