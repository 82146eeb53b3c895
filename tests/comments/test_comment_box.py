"""The comment box readers know: "Save my name…" and the length limit, over HTTP."""

import json
from urllib.parse import unquote

import pytest
from django.core.cache import cache

from comments.models import BlogComment
from comments.remember import COOKIE_NAME
from core.page_cache import PERSONAL_COOKIES
from tests.comment_helpers import POST_URL, comment_data
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def test_ticked_the_answer_keeps_name_email_and_website_for_a_year(client):
    post = PostFactory()
    data = comment_data(post, name="Rosa Reader", url="https://rosa.example", remember="on")
    response = client.post(POST_URL, data)
    assert response.status_code == 302
    cookie = response.cookies[COOKIE_NAME]
    assert json.loads(unquote(cookie.value)) == {
        "name": "Rosa Reader",
        "email": "ada@example.com",
        "url": "https://rosa.example",
    }
    assert cookie["max-age"] == 365 * 24 * 3600
    assert cookie["samesite"] == "Lax"
    assert not cookie["httponly"]  # the form's script reads it
    assert not cookie["secure"]  # plain HTTP here; Secure over HTTPS (next test)


def test_over_https_the_cookie_is_secure(client):
    post = PostFactory()
    response = client.post(POST_URL, comment_data(post, remember="on"), secure=True)
    assert response.cookies[COOKIE_NAME]["secure"]


def test_unticked_sets_no_cookie_and_clears_an_old_one(client):
    post = PostFactory()
    response = client.post(POST_URL, comment_data(post))
    assert response.status_code == 302
    assert COOKIE_NAME not in response.cookies

    client.cookies[COOKIE_NAME] = "%7B%22name%22%3A%22Old%22%7D"
    response = client.post(POST_URL, comment_data(post, comment="Another thought."))
    assert response.status_code == 302
    assert response.cookies[COOKIE_NAME].value == ""
    assert response.cookies[COOKIE_NAME]["max-age"] == 0


def test_a_refused_comment_leaves_the_cookie_alone(client):
    post = PostFactory()
    response = client.post(POST_URL, comment_data(post, email="not an address", remember="on"))
    assert response.status_code == 400
    assert COOKIE_NAME not in response.cookies


def test_the_cookie_never_makes_a_page_personal(client, settings):
    """Pages are rendered without it: a reader carrying it gets the shared page."""
    settings.PAGE_CACHE = True
    assert COOKIE_NAME not in PERSONAL_COOKIES
    cache.clear()
    post = PostFactory()
    first = client.get(post.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    client.cookies[COOKIE_NAME] = "%7B%22name%22%3A%22Rosa%22%7D"
    again = client.get(post.get_absolute_url())
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert "Rosa" not in again.content.decode()


def test_nginx_front_cache_does_not_bypass_on_it():
    from pathlib import Path

    conf = (Path(__file__).parents[2] / "config/nginx-front-cache.conf").read_text()
    assert "$cookie_own_comments" in conf
    assert f"$cookie_{COOKIE_NAME}" not in conf


def test_the_form_offers_the_box_unticked(client):
    post = PostFactory()
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Save my name, email, and website in this browser for the next time I comment." in page
    assert 'name="remember"' in page
    assert 'name="remember" checked' not in page
    assert "comments/comment-box." in page


# The length limit: a counter in the browser, a clear error on the server.


def test_the_textarea_has_no_silent_cut_but_tells_the_script_its_limit(client, settings):
    post = PostFactory()
    page = client.get(post.get_absolute_url()).content.decode()
    assert f'data-max-length="{settings.COMMENTS_MAX_LENGTH}"' in page
    assert 'maxlength="5000"' not in page


def test_an_over_long_comment_is_refused_with_its_text_kept(client, settings):
    settings.COMMENTS_MAX_LENGTH = 5000
    post = PostFactory()
    text = "word " * 2000  # 10,000 characters, as a long paste
    response = client.post(POST_URL, comment_data(post, comment=text))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Comments are limited to 5,000 characters (yours has 9999)" in page
    assert text.strip() in page  # nothing lost
    assert not BlogComment.objects.exists()


def test_a_line_break_counts_as_one_character_as_the_counter_counts_it(client, settings):
    settings.COMMENTS_MAX_LENGTH = 20
    post = PostFactory()
    text = "line\r\n" * 3 + "end"  # 5 * 3 + 3 = 18 characters; 21 counted as CR LF
    response = client.post(POST_URL, comment_data(post, comment=text))
    assert response.status_code == 302
    assert BlogComment.objects.get().comment == "line\n" * 3 + "end"
