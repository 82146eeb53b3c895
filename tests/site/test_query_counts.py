"""Every reader page answers with the same number of queries whatever the size of
the blog: each is measured cold (no cache) before and after the blog grows.
The comment tree and the series and guide pages at scale are measured beside
their apps (tests/comments, tests/series)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from series.models import GuideVolume, SeriesPart
from tests.factories import (
    CategoryFactory,
    CommentFactory,
    GuideFactory,
    PageFactory,
    PostFactory,
    SeriesFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
DAY = datetime(2015, 6, 15, 12, tzinfo=UTC)

PAGES = [
    "/", "/?page=2", "/category/c/", "/tag/t/", "/author/writer/",
    "/2015/", "/2015/06/", "/2015/06/15/", "/POST", "/about/",
    "/series/", "/series/s/", "/guides/", "/guides/g/", "/guides/g/volume/2/",
    "/search/?q=growing", "/feed/", "/feed/atom/", "/category/c/feed/", "/POSTfeed/",
    "/series/s/feed/", "/sitemap.xml", "/sitemap-posts.xml", "/robots.txt",
]  # fmt: skip


def grow(n, author, category, tag, series, guide, post):
    """n more posts in every listing, each with comments, parts and postings."""
    posts = []
    for i in range(n):
        extra = PostFactory(
            title=f"Growing {i} {n}",
            author=author,
            published_at=DAY - timedelta(minutes=i + 1),
            categories=[category, CategoryFactory()],
            tags=[tag, TagFactory()],
        )
        CommentFactory.create_batch(2, post=extra)
        SeriesPart.objects.create(series=series, post=extra)
        posts.append(extra)
    guide.add_posts(posts)
    parent = None
    for _ in range(n):
        parent = CommentFactory(post=post, parent=parent if parent and parent.level < 4 else None)


def queries(client, url):
    cache.clear()
    Site.objects.get_current()  # a per-process cache, not a per-request query
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_every_reader_page_costs_the_same_at_two_sizes(client):
    author = UserFactory(username="writer")
    category, tag = CategoryFactory(slug="c"), TagFactory(slug="t")
    series, guide = SeriesFactory(slug="s"), GuideFactory(slug="g")
    GuideVolume.objects.create(guide=guide, number=1, first_number=1)
    GuideVolume.objects.create(guide=guide, number=2, first_number=3)
    PageFactory(slug="about")
    post = PostFactory(title="The growing post", author=author, published_at=DAY,
                       categories=[category], tags=[tag])  # fmt: skip
    args = (author, category, tag, series, guide, post)
    grow(12, *args)

    def urls():
        return [url.replace("/POST", post.get_absolute_url()) for url in PAGES]

    small = {url: queries(client, url) for url in urls()}
    grow(40, *args)
    large = {url: queries(client, url) for url in urls()}
    assert large == small
    assert small["/"] <= 10  # and few to begin with


def test_post_page_queries_do_not_grow_with_categories_and_tags(client):
    few = PostFactory(categories=[CategoryFactory()], tags=[TagFactory()])
    many = PostFactory(categories=CategoryFactory.create_batch(8), tags=TagFactory.create_batch(12))
    assert queries(client, few.get_absolute_url()) == queries(client, many.get_absolute_url())
