"""The moderator's desk in a real browser: the queue opens on Held, decisions by key
and by click happen in place with Undo, nothing is cut off at 1280 px or on a phone,
and the same journey works with JavaScript off."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from comments.models import BlogComment, CommentHistory, State
from tests.factories import CommentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUEUE = "/admin/comments/blogcomment/"
SIZES = [(1280, 800), (390, 844)]


@pytest.fixture
def comments():
    now = timezone.now()
    moderator = UserFactory(username="kim", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    return {
        "public": CommentFactory(state=State.PUBLIC, comment="Already public, not here"),
        "older": CommentFactory(
            state=State.HELD, comment="Older held comment", submit_date=now - timedelta(hours=2)
        ),
        "fresh": CommentFactory(
            state=State.HELD,
            comment="A freshly held comment with a long-winded-address-"
            + "x" * 80
            + "@example.com",
            user_email="very.long.address.of.a.reader." + "y" * 40 + "@example.com",
            submit_date=now,
        ),
    }


def log_in(context, live_server):
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/login/?next={QUEUE}")
    page.get_by_label("Username").fill("kim")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{QUEUE}")
    return page


def nothing_cut_off(page):
    sizes = page.evaluate(
        """() => {
          const results = document.querySelector('.results');
          const root = document.documentElement;
          return [results.scrollWidth, results.clientWidth, root.scrollWidth, root.clientWidth];
        }"""
    )
    assert sizes[0] <= sizes[1] and sizes[2] <= sizes[3], sizes
    for button in page.locator(".queue-actions .button").all():
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= sizes[3], box


def row(page, text):
    return page.locator("#result_list tbody tr", has_text=text)


def count(page, queue):
    return int(page.locator(f'[data-queue-count="{queue}"]').inner_text())


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_moderator_decides_by_key_and_click_in_place_and_undoes(
    live_server, browser, comments, width, height
):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = log_in(context, live_server)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    assert page.locator("#result_list").inner_text().index("A freshly held") < page.locator(
        "#result_list"
    ).inner_text().index("Older held")
    assert row(page, "Already public").count() == 0
    assert count(page, "held") == 2
    nothing_cut_off(page)
    page.evaluate("window.queueMarker = 'still here'")

    # Typing in the search box fires no shortcut.
    page.locator("#searchbar").type("as")
    page.locator("#searchbar").fill("")
    page.locator("body").click(position={"x": 1, "y": 1})
    assert BlogComment.objects.filter(state=State.HELD).count() == 2

    # The keyboard: j selects the first (newest) row, a approves it.
    page.keyboard.press("j")
    assert "queue-selected" in row(page, "A freshly held").get_attribute("class")
    page.keyboard.press("a")
    row(page, "A freshly held").locator(".queue-notice", has_text="approved").wait_for()
    assert count(page, "held") == 1 and count(page, "public") == 2
    assert BlogComment.objects.get(pk=comments["fresh"].pk).state == State.PUBLIC

    # A click: Spam on the older one, then Undo.
    older = row(page, "Older held")
    older.get_by_role("button", name="Spam").click()
    older.locator(".queue-notice", has_text="marked spam").wait_for()
    assert count(page, "spam") == 1 and count(page, "held") == 0
    assert BlogComment.objects.get(pk=comments["older"].pk).state == State.SPAM
    older.get_by_role("button", name="Undo").click()
    older.locator(".queue-notice", has_text="Undone").wait_for()
    assert count(page, "spam") == 0 and count(page, "held") == 1
    assert BlogComment.objects.get(pk=comments["older"].pk).state == State.HELD
    assert CommentHistory.objects.filter(comment=comments["older"], action="undone").exists()

    # u undoes the last decision too: spam it by key, then u.
    page.keyboard.press("j")
    page.keyboard.press("s")
    older.locator(".queue-notice", has_text="marked spam").wait_for()
    page.keyboard.press("u")
    older.locator(".queue-notice", has_text="Undone").wait_for()
    assert BlogComment.objects.get(pk=comments["older"].pk).state == State.HELD

    # ? shows the keys.
    page.keyboard.press("?")
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    assert help_dialog.is_visible() and "approve" in help_dialog.inner_text()
    page.keyboard.press("Escape")
    assert not help_dialog.is_visible()

    nothing_cut_off(page)
    assert page.evaluate("window.queueMarker") == "still here"  # never reloaded
    assert errors == []
    context.close()


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_r_replies_in_place_approving_a_held_comment(live_server, browser, comments, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = log_in(context, live_server)
    page.evaluate("window.queueMarker = 'still here'")
    page.keyboard.press("j")  # the newest held comment
    page.keyboard.press("r")
    box = page.locator(".queue-reply-row textarea")
    box.wait_for()
    page.keyboard.press("Enter")  # typing in the box fires no shortcut
    box.type("Thanks, that is a fair point.")
    page.locator(".queue-reply-send").click()
    fresh = row(page, "A freshly held")
    fresh.locator(".queue-notice", has_text="approved and replied to").wait_for()
    assert page.locator(".queue-reply-row").count() == 0
    assert count(page, "held") == 1 and count(page, "public") == 3
    reply = BlogComment.objects.get(parent_id=comments["fresh"].pk, user__username="kim")
    assert reply.state == State.PUBLIC and "fair point" in reply.comment
    assert BlogComment.objects.get(pk=comments["fresh"].pk).state == State.PUBLIC
    nothing_cut_off(page)
    assert page.evaluate("window.queueMarker") == "still here"  # never reloaded

    # An empty reply is refused in place, with the form's own words.
    page.keyboard.press("j")
    page.keyboard.press("r")
    page.locator(".queue-reply-send").click()
    page.locator(".queue-reply-problem", has_text="Please write your reply.").wait_for()
    context.close()


def test_the_same_journey_without_javascript(live_server, browser, comments):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = log_in(context, live_server)
    assert row(page, "Already public").count() == 0
    nothing_cut_off(page)
    row(page, "A freshly held").get_by_role("button", name="Approve").click()
    page.wait_for_url(f"**{QUEUE}")
    assert "approved" in page.locator(".messagelist").inner_text()
    assert row(page, "A freshly held").count() == 0  # still on the held queue
    row(page, "Older held").get_by_role("button", name="Spam").click()
    assert "marked spam" in page.locator(".messagelist").inner_text()
    assert count(page, "spam") == 1 and count(page, "held") == 0
    assert BlogComment.objects.get(pk=comments["older"].pk).state == State.SPAM
    context.close()
