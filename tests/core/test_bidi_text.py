"""Bidirectional control characters never reach the page from a name or title
(core/text.py): an override at the end of a name would reverse what follows it."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from comments.models import BlogComment, State
from core.text import BIDI_CONTROLS, strip_bidi
from series.models import Series
from tests.comment_helpers import POST_URL, comment_data
from tests.factories import (
    AuthorProfileFactory,
    CategoryFactory,
    CommentFactory,
    PostFactory,
    TagFactory,
)

RLO = "\u202e"


def test_strip_bidi_removes_every_control_and_keeps_right_to_left_letters():
    assert len(BIDI_CONTROLS) == 12
    assert strip_bidi("".join(sorted(BIDI_CONTROLS))) == ""
    assert strip_bidi(f"Ada{RLO} \u2066x\u2069 \u200fשלום مرحبا\u061c") == "Ada x שלום مرحبا"
    assert strip_bidi(None) is None


@pytest.mark.django_db
def test_a_name_ending_in_an_override_does_not_reverse_the_sidebar(client):
    post = PostFactory(title="A post worth discussing", slug="discuss")
    CommentFactory(post=post, user_name="Ada Reader", user_email="ada@example.com")
    response = client.post(
        POST_URL,
        comment_data(
            post, name=f"Ada Reader{RLO}", email=f"ada@example.com{RLO}", comment="Back again."
        ),
    )
    assert response.status_code == 302
    comment = BlogComment.objects.latest("pk")
    # Stripped, the name still matches her approved comment: published at once.
    assert (comment.user_name, comment.user_email, comment.state) == (
        "Ada Reader",
        "ada@example.com",
        State.PUBLIC,
    )
    page = Client().get(post.get_absolute_url()).content.decode()
    assert RLO not in page
    # Names sit in running text isolated, whatever direction their letters run.
    assert "<li><bdi>Ada Reader</bdi> on <a" in page
    assert f'id="comment-{comment.pk}-author"><bdi>Ada Reader</bdi></cite>' in page


@pytest.mark.django_db
def test_a_name_of_controls_only_is_no_name(client):
    post = PostFactory(slug="discuss")
    response = client.post(POST_URL, comment_data(post, name=RLO * 3))
    assert response.status_code == 400
    assert "Please give your name." in response.content.decode()
    assert not BlogComment.objects.exists()


@pytest.mark.django_db
def test_titles_and_names_lose_their_controls_on_save_and_in_validation():
    post = PostFactory(title=f"Evil{RLO} title")
    category, tag = CategoryFactory(name=f"News{RLO}"), TagFactory(name="\u2067tag")
    series = Series.objects.create(title=f"Parts{RLO}", slug="parts")
    profile = AuthorProfileFactory(display_name=f"Wen{RLO}")
    comment = CommentFactory(
        post=post, user_name=f"Mallory{RLO}", user_url=f"https://x.example/{RLO}"
    )
    for obj, field, expected in [
        (post, "title", "Evil title"),
        (category, "name", "News"),
        (tag, "name", "tag"),
        (series, "title", "Parts"),
        (profile, "display_name", "Wen"),
        (comment, "user_name", "Mallory"),
        (comment, "user_url", "https://x.example/"),
    ]:
        obj.refresh_from_db()
        assert getattr(obj, field) == expected
    # Validation (the admin's forms) sees the stripped value: nothing left is "required".
    post.title = RLO
    with pytest.raises(ValidationError) as error:
        post.full_clean()
    assert "title" in error.value.message_dict
