"""The comment rate limit is exact: one atomic counter per client address
(comments/rate_limit.py), not a count of recent comments followed by an insert."""

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.db import connection

from comments.models import BlogComment, RateCounter, State
from comments.rate_limit import count_comment, forget_expired
from tests.comment_helpers import POST_URL, comment_data
from tests.factories import CommentFactory, PostFactory

LIMIT, BURST = 5, 20


def test_the_counter_counts_within_a_window_and_starts_again_after_it(db, settings):
    settings.COMMENTS_RATE_WINDOW_MINUTES = 10
    start = 1_000_000
    assert [count_comment("203.0.113.7", now=start + n) for n in range(3)] == [1, 2, 3]
    assert count_comment("2001:db8::1", now=start) == 1  # each address its own
    assert count_comment("203.0.113.7", now=start + 599) == 4
    assert count_comment("203.0.113.7", now=start + 600) == 1  # the window ran out
    assert count_comment("203.0.113.7", now=start + 601) == 2
    # The nightly purge forgets the addresses whose window ran out, no others.
    assert forget_expired(now=start + 1199) == 1
    assert list(RateCounter.objects.values_list("address", flat=True)) == ["203.0.113.7"]


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite serialises every write and its test database is one shared "
    "in-memory connection, so the live server cannot post concurrently there",
)
def test_twenty_concurrent_posts_from_one_returning_commenter_respect_the_limit(
    live_server, settings, transactional_db
):
    settings.COMMENTS_RATE_LIMIT, settings.COMMENTS_RATE_WINDOW_MINUTES = LIMIT, 10
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1", "localhost"]
    post = PostFactory(slug="burst")
    # Ada has an approved comment: the policy alone would publish every one of hers.
    CommentFactory(post=post, user_name="Ada Reader", user_email="ada@example.com")
    bodies = [comment_data(post, comment=f"Burst comment {n}.") for n in range(BURST)]
    start = threading.Barrier(BURST)

    def send(data):
        with httpx.Client(base_url=live_server.url, timeout=30) as client:
            start.wait()
            return client.post(POST_URL, data=data).status_code

    with ThreadPoolExecutor(BURST) as pool:
        statuses = list(pool.map(send, bodies))

    assert statuses == [302] * BURST
    burst = BlogComment.objects.filter(comment__startswith="Burst comment")
    assert burst.count() == BURST  # none lost
    assert burst.filter(state=State.PUBLIC).count() == LIMIT
    held = burst.filter(state=State.HELD)
    assert held.count() == BURST - LIMIT
    assert all(
        reason.startswith("rate limit: over 5") for reason in held.values_list("reason", flat=True)
    )
    assert RateCounter.objects.get().hits == BURST
