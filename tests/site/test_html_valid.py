"""Every reader page validates with the Nu HTML checker (vnu.jar on the machine's
Java; `make test` installs it from the npm registry)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache

from series.models import GuideVolume, SeriesPart
from tests.comment_helpers import POST_URL, comment_data
from tests.factories import (
    AuthorProfileFactory,
    CategoryFactory,
    CommentFactory,
    GuideFactory,
    PageFactory,
    PostFactory,
    SeriesFactory,
    TagFactory,
    bulk_posts,
)
from tests.html_checker import assert_valid_html

pytestmark = pytest.mark.django_db


def test_pages_are_valid_html(client, tmp_path, settings):
    settings.COMMENTS_PER_PAGE = 1  # the post's comments in pages, with their navigation
    category, tag = CategoryFactory(slug="c"), TagFactory(slug="t")
    series, guide = SeriesFactory(slug="s"), GuideFactory(slug="g", introduction="<p>Intro</p>")
    posts = bulk_posts(3, prefix="Part")
    for number, post in enumerate(posts, 1):
        SeriesPart.objects.create(series=series, post=post, number=number)
    GuideVolume.objects.create(guide=guide, number=1, first_number=1)
    GuideVolume.objects.create(guide=guide, number=2, first_number=3)
    guide.add_posts(posts)
    body = "<h2>Head</h2><p>Text <a href='/x/'>link</a></p><ul><li>a</li></ul>"
    post = PostFactory(slug="discussed", categories=[category], tags=[tag], body=body)
    top = CommentFactory(post=post, user_url="https://ada.example", comment="Hi\n\nthere")
    CommentFactory(post=post, parent=top)
    CommentFactory(post=post)  # a second thread: a second page
    about = PageFactory(slug="about")
    on_page = {"content_type": ContentType.objects.get_for_model(about), "object_pk": about.pk}
    CommentFactory(parent=CommentFactory(**on_page), **on_page)  # a thread on a page
    AuthorProfileFactory(user=post.author, bio="One.\n\nTwo.", website="https://a.example/")
    error_page = client.post(POST_URL, comment_data(post, email="not-an-email"))
    assert error_page.status_code == 400
    pages = {"comment-error": error_page.content}
    for name, url in {
        "home": "/", "post": post.get_absolute_url(),
        "reply": f"{post.get_absolute_url()}?replytocom={top.pk}",
        "comment-page": f"{post.get_absolute_url()}comment-page-1/",
        "series": "/series/s/", "series-list": "/series/", "guide": "/guides/g/",
        "guide-2": "/guides/g/volume/2/", "guides": "/guides/", "search": "/search/?q=part",
        "empty-search": "/search/?q=", "category": "/category/c/", "tag": "/tag/t/",
        "archive": f"/{post.published_at:%Y}/", "page": "/about/", "not-found": "/nothing/",
        "month": f"/{post.published_at:%Y/%m}/", "day": f"/{post.published_at:%Y/%m/%d}/",
        "no-results": "/search/?q=zebra", "past-results": "/search/?q=part&page=9",
        "part": posts[1].get_absolute_url(),
        "author": f"/author/{post.author.username}/",
    }.items():  # fmt: skip
        cache.clear()
        response = client.get(url)
        assert response.status_code in (200, 404), url
        pages[name] = response.content
    assert_valid_html(pages, tmp_path)
