"""A comment POST costs at most nine queries, whoever sends it and wherever it goes.

Counted after one warm-up POST (which fills the cached blocklist), as a running site
serves them: the post with screening's facts, the rate limit's counter (one atomic
upsert, so concurrent posts cannot slip past the limit; moderators skip it), the
parent of a reply, the thread's one UPDATE, three inserts (django_comments, xtd,
ours), the history entry, and the user row of a signed-in reader. Mail is only
scheduled for after the commit.
"""

import pytest
from django.test import Client

from comments.models import BlogComment, State
from comments.screening import BLOCKLIST_CACHE_KEY
from tests.comment_helpers import POST_URL, comment_data
from tests.factories import AuthorProfileFactory, CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    return PostFactory(slug="counted")


@pytest.fixture
def deep_reply(post):
    """A reply at the deepest level but one, in the middle of a long thread: a reply
    to it moves the comments after it and counts in four ancestors."""
    root = CommentFactory(post=post)
    comment = root
    for _ in range(3):
        comment = CommentFactory(post=post, parent=comment)
    CommentFactory(post=post, parent=root)  # after the deep branch: moves down
    CommentFactory(post=post)  # another thread: untouched
    return comment


def send(client, post, **fields):
    data = comment_data(post, **fields)
    if getattr(client, "signed_in", False):
        del data["name"], data["email"]
    return client.post(POST_URL, data)


def warm_up(client, post):
    assert send(client, post, comment="A first comment, to warm the caches.").status_code == 302


def signed_in(user):
    client = Client()
    client.force_login(user)
    client.signed_in = True
    return client


def assert_post_costs(
    client, post, expected, django_assert_num_queries, django_capture_on_commit_callbacks, **fields
):
    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(expected):
        response = send(client, post, **fields)
    assert response.status_code == 302
    comment = BlogComment.objects.latest("pk")
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"
    # The mail: after the commit, out of the counted request. (A public comment also
    # bumps its pages' versions again after the commit: core/content_version.py.)
    mail = [c for c in callbacks if "bump" not in c.__qualname__]
    assert len(mail) == 1
    return comment


@pytest.mark.parametrize(
    ("who", "reply", "expected"),
    [
        ("anonymous", False, 5 + 1),
        ("anonymous", True, 7 + 1),
        ("reader", False, 6 + 1),
        ("reader", True, 7 + 1 + 1),
        ("moderator", True, 7 + 1),  # no rate limit for moderators
    ],
)
def test_a_comment_post_costs_at_most_nine_queries(
    who,
    reply,
    expected,
    post,
    deep_reply,
    moderator,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    client = {
        "anonymous": Client(),
        "reader": signed_in(AuthorProfileFactory(display_name="Grace H.").user),
        "moderator": signed_in(moderator),
    }[who]
    warm_up(client, post)
    fields = {"comment": f"Counted, from {who}.", "reply_to": deep_reply.pk if reply else 0}
    comment = assert_post_costs(
        client,
        post,
        expected,
        django_assert_num_queries,
        django_capture_on_commit_callbacks,
        **fields,
    )
    assert expected <= 9
    assert comment.parent_id == (deep_reply.pk if reply else comment.pk)
    assert comment.level == (4 if reply else 0)
    if who == "reader":
        assert comment.user_name == "Grace H."  # the profile came with request.user
    assert comment.state == (State.PUBLIC if who == "moderator" else State.HELD)


def test_the_blocklist_is_read_once_and_then_from_the_cache(
    client, post, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    assert cache.get(BLOCKLIST_CACHE_KEY) is None
    assert_post_costs(
        client, post, 6 + 1, django_assert_num_queries, django_capture_on_commit_callbacks
    )
    assert cache.get(BLOCKLIST_CACHE_KEY) == []
    assert_post_costs(
        client,
        post,
        6,
        django_assert_num_queries,
        django_capture_on_commit_callbacks,
        comment="Another one.",
    )


def test_the_scheduled_mail_does_its_own_lookups(
    post, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    """What the request leaves for after the commit needs only the comment's id."""
    client = Client()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send(client, post, comment="Held, so the moderators hear of it.")
    # The request leaves one callback; the task it runs queues the outbox's sending.
    assert next(c.__qualname__ for c in callbacks).startswith("post_comment")
    assert sum(c.__qualname__.startswith("post_comment") for c in callbacks) == 1
    to_moderator = [m for m in mailoutbox if m.to == [moderator.email]]
    assert len(to_moderator) == 1
    assert "Held, so the moderators hear of it." in to_moderator[0].body


def test_a_double_submit_costs_one_query_and_shows_the_first(
    client, post, django_assert_num_queries
):
    warm_up(client, post)
    first = BlogComment.objects.get()
    data = comment_data(post, comment="A first comment, to warm the caches.")
    with django_assert_num_queries(1):
        response = client.post(POST_URL, data)
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{first.pk}"
    assert BlogComment.objects.count() == 1


def test_a_signed_in_reader_without_a_profile_is_named_without_a_query(
    post, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client = signed_in(UserFactory(first_name="Ada", last_name="Lovelace"))
    warm_up(client, post)
    comment = assert_post_costs(
        client,
        post,
        7,
        django_assert_num_queries,
        django_capture_on_commit_callbacks,
        comment="No profile here.",
    )
    assert comment.user_name == "Ada Lovelace"
