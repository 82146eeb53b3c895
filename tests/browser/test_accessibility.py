"""Accessibility with axe-core in Debian's chromium (every reader page in light and
dark mode), keyboard use, and hostile text that must never run, on the pages readers
and moderators use."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from series.models import GuideVolume, SeriesPart
from tests.factories import (
    CommentFactory,
    GuideFactory,
    PostFactory,
    SeriesFactory,
    UserFactory,
    bulk_posts,
)
from tests.reader_pages import reader_blog
from tests.xss_payloads import PAYLOADS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def blog():
    series = SeriesFactory(slug="s", title="A series")
    posts = bulk_posts(3, prefix="Part")
    for number, post in enumerate(posts, 1):
        SeriesPart.objects.create(series=series, post=post, number=number)
    guide = GuideFactory(slug="g", title="A guide")
    GuideVolume.objects.create(guide=guide, number=1, first_number=1)
    GuideVolume.objects.create(guide=guide, number=2, first_number=3)
    guide.add_posts(posts)
    post = PostFactory(title="Discussed", slug="discussed")
    top = CommentFactory(post=post, user_name="Ada", user_url="https://ada.example")
    CommentFactory(post=post, parent=top, user_name="Ben")
    CommentFactory(post=post, user_name="Cy")  # a second thread
    return post


def serious_violations(page):
    results = Axe().run(page)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_reader_page_passes_axe_in_light_and_dark_mode(
    live_server, browser, settings, tmp_path, scheme
):
    settings.MEDIA_ROOT = tmp_path
    settings.COMMENTS_PER_PAGE = 1  # so that the post shows its comment pages' navigation
    pages = reader_blog()
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    found = {}
    for name, path in pages.items():
        page.goto(live_server.url + path)
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (
            scheme == "dark"
        )
        if violations := serious_violations(page):
            found[name] = violations
    context.close()
    assert found == {}


def test_comment_form_and_its_error_page_pass_axe_and_work_by_keyboard(live_server, page, blog):
    page.goto(live_server.url + blog.get_absolute_url())
    # Keyboard only: reach the reply link, open it, fill the form, send it empty.
    reply = page.get_by_role("link", name="Reply to Ben")
    reply.focus()
    page.keyboard.press("Enter")
    # The form comes under the comment with the cursor in its text (no reload).
    page.wait_for_selector("li.comment #respond")
    assert page.evaluate("document.activeElement.name") == "comment"
    assert serious_violations(page) == []
    page.get_by_role("button", name="Post Comment").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Your comment could not be posted" in page.content()
    assert serious_violations(page) == []


def test_moderation_queue_works_by_keyboard(live_server, page, moderator_login):
    page.goto(live_server.url + "/admin/comments/blogcomment/?queue=held")
    box = page.locator("input.action-select").first
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    approve = page.get_by_role("button", name="Approve").first
    approve.focus()
    page.keyboard.press("Enter")  # decided in place (queue.js), announced to screen readers
    page.locator(".queue-live", has_text="approved").wait_for()
    assert "approved" in page.locator(".queue-notice").first.inner_text()


@pytest.fixture
def moderator_login(live_server, page):
    from django.contrib.auth.models import Group

    user = UserFactory(username="kim", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    CommentFactory(state="held", comment="Needs a look")
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("kim")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def test_hostile_comments_and_bodies_run_nothing(live_server, page, settings):
    settings.COMMENTS_PER_PAGE = 0  # every payload on the one page
    body = "".join(f"<p>{payload}</p>" for payload in PAYLOADS[::3])
    post = PostFactory(slug="hostile-all", body=body)
    for payload in PAYLOADS[::2]:
        CommentFactory(post=post, comment=payload, user_name=payload[:50], user_url=payload[:200])
    dialogs, console_errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url + post.get_absolute_url())
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.js_errors == []
    # Blocked loads (CSP, missing images) may log; injected code must not.
    assert not [e for e in console_errors if "alert" in e or "confirm" in e]
    assert page.get_by_text(PAYLOADS[0], exact=True).count() >= 1
