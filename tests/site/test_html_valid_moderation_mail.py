"""The pages behind the moderation mail's links, and a post page showing a spam-judged
comment's writer their text back, validate with the Nu HTML checker."""

import pytest
from django.test import Client

from comments.models import State
from comments.notifications import ModerationLink
from tests.comment_helpers import POST_URL, comment_data
from tests.factories import CommentFactory, PostFactory, UserFactory
from tests.html_checker import assert_valid_html

pytestmark = pytest.mark.django_db


def test_moderation_link_pages_are_valid_html(client, moderator, tmp_path):
    post = PostFactory()
    comment = CommentFactory(post=post, state=State.HELD, reason="policy: first comment")
    url = f"/comments/moderate/{ModerationLink(comment.pk, 'approve', moderator.pk, 'held').token}/"
    client.force_login(moderator)
    pages = {"confirm": client.get(url).content}
    client.post(url)
    pages["decided"] = client.get(url).content
    pages["tampered"] = client.get("/comments/moderate/nonsense/").content
    reader = Client()
    reader.force_login(UserFactory())
    pages["forbidden"] = reader.get(url).content
    writer = Client()
    writer.post(POST_URL, comment_data(post, name="akismet-guaranteed-spam", comment="Spam"))
    pages["returned"] = writer.get(post.get_absolute_url()).content
    assert b"Your comment is awaiting moderation." in pages["returned"]
    assert_valid_html(pages, tmp_path)
