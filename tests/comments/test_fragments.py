"""A thread is assembled from per-comment fragments kept in the cache
(comments/fragments.py): a change shows at once, per-reader parts stay per reader,
and a cold or broken cache still gives the same page."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from comments.fragments import COMMENT_TEMPLATE, fragment_key
from comments.models import BlogComment, State
from comments.thread import ThreadComment
from comments.visibility import discussion_key
from core.content_version import bump
from tests.comment_helpers import POST_URL, comment_data, give_own_comments
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db
REPLY_LINK = 'class="comment-reply-link"'
AWAITING = "Your comment is awaiting moderation."


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Whole-page caching would hide what the fragments do; it has its own tests."""
    settings.PAGE_CACHE = False


@pytest.fixture
def discussion():
    post = PostFactory()
    first = CommentFactory(post=post, comment="The first word.")
    reply = CommentFactory(post=post, parent=first, comment="A reply to it.")
    return post, first, reply


def thread_of(response):
    """The comment list as served, without the per-request form around it."""
    html = response.content.decode()
    start = html.index('<ol class="comment-list">')
    return re.split(r'<div class="comment-respond"|<p class="comments-closed"', html[start:])[0]


def fragments_rendered(response):
    return sum(1 for template in response.templates if template.name == COMMENT_TEMPLATE)


def key_of(comment):
    comment.refresh_from_db()
    row = {name: getattr(comment, name) for name in ThreadComment.COLUMNS}
    return fragment_key(ThreadComment(**row))


def test_each_fragment_is_rendered_once_then_read_from_the_cache(client, discussion):
    post, first, _ = discussion
    cold = client.get(post.get_absolute_url())
    assert fragments_rendered(cold) == 2
    assert cache.get(key_of(first)) is not None
    warm = client.get(post.get_absolute_url())
    assert fragments_rendered(warm) == 0
    assert thread_of(warm) == thread_of(cold)
    assert "The first word." in thread_of(warm) and "A reply to it." in thread_of(warm)


def test_an_edited_comment_shows_its_new_text_at_once(client, discussion):
    post, first, _ = discussion
    client.get(post.get_absolute_url())
    old_key = key_of(first)
    first.comment = "Edited: <b>bold</b> claims."
    first.save()
    assert key_of(first) != old_key
    response = client.get(post.get_absolute_url())
    assert fragments_rendered(response) == 1  # only the changed comment
    thread = thread_of(response)
    assert "The first word." not in thread
    assert "Edited: &lt;b&gt;bold&lt;/b&gt; claims." in thread


def test_an_approved_comment_appears_and_a_removed_one_leaves_a_placeholder(client, discussion):
    post, first, _ = discussion
    held = CommentFactory(post=post, comment="Waiting for a moderator.", state=State.HELD)
    assert "Waiting for a moderator." not in thread_of(client.get(post.get_absolute_url()))
    held.state = State.PUBLIC
    held.save()
    assert "Waiting for a moderator." in thread_of(client.get(post.get_absolute_url()))
    first.is_removed = True
    first.save()
    thread = thread_of(client.get(post.get_absolute_url()))
    assert "The first word." not in thread
    assert f'id="comment-{first.pk}"><p class="comment-removed">Comment removed.</p>' in thread
    assert "A reply to it." in thread  # the reply keeps its place under the placeholder


def test_a_held_comment_shows_only_to_its_author_and_never_enters_the_cache(client, discussion):
    post, first, _ = discussion
    mine = CommentFactory(post=post, parent=first, comment="My held words.", state=State.HELD)
    give_own_comments(client, [mine.pk])
    for _ in range(2):  # cold, then with every shared fragment cached
        thread = thread_of(client.get(post.get_absolute_url()))
        assert "My held words." in thread and AWAITING in thread
        assert f"replytocom={mine.pk}" not in thread
    assert cache.get(key_of(mine)) is None
    other = thread_of(Client().get(post.get_absolute_url()))
    assert "My held words." not in other and AWAITING not in other


def test_reply_links_disappear_when_comments_close_although_fragments_are_cached(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    post = PostFactory(published_at=timezone.now() - timedelta(days=29))
    comment = CommentFactory(post=post)
    open_page = client.get(post.get_absolute_url())
    assert f"?replytocom={comment.pk}#respond" in open_page.content.decode()
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        closed = client.get(post.get_absolute_url())
    assert fragments_rendered(closed) == 0  # the same cached fragment
    html = closed.content.decode()
    assert REPLY_LINK not in html and "Comments are closed." in html
    assert f'id="comment-{comment.pk}-author"' in html


def test_reply_links_stop_at_the_deepest_level(client, settings, discussion):
    settings.COMMENTS_XTD_MAX_THREAD_LEVEL = 1
    post, first, reply = discussion
    thread = thread_of(client.get(post.get_absolute_url()))
    assert f"?replytocom={first.pk}#" in thread and f"?replytocom={reply.pk}#" not in thread


def normalised(response):
    return re.sub(r"\s+", " ", thread_of(response))


BROKEN_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.25},
    }
}
DUMMY = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.mark.parametrize("caches", [DUMMY, BROKEN_REDIS], ids=["empty", "unavailable"])
def test_a_cold_or_unavailable_cache_renders_the_same_thread(client, discussion, caches):
    post, *_ = discussion
    CommentFactory(post=post, comment="Third, with https://example.com/ a link.")
    client.get(post.get_absolute_url())
    expected = normalised(client.get(post.get_absolute_url()))  # from cached fragments
    with override_settings(CACHES=caches):
        for _ in range(2):
            response = Client().get(post.get_absolute_url())
            assert response.status_code == 200
            assert fragments_rendered(response) == 3
            assert normalised(response) == expected


def test_a_new_time_zone_renders_every_fragment_again(client, settings, discussion):
    post, first, _ = discussion
    first.submit_date = first.submit_date.replace(hour=12, minute=0)
    first.save()
    assert "at 12:00 p.m." in thread_of(client.get(post.get_absolute_url()))
    settings.TIME_ZONE = "America/New_York"
    response = client.get(post.get_absolute_url())
    assert fragments_rendered(response) == 2
    assert "at 7:00 a.m." in thread_of(response) or "at 8:00 a.m." in thread_of(response)


def comment_box(response):
    html = response.content.decode()
    return re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S).group(0)


def test_the_shared_form_fields_never_carry_a_readers_own_values(client, settings):
    post = PostFactory()
    url = post.get_absolute_url()
    empty = comment_box(Client().get(url))  # the anonymous fields, now cached
    data = comment_data(post, name="akismet-guaranteed-spam", comment="My words, kept.")
    client.post(POST_URL, data)  # judged spam: the text comes back in the form, once
    assert "My words, kept." in comment_box(client.get(url))
    assert comment_box(Client().get(url)) == empty
    member = Client()
    member.force_login(UserFactory())
    assert 'name="name"' not in member.get(url).content.decode()
    settings.COMMENTS_MAX_LENGTH = 20
    assert 'data-max-length="20"' in comment_box(Client().get(url))


def test_a_change_that_bypasses_signals_shows_once_its_discussion_is_bumped(client, discussion):
    """A fragment's key is read from the row itself; the assembled thread's from the
    discussion's version, which writes that bypass signals bump, as they must for
    every cached page (core/content_version.py)."""
    post, first, _ = discussion
    client.get(post.get_absolute_url())
    BlogComment.objects.filter(pk=first.pk).update(user_name="Anonymous", user_url="")
    bump(discussion_key(post.pk))
    thread = thread_of(client.get(post.get_absolute_url()))
    assert f'id="comment-{first.pk}-author"><bdi>Anonymous</bdi></cite>' in thread


def test_a_post_page_with_its_pieces_cached_costs_one_query(
    client, discussion, django_assert_num_queries
):
    """The post itself: everything else on the page (its meta line, tags and JSON-LD,
    the assembled thread, menu, sidebar, neighbours, related posts, series) comes
    from the cache."""
    post, *_ = discussion
    client.get(post.get_absolute_url())
    with django_assert_num_queries(1):
        response = client.get(post.get_absolute_url())
    assert "A reply to it." in response.content.decode()
