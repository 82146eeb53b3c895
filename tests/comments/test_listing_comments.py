"""Listings word a post's comments as WordPress does: "Leave a comment" (to the form)
for none, "1 comment", "N comments" (to the comments), nothing when closed and none."""

from datetime import timedelta

import pytest
from django.utils import timezone

from series.models import SeriesPart
from tests.factories import CommentFactory, PostFactory, SeriesFactory

pytestmark = pytest.mark.django_db


def main(response):
    return response.content.decode().split("<main")[1].split("</main>")[0]


def test_home_words_each_posts_comments(client):
    quiet = PostFactory(title="Quiet")
    one = PostFactory(title="One")
    CommentFactory(post=one)
    busy = PostFactory(title="Busy")
    CommentFactory.create_batch(3, post=busy)
    closed = PostFactory(title="Closed", comments_open=False)
    closed_talked = PostFactory(title="Closed talked", comments_open=False)
    CommentFactory.create_batch(2, post=closed_talked)
    html = main(client.get("/"))
    assert f'<a href="{quiet.get_absolute_url()}#respond">Leave a comment</a>' in html
    assert f'<a href="{one.get_absolute_url()}#comments">1&nbsp;comment</a>' in html
    assert f'<a href="{busy.get_absolute_url()}#comments">3&nbsp;comments</a>' in html
    assert f'<a href="{closed_talked.get_absolute_url()}#comments">2&nbsp;comments</a>' in html
    assert f"{closed.get_absolute_url()}#" not in html
    assert html.count("Leave a comment") == 1 and "0 comments" not in html


def test_comments_closed_by_age_invite_none(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    PostFactory(title="Old", published_at=timezone.now() - timedelta(days=90))
    assert "Leave a comment" not in main(client.get("/"))


def test_a_series_page_words_its_parts_comments_alike(client):
    series = SeriesFactory(slug="s")
    quiet, talked = PostFactory(title="Quiet"), PostFactory(title="Talked")
    CommentFactory(post=talked)
    SeriesPart.objects.create(series=series, post=quiet, number=1)
    SeriesPart.objects.create(series=series, post=talked, number=2)
    html = main(client.get("/series/s/"))
    assert f'<a href="{quiet.get_absolute_url()}#respond">Leave a comment</a>' in html
    assert f'<a href="{talked.get_absolute_url()}#comments">1&nbsp;comment</a>' in html


def test_a_post_page_links_to_the_anchors_the_listings_name(client):
    post = PostFactory()
    html = client.get(post.get_absolute_url()).content.decode()
    assert 'id="respond"' in html and 'id="comments"' in html
