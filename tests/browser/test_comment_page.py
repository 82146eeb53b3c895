"""A moderator answers a held comment from its page, in a real browser without
JavaScript: Approve and reply, back to the queue, the reply public under it."""

import pytest
from django.contrib.auth.models import Group

from comments.models import BlogComment, State
from comments.permissions import ensure_moderators_group
from tests.factories import CommentFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_moderator_approves_and_replies_without_javascript(live_server, browser):
    ensure_moderators_group()  # the database is emptied between transactional tests
    moderator = StaffFactory(username="mo")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    held = CommentFactory(state=State.HELD, comment="Is part 3 coming?", user_name="Ada")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        change = f"/admin/comments/blogcomment/{held.pk}/change/"
        page.goto(f"{live_server.url}/admin/login/?next={change}")
        page.get_by_label("Username").fill("mo")
        page.get_by_label("Password").fill("correct horse battery staple")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"**{change}")
        assert "Is part 3 coming?" in page.get_by_label("Text").input_value()
        page.get_by_role("link", name="Approve and reply").click()
        page.get_by_label("Your reply").fill("Next week.")
        page.get_by_role("button", name="Approve and reply").click()
        page.wait_for_url("**/admin/comments/blogcomment/")
        assert "approved and replied to" in page.locator(".messagelist").inner_text()
    finally:
        context.close()
    held.refresh_from_db()
    reply = BlogComment.objects.get(comment="Next week.")
    assert held.state == State.PUBLIC
    assert reply.parent_id == held.pk and reply.user == moderator and reply.is_public
