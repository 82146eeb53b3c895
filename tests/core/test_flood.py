"""A flood of held comments leaves the page cache in place.

A minute of it, counted rather than timed: one held comment posted through the form
each "second", a moderator's approval every ten, and readers reading the reader
pages in between. Hit or miss comes from each response's X-Page-Cache header."""

from collections import Counter

import pytest
from django.test import Client

from comments.models import BlogComment, State
from comments.moderation import moderate
from series.models import SeriesPart
from tests.comment_helpers import POST_URL, comment_data
from tests.factories import CategoryFactory, CommentFactory, PostFactory, SeriesFactory, TagFactory

pytestmark = pytest.mark.django_db

SECONDS = 60
APPROVE_EVERY = 10
READS_PER_SECOND = 2  # of each reader page


@pytest.fixture
def reader_pages():
    category, tag = CategoryFactory(slug="c"), TagFactory(slug="t")
    posts = [PostFactory(categories=[category], tags=[tag]) for _ in range(3)]
    series = SeriesFactory(slug="s")
    for number, post in enumerate(posts, start=1):
        SeriesPart.objects.create(series=series, post=post, number=number)
        CommentFactory(post=post)
    urls = ["/", "/category/c/", "/tag/t/", "/series/s/", "/feed/"]
    urls += [post.get_absolute_url() for post in posts]
    return posts, urls


def test_one_held_comment_a_second_keeps_reader_pages_cached(reader_pages):
    posts, urls = reader_pages
    reader, commenter = Client(), Client()  # one each: a Client costs a middleware load
    for url in urls:
        reader.get(url)  # warm, not counted
    seen = Counter()
    approved = []
    for second in range(SECONDS):
        text = f"Flood comment {second}"
        data = comment_data(
            posts[second % len(posts)], comment=text, email=f"flood{second}@example.com"
        )
        assert commenter.post(POST_URL, data).status_code == 302
        if second % APPROVE_EVERY == APPROVE_EVERY - 1:
            oldest = BlogComment.objects.filter(state=State.HELD).order_by("pk").first()
            moderate(oldest, "approve", None)
            approved.append(oldest)
        for _ in range(READS_PER_SECOND):
            for url in urls:
                response = reader.get(url)
                assert response.status_code == 200
                seen[response["X-Page-Cache"]] += 1
        # What readers see is current: approved comments shown, held ones not.
        page = reader.get(posts[second % len(posts)].get_absolute_url()).content.decode()
        assert text not in page
        if approved:
            latest = approved[-1]
            assert latest.comment in reader.get(latest.get_absolute_url()).content.decode()
    assert not reader.cookies  # a reader without a session all along

    held = BlogComment.objects.filter(state=State.HELD, comment__startswith="Flood").count()
    assert held == SECONDS - len(approved) and len(approved) == SECONDS // APPROVE_EVERY
    hit_rate = seen["hit"] / (seen["hit"] + seen["miss"])
    print(f"flood: {seen['hit']} hits, {seen['miss']} misses, hit rate {hit_rate:.1%}")
    assert hit_rate > 0.95
