"""Comments on WordPress pages come across with their threads and states, and show
on the imported page as on a post."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from blog.models import Page
from comments.models import BlogComment, State
from tests.wordpress.test_import_wxr import run_import
from tests.wordpress.wxr_files import counts

pytestmark = pytest.mark.django_db


def comments_on(page):
    return BlogComment.objects.filter(
        content_type=ContentType.objects.get_for_model(Page), object_pk=str(page.pk)
    ).order_by("thread_id", "order")


def test_page_comments_arrive_threaded_with_their_states():
    output = run_import()
    assert "on a page skipped" not in output
    # Theme unit test: "Page with comments" (WordPress id 155) has three approved
    # comments and a held reply to the second; "Blog" (703) one held comment.
    page = Page.objects.get(slug="page-with-comments")
    assert page.comments_open
    rows = [(c.user_name, c.comment, c.state, c.level) for c in comments_on(page)]
    assert rows == [
        ("Anon", "Anonymous comment.", State.PUBLIC, 0),
        ("tellyworthtest2", "Contributor comment.", State.PUBLIC, 0),
        ("themereviewteam", "nothing useful to say", State.HELD, 1),
        ("themedemos", "Author comment.", State.PUBLIC, 0),
    ]
    reply = comments_on(page).get(user_name="themereviewteam")
    parent = BlogComment.objects.get(pk=reply.parent_id)
    assert parent.comment == "Contributor comment." and reply.reason.startswith("imported")
    blog = comments_on(Page.objects.get(slug="blog")).get()
    assert blog.state == State.HELD and blog.comment.startswith("I want to learn")
    assert counts(output)["comments"] == (33, 0, 0, 0)

    html = Client().get(page.get_absolute_url()).content.decode()
    assert "3 responses to “Page with comments”" in html
    assert "Contributor comment." in html and "nothing useful to say" not in html
    feed = Client().get(f"{page.get_absolute_url()}feed/").content.decode()
    assert "Author comment." in feed and "nothing useful to say" not in feed

    # A second run finds every page comment by its WordPress id: nothing new.
    again = run_import()
    assert counts(again)["comments"] == (0, 0, 33, 0)
    assert comments_on(page).count() == 4
