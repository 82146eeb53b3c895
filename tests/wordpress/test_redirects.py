"""WordPress's query links on the home page (`/?p=…`, `/?page_id=…`, `/?feed=…`),
answered by the wordpress app's middleware before the home view and its page cache
could answer them with the home page."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from blog.models import Status
from tests.factories import ImportedItemFactory, PageFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_old_query_links_redirect_permanently_on_get_and_head(client):
    post = PostFactory()
    ImportedItemFactory(target=post, wp_id="123")
    for response in (client.get("/?p=123"), client.head("/?p=123")):
        assert response.status_code == 301
        assert response["Location"] == post.get_absolute_url()


def test_each_query_name_looks_for_its_own_wordpress_types(client):
    page = PageFactory(slug="about")
    ImportedItemFactory(target=page, wp_type="page", wp_id="7")
    assert client.get("/?page_id=7")["Location"] == "/about/"
    assert client.get("/?p=7")["Location"] == "/about/"
    assert client.get("/?attachment_id=7").status_code == 200  # no such attachment: home


def test_old_feed_links_need_no_import(client):
    assert client.get("/?feed=rss2")["Location"] == "/feed/"
    assert client.get("/?feed=atom")["Location"] == "/feed/atom/"


def test_a_cached_home_page_does_not_swallow_old_links():
    post = PostFactory()
    ImportedItemFactory(target=post, wp_id="123")
    Client().get("/")
    assert Client().get("/")["X-Page-Cache"] == "hit"
    for _ in range(2):  # the redirect itself is never cached as a page
        response = Client().get("/?p=123")
        assert response.status_code == 301
        assert response["Location"] == post.get_absolute_url()
        assert response["X-Page-Cache"] == "miss"


def test_an_unpublished_target_stays_hidden_until_it_is_published():
    post = PostFactory(draft=True)
    ImportedItemFactory(target=post, wp_id="5")
    hidden = Client().get("/?p=5")
    assert hidden.status_code == 200  # the home page, which does not list the draft
    assert post.get_absolute_url() not in hidden.content.decode()
    assert Client().get("/?p=5")["X-Page-Cache"] == "hit"
    post.status, post.published_at = Status.PUBLISHED, timezone.now() - timedelta(minutes=1)
    post.save()  # a change readers notice: the cached home page for /?p=5 is stale
    response = Client().get("/?p=5")
    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url()


def test_wordpress_search_wins_over_other_query_links(client):
    ImportedItemFactory(target=PostFactory(), wp_id="123")
    response = client.get("/?s=hello&p=123")
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=hello"


def test_query_links_are_only_read_on_the_home_page(client):
    ImportedItemFactory(target=PostFactory(title="Found"), wp_id="123")
    assert client.get("/search/?q=found&p=123").status_code == 200
    assert client.post("/?p=123").status_code == 405  # as the home view answers a POST
