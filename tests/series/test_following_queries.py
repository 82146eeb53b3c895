"""Following costs the same queries with 10 or 10,000 followers: the form, the
series page, planning the notices (one INSERT … SELECT), and each batch of mail
(bounded by the batch size, which also bounds memory)."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from series import notices
from series.models import Notice, SeriesPart
from tests.factories import PostFactory, SeriesFactory, bulk_followers
from tests.series.follow_helpers import follow

pytestmark = pytest.mark.django_db


def queries(action):
    with CaptureQueriesContext(connection) as captured:
        result = action()
    return len(captured), result


def series_with(count, slug):
    series = SeriesFactory(slug=slug)
    bulk_followers(count, series, prefix=f"{slug}-")
    post = PostFactory(slug=f"{slug}-part", published_at=timezone.now())
    SeriesPart.objects.create(series=series, post=post, number=1)
    return series, post


def test_the_form_and_the_series_page_cost_the_same_at_10_and_10000_followers(client):
    small, _ = series_with(10, "small")
    large, _ = series_with(10_000, "large")
    for series in (small, large):
        follow(client, "warm@example.com", series)  # warm the one-time lookups
    small_post, _ = queries(lambda: follow(client, "reader@example.com", small))
    large_post, response = queries(lambda: follow(client, "reader@example.com", large))
    assert response.status_code == 302
    assert small_post == large_post
    client.get(small.get_absolute_url())  # one-time lookups of the process
    cache.clear()  # each page measured cold, sidebar included
    small_page, _ = queries(lambda: client.get(small.get_absolute_url()))
    cache.clear()
    large_page, _ = queries(lambda: client.get(large.get_absolute_url()))
    assert small_page == large_page


def test_the_publish_notice_costs_the_same_at_10_and_10000_followers(settings):
    settings.FOLLOW_BATCH_SIZE = 10
    _, small_post = series_with(10, "small")
    _, large_post = series_with(10_000, "large")

    small_plan, _ = queries(lambda: notices.announce(small_post.pk))
    large_plan, _ = queries(lambda: notices.announce(large_post.pk))
    assert small_plan == large_plan
    assert Notice.objects.filter(post=large_post).count() == 10_000

    # One batch: the same work whether it is the only one or the first of 1,000.
    small_batch, more_small = queries(lambda: notices.send_batch(small_post.pk))
    large_batch, more_large = queries(lambda: notices.send_batch(large_post.pk))
    assert small_batch == large_batch
    assert (more_small, more_large) == (True, True)  # a full batch: the next one looks
    assert Notice.objects.filter(post=large_post, sent_at__isnull=True).count() == 9_990
    # The outbox sends after the commit; under the test transaction that never
    # comes, so no mail has left yet: sending is the worker's, not this thread's.
    assert mail.outbox == []
