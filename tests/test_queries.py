"""A page's query count must not grow with what it shows."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CategoryFactory, PostFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    cache.clear()  # measure the cold path, sidebar included
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_post_page_queries_do_not_grow_with_categories_and_tags(client):
    few = PostFactory(categories=[CategoryFactory()], tags=[TagFactory()])
    many = PostFactory(categories=CategoryFactory.create_batch(8), tags=TagFactory.create_batch(12))
    assert count_queries(client, few.get_absolute_url()) == count_queries(
        client, many.get_absolute_url()
    )


def test_home_queries_do_not_grow_with_posts_listed(client):
    categories = CategoryFactory.create_batch(3)
    PostFactory.create_batch(2, categories=categories, tags=TagFactory.create_batch(2))
    small = count_queries(client, "/")
    for _ in range(3):
        author = UserFactory()
        PostFactory.create_batch(
            4, author=author, categories=categories, tags=TagFactory.create_batch(3)
        )
    assert count_queries(client, "/") == small
    assert small <= 10


@pytest.mark.parametrize("url", ["/category/c/", "/tag/t/", "/2013/"])
def test_listing_queries_do_not_grow(client, url):
    from datetime import UTC, datetime

    category, tag = CategoryFactory(slug="c"), TagFactory(slug="t")
    when = datetime(2013, 5, 5, tzinfo=UTC)
    PostFactory(categories=[category], tags=[tag], published_at=when)
    small = count_queries(client, url)
    for _ in range(6):
        PostFactory(categories=[category, CategoryFactory()], tags=[tag], published_at=when)
    assert count_queries(client, url) == small
