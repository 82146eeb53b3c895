"""The sign-in pages and the comment box's signed-in variant validate with the Nu HTML
checker."""

import pytest
from django.test import Client

from tests.factories import CommentFactory, PostFactory, StaffFactory
from tests.html_checker import assert_valid_html
from tests.readers.conftest import sign_in, sign_in_link

pytestmark = pytest.mark.django_db


def test_sign_in_pages_are_valid_html(client, oidc, settings, tmp_path):
    post = PostFactory(slug="engines")
    CommentFactory(post=post, avatar_url="https://avatars.example.org/a.png")
    CommentFactory(post=post, user_name="Grace Hopper")
    anonymous = Client()
    pages = {"post-anonymous": anonymous.get(post.get_absolute_url()).content}
    link = sign_in_link(pages["post-anonymous"].decode())
    pages["continue"] = anonymous.get(link).content
    pages["login-closed"] = anonymous.get("/accounts/login/").content
    pages["signup-closed"] = anonymous.get("/accounts/signup/").content
    settings.READER_ACCOUNTS = True
    pages["login-open"] = anonymous.get("/accounts/login/").content
    pages["signup-open"] = anonymous.get("/accounts/signup/").content
    sign_in(client, post, oidc)
    pages["post-signed-in"] = client.get(post.get_absolute_url()).content
    pages["logout"] = client.get("/accounts/logout/").content
    StaffFactory(username="grace", email="grace@example.org")
    oidc.person.update(sub="grace-1906", email="grace@example.org")
    pages["staff-refused"] = sign_in(Client(), post, oidc).content
    oidc.client_secret = "changed"
    pages["failed"] = sign_in(Client(), post, oidc).content
    assert_valid_html(pages, tmp_path)
