"""What the writer of a comment judged spam sees: the wording a held comment gets,
their text back in the form once, and nothing for anyone else (nor the public)."""

import re

import pytest
from django.test import Client

from comments.models import BlogComment, State
from tests.comment_helpers import POST_URL, comment_data
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db

AWAITING = "Your comment is awaiting moderation."
SPAMMER = "akismet-guaranteed-spam"  # the offline checker's documented spam author


@pytest.fixture
def post():
    return PostFactory(title="A post spammers like", slug="liked")


def respond_section(html):
    return html.split('id="respond"')[1].split("</form>")[0]


def field_value(html, name):
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    value = re.search(r'value="([^"]*)"', match.group(0)) if match else None
    return value.group(1) if value else ""


def textarea(html):
    return re.search(r'<textarea[^>]*name="comment"[^>]*>(.*?)</textarea>', html, re.S).group(1)


def test_spam_judged_writer_is_told_it_awaits_moderation_and_keeps_their_text(client, post):
    data = comment_data(
        post, name=SPAMMER, email="eve@example.com", url="https://eve.example", followup="on",
        comment="Cheap & <good> watches, see my site.",
    )  # fmt: skip
    response = client.post(POST_URL, data)
    comment = BlogComment.objects.get()
    assert comment.state == State.SPAM
    # No dead anchor: the comment will never be on the page.
    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}#respond"

    page = client.get(post.get_absolute_url())
    html = page.content.decode()
    assert "private" in page["Cache-Control"]
    section = respond_section(html)
    assert AWAITING in section
    assert textarea(section).strip() == "Cheap &amp; &lt;good&gt; watches, see my site."
    assert field_value(section, "name") == SPAMMER
    assert field_value(section, "email") == "eve@example.com"
    assert field_value(section, "url") == "https://eve.example"
    assert re.search(r'<input[^>]*name="followup"[^>]*checked', section)
    # Shown as held comments are, nothing more: no verdict, no checker, no anchor.
    assert f'id="comment-{comment.pk}"' not in html
    assert "Offline checker" not in html and "judged" not in html.lower()
    assert html.count(AWAITING) == 1

    # Once: a reload shows the empty form again.
    again = client.get(post.get_absolute_url()).content.decode()
    assert AWAITING not in again and "see my site" not in again


def test_nobody_else_sees_the_spam_comment_or_the_message(client, post):
    client.post(POST_URL, comment_data(post, name=SPAMMER, comment="Buy followers now"))
    anonymous, other_reader = Client(), Client()
    other_reader.force_login(UserFactory())
    for reader in (anonymous, other_reader):
        html = reader.get(post.get_absolute_url()).content.decode()
        assert "Buy followers now" not in html and AWAITING not in html
        assert field_value(respond_section(html), "name") == ""
    # Nor on another post's page for the writer themselves.
    other_post = PostFactory()
    assert "Buy followers now" not in client.get(other_post.get_absolute_url()).content.decode()
    assert AWAITING in client.get(post.get_absolute_url()).content.decode()


def test_sending_the_same_text_again_answers_the_same_and_saves_nothing_new(client, post):
    data = comment_data(post, name=SPAMMER, comment="Same words twice")
    client.post(POST_URL, data)
    client.get(post.get_absolute_url())  # the message was shown once
    response = client.post(POST_URL, comment_data(post, name=SPAMMER, comment="Same words twice"))
    assert response["Location"] == f"{post.get_absolute_url()}#respond"
    assert BlogComment.objects.count() == 1
    html = client.get(post.get_absolute_url()).content.decode()
    assert AWAITING in html and "Same words twice" in textarea(html)


def test_an_edited_comment_can_be_sent_again(client, post):
    client.post(POST_URL, comment_data(post, name=SPAMMER, comment="First try"))
    client.get(post.get_absolute_url())
    response = client.post(POST_URL, comment_data(post, name="Eve", comment="Second try"))
    resent = BlogComment.objects.get(comment="Second try")
    assert resent.state == State.HELD
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{resent.pk}"


def test_a_honeypot_catch_is_answered_the_same_way(client, post):
    response = client.post(POST_URL, comment_data(post, honeypot="filled", comment="Bot text"))
    assert BlogComment.objects.get().blatant
    assert response["Location"] == f"{post.get_absolute_url()}#respond"
    html = client.get(post.get_absolute_url()).content.decode()
    assert AWAITING in html and "Bot text" in textarea(html)


def test_a_spam_judged_reply_comes_back_as_a_reply(client, post):
    parent = CommentFactory(post=post, user_name="Grace")
    data = comment_data(post, name=SPAMMER, comment="Reply with a link", reply_to=parent.pk)
    response = client.post(POST_URL, data)
    assert response["Location"] == f"{post.get_absolute_url()}?replytocom={parent.pk}#respond"
    html = client.get(response["Location"]).content.decode()
    section = respond_section(html)
    assert "Reply to <bdi>Grace</bdi>" in section and AWAITING in section
    assert field_value(section, "reply_to") == str(parent.pk)
    assert "Reply with a link" in textarea(section)


def test_a_logged_in_writer_gets_their_text_back_too(client, post):
    client.force_login(UserFactory(username=SPAMMER, first_name="", last_name=""))
    page = client.get(post.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = comment_data(post, comment="Logged in, still spam", csrfmiddlewaretoken=token)
    del data["name"], data["email"]
    client.post(POST_URL, data)
    assert BlogComment.objects.get().state == State.SPAM  # judged by the display name
    html = client.get(post.get_absolute_url()).content.decode()
    assert AWAITING in html and "Logged in, still spam" in textarea(html)
