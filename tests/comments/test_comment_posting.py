"""A reader's comment, posted over HTTP: what they see, and every bad input."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from comments.models import BlogComment, State
from tests.comment_helpers import POST_URL, comment_data, give_own_comments
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    return PostFactory(title="A post worth discussing", slug="discuss")


def test_a_new_commenter_is_held_and_sees_their_own_comment(client, post):
    response = client.post(POST_URL, comment_data(post, comment="My first words here."))
    comment = BlogComment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"
    assert comment.state == State.HELD
    assert comment.reason == "policy: first comment from this commenter"
    assert [s["step"] for s in comment.screening] == [
        "honeypot", "rate limit", "blocklist", "spam checker", "policy",
    ]  # fmt: skip
    mine = client.get(post.get_absolute_url()).content.decode()
    assert "My first words here." in mine
    assert "Your comment is awaiting moderation." in mine
    anonymous, other_reader = Client(), Client()
    other_reader.force_login(UserFactory())
    for reader in (anonymous, other_reader):
        page = reader.get(post.get_absolute_url()).content.decode()
        assert "My first words here." not in page


def test_a_commenter_with_an_approved_comment_is_published_at_once(client, post):
    CommentFactory(post=post, user_name="Ada Reader", user_email="ADA@example.com")
    client.post(POST_URL, comment_data(post, comment="Back again."))
    comment = BlogComment.objects.latest("pk")
    assert comment.state == State.PUBLIC
    assert comment.reason == "passed screening"
    assert "Back again." in Client().get(post.get_absolute_url()).content.decode()


def test_offline_checker_sends_guaranteed_spam_to_the_spam_queue(client, post):
    data = comment_data(post, name="akismet-guaranteed-spam", comment="Buy now")
    response = client.post(POST_URL, data)
    comment = BlogComment.objects.get()
    assert response.status_code == 302
    assert comment.state == State.SPAM and not comment.is_public
    assert comment.reason == "Offline checker: spam"
    # Never in the thread; its writer gets it back in the form (tests/comments/test_spam_reader.py).
    assert f'id="comment-{comment.pk}"' not in client.get(post.get_absolute_url()).content.decode()
    assert "Buy now" not in Client().get(post.get_absolute_url()).content.decode()


def test_honeypot_makes_blatant_spam_without_asking_the_checker(client, post, akismet):
    client.post(POST_URL, comment_data(post, honeypot="gotcha"))
    comment = BlogComment.objects.get()
    assert comment.state == State.SPAM and comment.blatant
    assert comment.reason == "hidden field filled in"
    assert akismet.requests == []


def test_logged_in_reader_comments_under_their_account(client, post):
    user = UserFactory(first_name="Grace", last_name="Hopper", email="grace@example.com")
    client.force_login(user)
    data = comment_data(post, comment="Signed in.")
    del data["name"], data["email"]
    response = client.post(POST_URL, data)
    assert response.status_code == 302
    comment = BlogComment.objects.get()
    assert (comment.user_id, comment.user_name, comment.user_email) == (
        user.pk, "Grace Hopper", "grace@example.com",
    )  # fmt: skip
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Logged in as Grace Hopper." in page


def test_reply_is_threaded_under_its_parent(client, post):
    parent = CommentFactory(post=post, user_name="Ada Reader", user_email="ada@example.com")
    client.post(POST_URL, comment_data(post, reply_to=parent.pk, comment="A reply."))
    reply = BlogComment.objects.latest("pk")
    assert reply.state == State.PUBLIC
    assert (reply.parent_id, reply.thread_id, reply.level) == (parent.pk, parent.thread_id, 1)
    html = client.get(post.get_absolute_url()).content.decode()
    parent_at = html.index(f'id="comment-{parent.pk}"')
    assert html.index(f'id="comment-{reply.pk}"') > parent_at
    assert html.count('<ol class="comment-list">') == 2


def test_reply_page_works_without_javascript(client, post):
    parent = CommentFactory(post=post, user_name="Ben")
    html = client.get(post.get_absolute_url()).content.decode()
    assert f'href="?replytocom={parent.pk}#respond"' in html
    reply_page = client.get(post.get_absolute_url(), {"replytocom": parent.pk}).content.decode()
    assert "Reply to <bdi>Ben</bdi>" in reply_page
    assert f'name="reply_to" value="{parent.pk}"' in reply_page


def test_comment_text_is_plain_text_escaped_with_links_and_paragraphs(client, post):
    CommentFactory(
        post=post,
        user_url="https://ada.example",
        comment="<script>alert(1)</script>\n\nSee https://example.com/x\nnext line",
    )
    html = client.get(post.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</p>" in html
    assert (
        '<a href="https://example.com/x" rel="nofollow ugc">https://example.com/x</a><br>next line'
        in html
    )
    assert 'href="https://ada.example" rel="external nofollow ugc"' in html


def test_form_shows_the_akismet_notice_and_privacy_link(client, post):
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Leave a Reply" in html
    assert (
        'This site uses Akismet to reduce spam. <a href="/privacy/">'
        "Learn how your comment data is processed.</a>"
    ) in html
    assert "Notify me of follow-up comments by email" in html


def test_double_submit_does_not_duplicate(client, post):
    data = comment_data(post)
    first = client.post(POST_URL, data)
    second = client.post(POST_URL, data)
    assert BlogComment.objects.count() == 1
    assert first["Location"] == second["Location"]


# Bad input: a clear answer, nothing stored, never a 500.

BAD_INPUTS = [
    ({"name": ""}, "Please give your name."),
    ({"email": ""}, "Please give your email address"),
    ({"email": "not-an-email"}, "Please give a valid email address"),
    ({"url": "javascript:alert(1)"}, "Please give a full web address"),
    ({"comment": ""}, "Please write a comment."),
    ({"comment": "x" * 5001}, "Comments are limited to 5,000 characters (yours has 5001)"),
    ({"name": "n" * 51}, "Please shorten your name to 50 characters (it has 51)"),
    ({"url": "https://example.com/" + "a" * 181}, "web address of at most 200 characters"),
    ({"email": "a" * 243 + "@example.com"}, "at most 254 characters (this one has 255)"),
    ({"security_hash": "0" * 40}, "This comment form has expired or was changed"),
    ({"timestamp": str(int(time.time()) - 3 * 3600)}, "This comment form has expired"),
    ({"timestamp": "yesterday"}, "This comment form has expired"),
    ({"reply_to": "abc"}, "That reply link is broken."),
    ({"reply_to": "999999"}, "not on this post or has been removed"),
]


@pytest.mark.parametrize(("fields", "message"), BAD_INPUTS)
def test_bad_input_gets_a_clear_error_and_keeps_the_text(client, post, fields, message):
    data = comment_data(post, **{"comment": "Words I do not want to lose.", **fields})
    response = client.post(POST_URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Your comment could not be posted" in html
    if "comment" not in fields:
        assert "Words I do not want to lose." in html
    assert not BlogComment.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"object_pk": "999999"},
        {"object_pk": "abc"},
        {"content_type": "auth.user"},
        {"object_pk": ""},
    ],
)
def test_tampered_target_is_refused_clearly(client, post, fields):
    response = client.post(POST_URL, comment_data(post, **fields))
    assert response.status_code == 400
    assert "We could not tell which post this comment is for." in response.content.decode()
    assert not BlogComment.objects.exists()


def test_cannot_comment_on_a_draft(client):
    draft = PostFactory(draft=True)
    response = client.post(POST_URL, comment_data(draft))
    assert response.status_code == 400
    assert not BlogComment.objects.exists()


def test_reply_to_a_comment_of_another_post_is_refused(client, post):
    elsewhere = CommentFactory(post=PostFactory())
    response = client.post(POST_URL, comment_data(post, reply_to=elsewhere.pk))
    assert response.status_code == 400
    assert "not on this post or has been removed" in response.content.decode()


@pytest.mark.parametrize(
    "gone", [{"is_removed": True}, {"state": State.SPAM}, {"state": State.HELD}]
)
def test_reply_to_a_removed_or_hidden_comment_is_refused(client, post, gone):
    parent = CommentFactory(post=post, **gone)
    response = client.post(POST_URL, comment_data(post, reply_to=parent.pk))
    assert response.status_code == 400
    assert BlogComment.objects.count() == 1


def test_reply_beyond_the_maximum_depth_is_refused(client, post, settings):
    parent = None
    for _ in range(settings.COMMENTS_MAX_DEPTH):
        parent = CommentFactory(post=post, parent=parent)
    assert parent.level == settings.COMMENTS_MAX_DEPTH - 1
    response = client.post(POST_URL, comment_data(post, reply_to=parent.pk))
    assert response.status_code == 400
    assert "nested as deep as it goes" in response.content.decode()
    html = client.get(post.get_absolute_url()).content.decode()
    assert f"replytocom={parent.pk}" not in html


def test_closed_post_refuses_comments_and_says_so(client, post):
    post.comments_open = False
    post.save()
    assert "Comments are closed." in client.get(post.get_absolute_url()).content.decode()
    response = client.post(POST_URL, comment_data(post, comment="Still here?"))
    assert response.status_code == 400
    assert "Comments are closed on this post." in response.content.decode()
    assert not BlogComment.objects.exists()


def test_comments_close_automatically_after_n_days(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    old = PostFactory(published_at=timezone.now() - timedelta(days=31))
    recent = PostFactory(published_at=timezone.now() - timedelta(days=29))
    assert client.post(POST_URL, comment_data(old)).status_code == 400
    assert client.post(POST_URL, comment_data(recent)).status_code == 302
    settings.COMMENTS_CLOSE_AFTER_DAYS = 0
    assert client.post(POST_URL, comment_data(old, comment="never closes")).status_code == 302


def test_the_length_limit_is_a_setting(client, post, settings):
    settings.COMMENTS_MAX_LENGTH = 20
    response = client.post(POST_URL, comment_data(post, comment="x" * 21))
    assert "Comments are limited to 20 characters" in response.content.decode()
    assert client.post(POST_URL, comment_data(post, comment="x" * 20)).status_code == 302


def test_get_on_the_post_url_is_not_allowed(client):
    assert client.get(POST_URL).status_code == 405


def test_logged_in_comment_needs_the_csrf_token(post):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    response = browser.post(POST_URL, comment_data(post))
    assert response.status_code == 403
    assert not BlogComment.objects.exists()
    browser.get(post.get_absolute_url())  # the page sets the cookie and embeds the token
    token = browser.cookies["csrftoken"].value
    assert browser.post(POST_URL, comment_data(post, csrfmiddlewaretoken=token)).status_code == 302


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_REFERER": "https://evil.example/page"},
    ],
)
def test_anonymous_comment_from_another_site_is_refused(post, headers):
    response = Client(enforce_csrf_checks=True).post(POST_URL, comment_data(post), **headers)
    assert response.status_code == 403
    assert "did not come from this site" in response.content.decode()
    assert not BlogComment.objects.exists()


def test_anonymous_comment_from_this_site_needs_no_token(post):
    # Anonymous pages carry no token, so they can be cached and shared.
    html = Client().get(post.get_absolute_url()).content.decode()
    assert "csrfmiddlewaretoken" not in html
    response = Client(enforce_csrf_checks=True).post(
        POST_URL, comment_data(post), HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 302


@pytest.mark.parametrize("field", ["reply_to", "object_pk"])
def test_ids_too_large_for_the_database_are_refused_clearly(client, post, field):
    response = client.post(POST_URL, comment_data(post, **{field: "9223372036854775808"}))
    assert response.status_code == 400
    assert not BlogComment.objects.exists()


def test_numbers_too_large_for_the_database_in_urls_are_404(client, moderator):
    assert client.get("/guides/g/posting/9223372036854775808/").status_code == 404
    client.force_login(moderator)
    response = client.post(
        "/admin/comments/blogcomment/9223372036854775808/moderate/approve/", follow=True
    )
    assert response.status_code == 200  # the admin's "no such comment" message, no error


def test_a_forged_own_comments_cookie_reveals_no_held_comment(client, post, settings):
    held = CommentFactory(post=post, state=State.HELD, comment="Held words of another reader.")
    client.cookies[settings.OWN_COMMENTS_COOKIE_NAME] = str(held.pk)  # unsigned
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Held words of another reader." not in page
    give_own_comments(client, [held.pk])  # as this site signs it: the writer's browser
    assert "Held words of another reader." in client.get(post.get_absolute_url()).content.decode()
