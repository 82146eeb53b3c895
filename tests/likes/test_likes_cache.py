"""Likes and the shared page cache: a like makes a post's cached page stale at most
once per LIKES_REFRESH_SECONDS, the shared page never says what a reader likes, the
script's endpoint is live, and likes add no queries to the page."""

import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from likes.models import Like
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(settings):
    settings.PAGE_CACHE = True
    settings.LIKES_REFRESH_SECONDS = 10
    return PostFactory()


def read(client, post):
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    return response.get("X-Page-Cache", "private"), response.content.decode()


def like(post):
    """A like from a new anonymous browser."""
    assert Client().post(f"/likes/{post.pk}/", {"action": "like"}).status_code == 302


def test_likes_refresh_the_cached_page_at_most_once_per_interval(post, time_machine):
    reader = Client()
    assert read(reader, post)[0] == "miss"
    assert read(reader, post)[0] == "hit"

    like(post)  # the first like after a quiet time shows at once
    cached, page = read(reader, post)
    assert cached == "miss" and "One reader likes this." in page

    like(post)  # soon after: the page stays cached for everyone, as it was
    like(post)
    cached, page = read(reader, post)
    assert cached == "hit" and "One reader likes this." in page
    # The script's endpoint says the live count meanwhile.
    assert reader.get(f"/likes/{post.pk}/").json()["count"] == 3

    # After the interval the next reader's script brings the page up to date.
    time_machine.move_to(time.time() + 11)
    assert read(reader, post)[0] == "hit"  # nobody asked yet: still the old page
    reader.get(f"/likes/{post.pk}/")
    cached, page = read(reader, post)
    assert cached == "miss" and "3 readers like this." in page


def test_after_a_quiet_interval_the_next_like_shows_at_once(post, time_machine):
    like(post)
    assert "One reader likes this." in read(Client(), post)[1]
    time_machine.move_to(time.time() + 11)
    like(post)
    cached, page = read(Client(), post)
    assert cached == "miss" and "2 readers like this." in page


def test_an_unlike_refreshes_the_page_as_a_like_does(post, time_machine):
    liker = Client()
    liker.post(f"/likes/{post.pk}/", {"action": "like"})
    assert "One reader likes this." in read(Client(), post)[1]
    time_machine.move_to(time.time() + 11)
    liker.post(f"/likes/{post.pk}/", {"action": "unlike"})
    assert "likes this" not in read(Client(), post)[1]


def test_the_shared_page_says_nothing_of_the_readers_own_like(post):
    liker = Client()
    liker.post(f"/likes/{post.pk}/", {"action": "like"})
    cached, page = read(liker, post)  # with the message: the liker's own page
    assert cached == "private" and 'aria-pressed="true"' in page
    read(Client(), post)
    del liker.cookies["messages"]  # expired by that answer, as a browser drops it
    cached, page = read(liker, post)  # message read: the shared page, as anyone gets it
    assert cached == "hit" and 'aria-pressed="false"' in page
    assert "One reader likes this." in page
    # The script asks for the reader's own state, which no cache shares.
    state = liker.get(f"/likes/{post.pk}/")
    assert state.json()["liked"] is True
    assert "private" in state["Cache-Control"] and "no-cache" in state["Cache-Control"]
    assert Client().get(f"/likes/{post.pk}/").json()["liked"] is False


def queries_of(client, post):
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(post.get_absolute_url()).status_code == 200
    return len(queries)


def test_a_rendered_post_page_reads_the_like_count_from_the_cache(
    post, settings, django_assert_num_queries
):
    """The page cache off (every request renders): the count comes from the cache
    until a like changes it; nothing else on the page is queried but the post."""
    settings.PAGE_CACHE = False
    like(post)
    Client().get(post.get_absolute_url())
    with django_assert_num_queries(1):
        assert "One reader likes this." in read(Client(), post)[1]
    like(post)  # within the interval: the pages stay as they were
    with django_assert_num_queries(1):
        assert "One reader likes this." in read(Client(), post)[1]


@pytest.mark.parametrize("signed_in", [False, True])
def test_likes_add_no_queries_to_the_post_page(post, signed_in):
    reader = Client()
    if signed_in:
        user = UserFactory()
        reader.force_login(user)
        reader.get(post.get_absolute_url())  # the session's first read
    before = queries_of(reader, post)
    for n in range(5):
        Like.objects.create(post=post, user=UserFactory(username=f"fan{n}"))
    if signed_in:
        Like.objects.create(post=post, user=user)
    assert queries_of(reader, post) == before


def test_the_endpoint_costs_a_fixed_number_of_queries(post, django_assert_num_queries):
    for n in range(5):
        Like.objects.create(post=post, user=UserFactory(username=f"fan{n}"))
    liker = Client()
    liker.post(f"/likes/{post.pk}/", {"action": "like"})
    # The post; its count; this browser's like.
    with django_assert_num_queries(3):
        assert liker.get(f"/likes/{post.pk}/").json()["count"] == 6
