"""Search: full text on Postgres, a simple fallback on SQLite, never an error."""

import pytest
from django.conf import settings

from blog.models import Post
from tests.factories import PostFactory, bulk_posts

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="Postgres full-text search"
)


@pytest.fixture
def posts():
    return {
        "title": PostFactory(title="Negotiation tactics", body="<p>How to ask for more.</p>"),
        "body": PostFactory(
            title="A long week",
            body="<p>We talked about salary negotiation at length, with the team lead.</p>",
        ),
        "other": PostFactory(title="Gardening", body="<p>Tomatoes and negotiation-free zones.</p>"),
        "draft": PostFactory(title="Negotiation draft", draft=True),
    }


def results(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return response, [p.title for p in response.context["posts"]]


def test_search_finds_published_posts_only(client, posts):
    _, titles = results(client, "negotiation")
    assert "Negotiation tactics" in titles and "A long week" in titles
    assert "Negotiation draft" not in titles


@on_postgres
def test_title_matches_rank_above_body_matches_and_words_are_highlighted(client, posts):
    response, titles = results(client, "negotiation")
    assert titles[0] == "Negotiation tactics"
    html = response.content.decode()
    assert "salary <mark>negotiation</mark> at length" in html


@on_postgres
def test_websearch_phrases_and_negation(client, posts):
    assert results(client, '"salary negotiation"')[1] == ["A long week"]
    assert "Gardening" not in results(client, "negotiation -tomatoes")[1]
    assert set(results(client, "tomatoes or salary")[1]) == {"A long week", "Gardening"}


@on_postgres
def test_the_search_vector_follows_edits(client, posts):
    post = posts["other"]
    post.body = "<p>Now about beekeeping.</p>"
    post.save()
    assert results(client, "beekeeping")[1] == ["Gardening"]
    assert "Gardening" not in results(client, "tomatoes")[1]


def test_snippets_are_escaped(client):
    PostFactory(
        title="Markup", body="<p>Use &lt;script&gt; tags wisely, says the markup guide.</p>"
    )
    response, titles = results(client, "markup")
    html = response.content.decode()
    assert titles == ["Markup"]
    main = html.split("<main")[1].split("</main>")[0]
    assert "<script>" not in main and "tags wisely" in main


HOSTILE = [
    "", "   ", "!!!", "'; DROP TABLE blog_post; --", "<script>alert(1)</script>", "<script>",
    "x" * 10_000, '"unclosed', "a & | ! ( ) : *", "\x00null\x00", "-", "or", "🙂", "%_%", "%%%",
]  # fmt: skip


@pytest.mark.parametrize("query", HOSTILE)
def test_any_query_answers_a_page(client, posts, query):
    response = client.get("/search/", {"q": query})
    if "\x00" in query:  # refused before any query: no text column holds a NUL
        assert response.status_code == 400
        return
    assert response.status_code == 200
    main = response.content.decode().split("</header>")[1].split("<aside")[0]
    assert "<script" not in main


def test_results_are_paginated_and_keep_the_query(client, settings):
    for post in bulk_posts(12, prefix="Paged result"):
        post.save()  # fills the text and the search vector
    first = client.get("/search/", {"q": "paged"})
    assert len(first.context["posts"]) == settings.POSTS_PER_PAGE
    assert 'href="?q=paged&amp;page=2"' in first.content.decode()
    assert len(client.get("/search/", {"q": "paged", "page": 2}).context["posts"]) == 2


def test_update_search_index_command(posts):
    from django.core.management import call_command

    Post.objects.update(body_text="", word_count=0)
    call_command("update_search_index")
    refreshed = Post.objects.get(pk=posts["body"].pk)
    assert "salary negotiation" in refreshed.body_text and refreshed.word_count == 11


def heading(response):
    return response.content.decode().split('<h1 class="page-heading">')[1].split("</h1>")[0]


def test_the_page_says_how_many_posts_matched_from_the_query_it_already_runs(
    client, django_assert_max_num_queries
):
    for post in bulk_posts(12, prefix="Counted result"):
        post.save()  # fills the text and the search vector
    with django_assert_max_num_queries(12) as queries:
        first = client.get("/search/", {"q": "counted"})
    sqls = [q["sql"] for q in queries.captured_queries]
    assert not [sql for sql in sqls if '"__count"' in sql]  # no paginator's COUNT(*)
    assert len([sql for sql in sqls if "OVER ()" in sql]) == 1  # the page's rows carry it
    assert heading(first) == "12 results for “counted”"
    second = client.get("/search/", {"q": "counted", "page": 2})
    assert heading(second) == "12 results for “counted”"
    assert "<title>12 results for “counted” — " in first.content.decode()


def test_one_result_none_and_past_the_end(client):
    PostFactory(title="Solitary heron")
    assert heading(client.get("/search/", {"q": "heron"})) == "1 result for “heron”"
    none = client.get("/search/", {"q": "heron zebra"})
    assert heading(none) == "No results for “heron zebra”"
    assert "Try fewer or other words" in none.content.decode()
    past = client.get("/search/", {"q": "heron", "page": 5}).content.decode()
    assert "No more results" in past and "Try fewer" not in past
    assert heading(client.get("/search/", {"q": ""})) == "Search"
