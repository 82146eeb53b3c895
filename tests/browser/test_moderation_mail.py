"""The moderation mail's link in a real browser, without JavaScript: log in, confirm,
decided. And a reader whose comment is judged spam gets their text back."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from comments.models import BlogComment, State
from tests.factories import PostFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def send_comment(page, text, name, email):
    page.get_by_label("Comment", exact=True).fill(text)
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()


def test_a_moderator_approves_from_the_mail_link(live_server, browser):
    post = PostFactory(title="Mail me", slug="mail-me")
    molly = UserFactory(username="molly", email="molly@example.com", is_staff=True)
    molly.groups.add(Group.objects.get(name="Moderators"))
    reader = browser.new_context(java_script_enabled=False).new_page()
    reader.goto(live_server.url + post.get_absolute_url())
    send_comment(reader, "Held until Molly says yes.", "Rosa Reader", "rosa@example.com")
    (notice,) = [m for m in mail.outbox if m.to == ["molly@example.com"]]
    approve = re.search(r"^Approve: +\S+?(/comments/moderate/\S+)$", notice.body, re.M).group(1)

    desk = browser.new_context(java_script_enabled=False).new_page()
    desk.goto(live_server.url + approve)
    desk.get_by_label("Username").fill("molly")
    desk.get_by_label("Password").fill("correct horse battery staple")
    desk.get_by_role("button", name="Log in").click()
    desk.wait_for_url("**" + approve)
    assert desk.get_by_role("heading", name="Approve this comment?").is_visible()
    assert BlogComment.objects.get().state == State.HELD  # looking changed nothing
    desk.get_by_role("button", name="Approve this comment").click()
    desk.wait_for_load_state()
    assert "Done: comment approved." in desk.locator(".messages").inner_text()
    assert desk.get_by_role("heading", name="You approved this comment").is_visible()
    assert BlogComment.objects.get().state == State.PUBLIC


def test_a_spam_judged_reader_keeps_their_text(live_server, browser):
    post = PostFactory(title="Spammed", slug="spammed")
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(live_server.url + post.get_absolute_url())
    send_comment(page, "Cheap watches here.", "akismet-guaranteed-spam", "eve@example.com")
    assert BlogComment.objects.get().state == State.SPAM
    assert page.url.endswith(post.get_absolute_url() + "#respond")
    assert page.locator("#respond .comment-awaiting-moderation").inner_text() == (
        "Your comment is awaiting moderation."
    )
    assert page.get_by_label("Comment", exact=True).input_value() == "Cheap watches here."
    assert page.get_by_label("Name", exact=True).input_value() == "akismet-guaranteed-spam"
    assert page.locator(".comment-list").count() == 0  # nothing in the thread
