"""The author's desk in Debian's chromium: the post list fits at 1280 px, the front
page fits a phone, and publishing with no time works from the real form."""

import pytest

from blog.models import Post
from comments.models import State
from series.models import SeriesPart
from tests.factories import CommentFactory, PostFactory, SeriesFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def author_page(live_server, browser):
    UserFactory(username="boss", is_staff=True, is_superuser=True)

    def open_at(width):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.js_errors = []
        page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
        page.goto(live_server.url + "/admin/login/")
        page.get_by_label("Username").fill("boss")
        page.get_by_label("Password").fill("correct horse battery staple")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/admin/")
        return page

    return open_at


def fill_blog():
    series = SeriesFactory(title="Leading from the middle, a long series title")
    for n in range(1, 4):
        post = PostFactory(title=f"Leading from the middle {n}: the value proposition of a team")
        SeriesPart.objects.create(series=series, post=post, number=n)
        CommentFactory.create_batch(12, post=post)
        CommentFactory.create_batch(3, post=post, state=State.HELD)
    PostFactory(draft=True, title="A second look at technical debt")
    PostFactory(scheduled=True, title="Coming soon")


def test_the_post_list_is_not_cut_off_at_1280(live_server, author_page):
    fill_blog()
    page = author_page(1280)
    page.goto(live_server.url + "/admin/blog/post/")
    overflow = page.evaluate(
        "() => { const r = document.querySelector('#changelist .results');"
        " return r.scrollWidth - r.clientWidth; }"
    )
    assert overflow <= 0
    assert page.get_by_role("link", name="3 held").first.is_visible()
    assert page.get_by_role("link", name="Preview").first.is_visible()


def test_the_desk_fits_a_phone(live_server, author_page):
    fill_blog()
    page = author_page(390)
    assert page.locator("#desk-drafts").is_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390


def test_publishing_with_no_time_from_the_form(live_server, author_page):
    page = author_page(1280)
    page.get_by_role("link", name="New post").click()
    page.get_by_label("Title:").fill("Straight out")
    # The slug fills itself from the title (the admin's prepopulated field).
    page.get_by_label("Status:").select_option("published")
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was added successfully" in page.locator(".messagelist").inner_text()
    assert page.js_errors == []
    assert Post.objects.get(slug="straight-out").is_public
