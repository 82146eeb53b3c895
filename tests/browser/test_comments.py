"""Comment journeys in a real browser: a reader, a moderator, and hostile text."""

import pytest

from comments.models import BlogComment, State
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_and_send(page, text, name="Rosa Reader", email="rosa@example.com"):
    page.get_by_label("Comment", exact=True).fill(text)
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()


def test_reader_comments_and_replies_then_a_moderator_approves(live_server, page, browser):
    post = PostFactory(title="Threads in practice", slug="threads")
    CommentFactory(post=post, user_name="Earlier Reader", comment="An earlier thought.")
    page.goto(live_server.url + post.get_absolute_url())

    fill_and_send(page, "My first comment here.")
    mine = page.locator(".comment", has_text="My first comment here.")
    assert mine.locator(".comment-awaiting-moderation").inner_text() == (
        "Your comment is awaiting moderation."
    )
    page.locator(".comment", has_text="An earlier thought.").get_by_role(
        "link", name="Reply to Earlier Reader"
    ).first.click()
    assert "Reply to Earlier Reader" in page.locator("#reply-title").inner_text()
    fill_and_send(page, "And a reply to the earlier thought.")
    assert page.get_by_text("And a reply to the earlier thought.").is_visible()
    assert BlogComment.objects.filter(state=State.HELD).count() == 2

    # Somebody else sees neither.
    stranger = browser.new_context().new_page()
    stranger.goto(live_server.url + post.get_absolute_url())
    assert stranger.get_by_text("My first comment here.").count() == 0

    # The moderator approves both from the queue, without JavaScript tricks.
    moderator = UserFactory(username="molly", is_staff=True)
    from django.contrib.auth.models import Group

    moderator.groups.add(Group.objects.get(name="Moderators"))
    admin = browser.new_context().new_page()
    admin.goto(live_server.url + "/admin/comments/blogcomment/?queue=held")
    admin.get_by_label("Username").fill("molly")
    admin.get_by_label("Password").fill("correct horse battery staple")
    admin.get_by_role("button", name="Log in").click()
    admin.wait_for_url("**/admin/comments/blogcomment/?queue=held")
    for box in admin.locator("input.action-select").all():
        box.check()
    admin.locator("select[name=action]").select_option("approve")
    admin.get_by_role("button", name="Go", exact=True).click()
    assert "2 comments approved." in admin.locator(".messagelist").inner_text()

    stranger.reload()
    earlier = stranger.locator("li.comment", has_text="An earlier thought.").first
    assert (
        earlier.locator("li.comment", has_text="And a reply to the earlier thought.").count() == 1
    )
    assert stranger.get_by_text("My first comment here.").is_visible()
    assert stranger.locator(".comment-awaiting-moderation").count() == 0


def test_script_in_a_comment_is_shown_as_text_and_never_runs(live_server, page):
    post = PostFactory(slug="hostile")
    payloads = [
        "<script>alert('x')</script>",
        '<img src=x onerror="alert(1)">',
        "javascript:alert(1)",
        '"><svg onload=alert(1)>',
    ]
    for text in payloads:
        CommentFactory(post=post, comment=text, user_name="<b>Mallory</b>")
    CommentFactory(post=post, user_name="Eve", user_url="javascript:alert(1)", comment="hi")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(live_server.url + post.get_absolute_url())
    for text in payloads:
        assert page.get_by_text(text, exact=True).count() == 1
    assert page.locator("cite", has_text="<b>Mallory</b>").count() == len(payloads)
    # A javascript: website is not linked at all.
    assert page.locator("cite", has_text="Eve").locator("a").count() == 0
    assert dialogs == []
    assert page.js_errors == []
