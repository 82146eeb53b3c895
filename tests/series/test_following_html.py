"""The follow form and every page of following validate with the Nu HTML checker."""

import pytest
from django.core import mail
from django.test import TestCase

from series.models import SeriesPart
from tests.factories import PostFactory, SeriesFactory, SubscriptionFactory
from tests.html_checker import assert_valid_html
from tests.series.follow_helpers import follow, link_in

pytestmark = pytest.mark.django_db


def test_following_pages_are_valid_html(client, tmp_path, settings):
    series = SeriesFactory(slug="s", title="Travels")
    part = PostFactory(slug="part-1")
    SeriesPart.objects.create(series=series, post=part, number=1)
    SubscriptionFactory(email="reader@example.com", series=None)
    with TestCase.captureOnCommitCallbacks(execute=True):
        follow(client, "reader@example.com", series)
    message = mail.outbox[0]
    pages = {
        "home": client.get("/").content,
        "series": client.get("/series/s/").content,
        "part": client.get(part.get_absolute_url()).content,
        "check-inbox": client.get("/follow/check-your-inbox/").content,
        "confirmed": client.get(link_in(message, "confirm")).content,
        "manage": client.get(link_in(message, "manage")).content,
        "unsubscribe": client.get(link_in(message, "unsubscribe")).content,
        "unsubscribed": client.post(link_in(message, "unsubscribe")).content,
        "bad-link": client.get("/follow/confirm/forged/").content,
        "form-error": follow(client, "nope", series).content,
        "forbidden": follow(client, "a@example.com", HTTP_ORIGIN="https://evil.example").content,
    }
    settings.FOLLOW_RATE_LIMIT_PER_IP = 1
    pages["limited"] = follow(client, "b@example.com").content
    assert_valid_html(pages, tmp_path)
