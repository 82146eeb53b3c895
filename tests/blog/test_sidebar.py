"""Every sidebar widget, the search box among them, opens with the same heading."""

import re

import pytest

from tests.factories import CategoryFactory, CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_every_widget_has_the_same_heading_markup(client):
    post = PostFactory(categories=[CategoryFactory()])
    CommentFactory(post=post)  # for the recent comments widget
    html = client.get("/").content.decode()
    sidebar = html.split('<aside class="sidebar"')[1].split("</aside>")[0]
    widgets = re.findall(r"<section[^>]*>\s*(<[^>]+>)([^<]*)", sidebar)
    titles = [title for _, title in widgets]
    assert titles == ["Search", "Recent posts", "Recent comments", "Categories", "Archives"]
    assert {opening for opening, _ in widgets} == {'<h2 class="widget-title">'}
    assert sidebar.count('<section class="widget">') == len(widgets)
    # The search field keeps its own, longer name for screen readers.
    assert '<label for="search-sidebar" class="visually-hidden">Search the blog</label>' in sidebar


def test_the_search_page_has_one_search_box(client):
    html = client.get("/search/", {"q": "anything"}).content.decode()
    assert html.count('role="search"') == 1 and 'id="search-main"' in html
