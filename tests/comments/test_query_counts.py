"""A post's page costs the same number of queries with 5 comments or 500."""

import random

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import BlogComment, State
from tests.comment_helpers import give_own_comments
from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


def add_threads(post, count, seed=7):
    """`count` comments in threads up to depth 5, with some held, spam and removed."""
    rng = random.Random(seed)
    made = []
    for n in range(count):
        parents = [c for c in made[-30:] if c.level < 4 and c.state == State.PUBLIC]
        parent = rng.choice(parents) if parents and rng.random() < 0.7 else None
        state = State.PUBLIC if n % 10 else rng.choice([State.HELD, State.SPAM, State.PUBLIC])
        made.append(CommentFactory(post=post, parent=parent, state=state, is_removed=n % 37 == 5))
    return made


def queries_for(client, url):
    cache.clear()  # measure the cold path, sidebar included
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def test_post_page_queries_do_not_grow_with_comments(client, settings):
    settings.COMMENTS_PER_PAGE = 0  # all 500 on one page (paged: test_comment_pages.py)
    small, large = PostFactory(), PostFactory()
    add_threads(small, 5)
    add_threads(large, 500)
    assert BlogComment.objects.filter(level=4).exists()
    queries_for(client, small.get_absolute_url())  # warm the per-process caches (ContentType)
    small_count, _ = queries_for(client, small.get_absolute_url())
    large_count, response = queries_for(client, large.get_absolute_url())
    assert small_count == large_count
    assert response.content.decode().count('class="comment depth-') >= 400


def test_post_page_with_own_held_comments_is_constant_too(client):
    post = PostFactory()
    give_own_comments(client, [c.pk for c in add_threads(post, 50)][:10])
    few, _ = queries_for(client, post.get_absolute_url())
    add_threads(post, 200, seed=8)
    assert queries_for(client, post.get_absolute_url())[0] == few


def test_listing_comment_counts_cost_no_query_per_post(client):
    posts = PostFactory.create_batch(2)
    for post in posts:
        add_threads(post, 3)
    few, _ = queries_for(client, "/")
    for post in PostFactory.create_batch(8):
        add_threads(post, 6)
    many, response = queries_for(client, "/")
    assert many == few
    public = BlogComment.objects.for_object(posts[0]).public().count()
    assert f"{public}&nbsp;comment" in response.content.decode()
