"""A series' table of contents and a guide volume's postings are rendered once per
change and served from the cache in between: fewer queries, and a change shows at
once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import State
from series.models import SeriesPart
from tests.factories import CommentFactory, GuideFactory, PostFactory, SeriesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Whole-page caching would hide the lists' own cache; it has its own tests."""
    settings.PAGE_CACHE = False


def get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in captured]


def lists_titles_from(table, queries):
    """Whether a query read post titles through `table` (the list itself)."""
    return any(f'FROM "{table}"' in sql and '"blog_post"."title"' in sql for sql in queries)


@pytest.fixture
def series():
    series = SeriesFactory(slug="s")
    for number in (1, 2, 3):
        SeriesPart.objects.create(series=series, post=PostFactory(title=f"Chapter {number}"))
    return series


def test_a_series_contents_are_read_from_the_cache_until_a_part_changes(client, series):
    cold, cold_queries = get(client, "/series/s/")
    warm, warm_queries = get(client, "/series/s/")
    assert warm == cold and "Chapter 3" in warm
    assert lists_titles_from("series_seriespart", cold_queries)
    assert not lists_titles_from("series_seriespart", warm_queries)
    post = series.parts.get(number=2).post
    post.title = "Chapter 2, revised"
    post.save()
    changed, _ = get(client, "/series/s/")
    assert "Chapter 2, revised" in changed


def test_a_series_contents_show_a_new_public_comment_count_at_once(client, series):
    post = series.parts.get(number=1).post
    CommentFactory(post=post)
    assert "1&nbsp;comment<" in get(client, "/series/s/")[0]
    held = CommentFactory(post=post, state=State.HELD)
    held.state = State.PUBLIC
    held.save()
    assert "2&nbsp;comments<" in get(client, "/series/s/")[0]


def test_a_guide_volume_is_read_from_the_cache_until_a_posting_changes(client):
    guide = GuideFactory(slug="g")
    guide.add_posts([PostFactory(title=f"Entry {n}") for n in range(3)])
    cold, cold_queries = get(client, "/guides/g/")
    warm, warm_queries = get(client, "/guides/g/")
    assert warm == cold and "Entry 2" in warm
    assert lists_titles_from("series_posting", cold_queries)
    assert not lists_titles_from("series_posting", warm_queries)
    guide.add_posts([PostFactory(title="A new entry")])
    changed, _ = get(client, "/guides/g/")
    assert 'id="posting-4"' in changed and "A new entry" in changed


def test_a_parts_page_reads_its_series_navigation_from_the_cache(client, series):
    url = series.parts.get(number=2).post.get_absolute_url()
    _, cold_queries = get(client, url)
    warm, warm_queries = get(client, url)
    assert "Part 2 of" in warm and "Chapter 3" in warm and 'rel="next"' in warm
    assert lists_titles_from("series_seriespart", cold_queries)
    assert not any("series_seriespart" in sql for sql in warm_queries)
    assert not any("series_posting" in sql for sql in warm_queries)
    post = series.parts.get(number=3).post
    post.title = "Chapter 3, revised"
    post.save()
    assert "Part 3 · Chapter 3, revised" in get(client, url)[0]
