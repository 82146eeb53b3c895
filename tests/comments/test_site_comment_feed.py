"""`/comments/feed/`: WordPress's feed of every comment, here the newest public
comments on published posts and pages, in a few queries whatever their number."""

import pytest
from django.test import Client

from comments.models import State
from tests.factories import CommentFactory, PageFactory, PostFactory

pytestmark = pytest.mark.django_db


def feed(url="/comments/feed/"):
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_public_comments_of_published_entries_only():
    post = PostFactory(title="Open post")
    page = PageFactory(title="About", slug="about")
    CommentFactory(post=post, comment="Shown on a post", user_name="Ann")
    CommentFactory(
        post=page, content_type=page_type(), object_pk=str(page.pk), comment="Shown on a page"
    )
    CommentFactory(post=post, comment="Held back", state=State.HELD)
    CommentFactory(post=post, comment="Spam here", state=State.SPAM)
    CommentFactory(post=PostFactory(draft=True, title="Secret draft"), comment="On a draft")
    CommentFactory(post=PostFactory(scheduled=True, title="Later"), comment="Too early")

    rss = feed()
    assert "Shown on a post" in rss and "Shown on a page" in rss
    assert "Comment on Open post by Ann" in rss
    assert f"{post.get_absolute_url()}#comment-" in rss and "/about/#comment-" in rss
    for hidden in ("Held back", "Spam here", "On a draft", "Secret draft", "Too early"):
        assert hidden not in rss
    atom = feed("/comments/feed/atom/")
    assert "<feed" in atom and "Shown on a page" in atom


def page_type():
    from django.contrib.contenttypes.models import ContentType

    from blog.models import Page

    return ContentType.objects.get_for_model(Page)


def test_the_feed_costs_the_same_queries_however_many_comments(
    django_assert_max_num_queries, settings
):
    settings.FEED_ITEMS = 50
    post = PostFactory()
    CommentFactory(post=post)
    with django_assert_max_num_queries(6) as few:
        feed()
    CommentFactory.create_batch(30, post=PostFactory())
    with django_assert_max_num_queries(len(few)):
        feed()


def test_a_comment_made_public_shows_at_once(settings):
    comment = CommentFactory(state=State.HELD, comment="Waiting for review")
    assert "Waiting for review" not in feed()
    comment.state = State.PUBLIC
    comment.save()
    assert "Waiting for review" in feed()
