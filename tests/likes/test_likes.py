"""Likes: the model's rules, liking and unliking with and without an account, the
limit per client address, and what the post page says."""

import pytest
from django.db import IntegrityError, transaction

from likes.models import Like
from likes.post_likes import likes_text
from likes.readers import COOKIE_NAME
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def url_of(post):
    return f"/likes/{post.pk}/"


def like(client, post, action="like", **extra):
    return client.post(url_of(post), {"action": action}, **extra)


# The model


def test_one_like_per_reader_and_per_browser():
    post, reader = PostFactory(), UserFactory()
    Like.objects.create(post=post, user=reader)
    Like.objects.create(post=post, browser_hash="a" * 64)
    Like.objects.create(post=PostFactory(), user=reader)  # another post: fine
    for twice in ({"user": reader}, {"browser_hash": "a" * 64}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Like.objects.create(post=post, **twice)


@pytest.mark.parametrize("who", [{}, {"user": True, "browser_hash": "b" * 64}])
def test_a_like_is_by_a_reader_or_by_a_browser_never_both_or_neither(who):
    if who.get("user"):
        who["user"] = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Like.objects.create(post=PostFactory(), **who)


def test_the_words_for_the_count():
    assert likes_text(0, False) == ""
    assert likes_text(1, False) == "One reader likes this."
    assert likes_text(1234, False) == "1,234 readers like this."
    assert likes_text(1, True) == "You like this."
    assert likes_text(2, True) == "You and one other reader like this."
    assert likes_text(5, True) == "You and 4 other readers like this."


# Signed-in readers


def test_a_signed_in_reader_likes_and_unlikes_without_javascript(client):
    post, reader = PostFactory(), UserFactory()
    client.force_login(reader)
    page = client.get(post.get_absolute_url()).content.decode()
    assert 'aria-pressed="false"' in page and 'name="csrfmiddlewaretoken"' in page

    response = like(client, post)
    assert response.status_code == 302
    assert response.url == post.get_absolute_url() + "#likes"
    assert Like.objects.get().user == reader
    page = client.get(response.url).content.decode()
    assert "You like this post." in page  # the message
    assert "You like this." in page and 'aria-pressed="true"' in page
    assert 'name="action" value="unlike"' in page

    like(client, post)  # twice: still one
    assert Like.objects.count() == 1
    like(client, post, "unlike")
    assert not Like.objects.exists()
    assert 'aria-pressed="false"' in client.get(post.get_absolute_url()).content.decode()


def test_a_signed_in_reader_needs_the_csrf_token():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    post = PostFactory()
    client.force_login(UserFactory())
    assert like(client, post, **JSON).status_code == 403
    assert not Like.objects.exists()


def test_the_script_gets_json_with_the_count_and_the_readers_state(client):
    post = PostFactory()
    Like.objects.create(post=post, user=UserFactory())
    client.force_login(UserFactory())
    answer = like(client, post, **JSON).json()
    assert answer["liked"] is True and answer["count"] == 2
    assert answer["text"] == "You and one other reader like this."
    assert answer["message"] == "You like this post."
    state = client.get(url_of(post)).json()
    assert state == {
        "count": 2,
        "liked": True,
        "text": "You and one other reader like this.",
        "can_like": True,
        "sign_in": None,
    }


# Anonymous readers


def test_an_anonymous_browser_likes_once_and_can_unlike(client):
    post = PostFactory()
    response = like(client, post)
    assert response.status_code == 302
    token = response.cookies[COOKIE_NAME]
    assert token["httponly"] and token["samesite"] == "Lax"
    stored = Like.objects.get()
    assert stored.user is None and stored.browser_hash != token.value  # only its hash
    assert len(stored.browser_hash) == 64

    assert COOKIE_NAME not in like(client, post).cookies  # the same browser: same token
    assert Like.objects.count() == 1
    assert client.get(url_of(post)).json()["liked"] is True

    other_browser = type(client)()
    like(other_browser, post)
    assert Like.objects.count() == 2
    like(client, post, "unlike")
    assert Like.objects.count() == 1
    assert client.get(url_of(post)).json()["liked"] is False


def test_after_liking_the_no_javascript_reader_sees_the_message_and_their_like(client):
    post = PostFactory()
    response = like(client, post, follow=True)
    page = response.content.decode()
    assert "You like this post." in page and "You like this." in page
    assert 'aria-pressed="true"' in page


def test_anonymous_likes_are_limited_per_client_address(client, settings):
    settings.LIKES_RATE_LIMIT = 3
    posts = [PostFactory() for _ in range(4)]
    for post in posts[:3]:
        assert like(client, post).status_code == 302
    refused = like(client, posts[3])
    assert refused.status_code == 429
    assert "Too many likes from your network" in refused.content.decode()
    assert like(client, posts[3], **JSON).status_code == 429
    assert Like.objects.count() == 3
    # Another address is not affected; a signed-in reader is not limited.
    assert like(client, posts[3], REMOTE_ADDR="198.51.100.7").status_code == 302
    client.force_login(UserFactory())
    assert like(client, posts[3]).status_code == 302
    assert Like.objects.count() == 5


def test_with_anonymous_likes_off_an_anonymous_reader_is_asked_to_sign_in(client, settings):
    settings.LIKES_ANONYMOUS = False
    post = PostFactory()
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Sign in to like this post" in page and 'class="like-form"' not in page
    response = like(client, post)
    assert response.status_code == 200
    assert "Sign in to like posts" in response.content.decode()
    assert f"{settings.LOGIN_URL}?next=" in response.content.decode()
    answer = like(client, post, **JSON)
    assert answer.status_code == 403 and answer.json()["sign_in"].startswith(settings.LOGIN_URL)
    assert client.get(url_of(post)).json()["can_like"] is False
    assert not Like.objects.exists()
    # Signed in, the same reader likes.
    client.force_login(UserFactory())
    assert like(client, post).status_code == 302 and Like.objects.count() == 1


def test_a_form_from_another_site_is_refused(client):
    post = PostFactory()
    response = like(client, post, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert "sent from another site" in response.content.decode()
    assert not Like.objects.exists()


# Bad input


@pytest.mark.parametrize("action", ["", "love", "like\x00"])
def test_a_bad_action_is_a_400_with_a_message(client, action):
    post = PostFactory()
    response = like(client, post, action)
    assert response.status_code == 400
    assert "Choose Like or Unlike" in response.content.decode()
    assert not Like.objects.exists()


@pytest.mark.parametrize("path", ["0", "abc", "99999999999999999999999", "1.5", "-3"])
def test_unknown_ids_are_404(client, path):
    PostFactory()
    assert client.post(f"/likes/{path}/", {"action": "like"}).status_code == 404
    assert client.get(f"/likes/{path}/").status_code == 404


@pytest.mark.parametrize("kind", ["draft", "scheduled"])
def test_only_published_posts_take_likes(client, kind):
    post = PostFactory(**{kind: True})
    assert like(client, post).status_code == 404
    assert client.get(url_of(post)).status_code == 404
    assert not Like.objects.exists()


def test_other_methods_are_refused(client):
    assert client.put(url_of(PostFactory())).status_code == 405


def test_a_forged_cookie_is_a_new_browser(client):
    post = PostFactory()
    client.cookies[COOKIE_NAME] = "not a token"
    response = like(client, post)
    assert response.status_code == 302 and COOKIE_NAME in response.cookies
    assert Like.objects.count() == 1
