"""Series and guide pages cost the same queries at any length."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from series.models import GuideVolume, SeriesPart
from tests.factories import GuideFactory, SeriesFactory, bulk_posts

pytestmark = pytest.mark.django_db


def count(client, url):
    cache.clear()  # measure the cold path, sidebar included
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_series_page_queries_are_the_same_for_3_and_300_parts(client):
    small, large = SeriesFactory(slug="small"), SeriesFactory(slug="large")
    SeriesPart.objects.bulk_create(
        SeriesPart(series=small, post=p, number=n)
        for n, p in enumerate(bulk_posts(3, prefix="s"), 1)
    )
    large_posts = bulk_posts(300, prefix="l")
    SeriesPart.objects.bulk_create(
        SeriesPart(series=large, post=p, number=n) for n, p in enumerate(large_posts, 1)
    )
    assert count(client, "/series/small/") == count(client, "/series/large/")
    assert count(client, "/series/") <= 10
    # A part's page in the long series is as cheap as in the short one.
    small_part = small.parts.get(number=2).post.get_absolute_url()
    large_part = large.parts.get(number=150).post.get_absolute_url()
    assert count(client, small_part) == count(client, large_part)


def test_guide_volume_queries_are_the_same_for_10_and_1000_postings(client):
    small, large = GuideFactory(slug="small"), GuideFactory(slug="large")
    small.add_posts(bulk_posts(10, prefix="gs"))
    series = SeriesFactory()
    parts = bulk_posts(40, prefix="gp")
    SeriesPart.objects.bulk_create(
        SeriesPart(series=series, post=p, number=n) for n, p in enumerate(parts, 1)
    )
    large.add_posts(bulk_posts(500, prefix="gl"))
    large.add_series(series)
    large.add_posts(bulk_posts(460, prefix="gm"))
    for guide, second in ((small, 6), (large, 101)):
        GuideVolume.objects.create(guide=guide, number=1, first_number=1)
        GuideVolume.objects.create(guide=guide, number=2, first_number=second)
    assert large.postings.count() == 1000
    small_volume = count(client, "/guides/small/volume/2/")
    large_volume = count(client, "/guides/large/volume/2/")  # postings 101-1000
    assert small_volume == large_volume
    assert count(client, "/guides/small/") == count(client, "/guides/large/")
