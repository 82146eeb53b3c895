"""The like box in each of its states, and every page a like can answer with,
validate with the Nu HTML checker."""

import pytest
from django.test import Client

from likes.models import Like
from tests.factories import PostFactory, UserFactory
from tests.html_checker import assert_valid_html

pytestmark = pytest.mark.django_db


def test_like_pages_are_valid_html(client, tmp_path, settings):
    post = PostFactory(slug="liked")
    Like.objects.create(post=post, browser_hash="f" * 64)
    url, path = f"/likes/{post.pk}/", post.get_absolute_url()
    pages = {"shared": client.get(path).content}
    pages["liked-no-js"] = client.post(url, {"action": "like"}, follow=True).content
    pages["bad-action"] = client.post(url, {"action": "love"}).content
    pages["other-site"] = client.post(
        url, {"action": "like"}, HTTP_ORIGIN="https://evil.example"
    ).content
    settings.LIKES_RATE_LIMIT = 1
    pages["limited"] = Client().post(url, {"action": "like"}).content
    reader = Client()
    reader.force_login(UserFactory())
    reader.post(url, {"action": "like"})
    pages["signed-in"] = reader.get(path).content
    settings.LIKES_ANONYMOUS = False
    pages["sign-in-link"] = Client().get(path).content
    pages["sign-in-page"] = Client().post(url, {"action": "like"}).content
    assert_valid_html(pages, tmp_path)
