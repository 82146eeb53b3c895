"""Reader journeys in a real browser."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import CategoryFactory, PostFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_opens_the_home_page_and_follows_a_post(live_server, page):
    category = CategoryFactory(name="Leadership", slug="leadership")
    PostFactory(
        title="Leading from the middle",
        slug="leading-from-the-middle",
        body="<p>The view from the middle of an organisation.</p>",
        categories=[category],
        published_at=timezone.now() - timedelta(hours=1),
    )
    PostFactory(title="An older note", published_at=timezone.now() - timedelta(days=5))
    page.goto(live_server.url + "/")
    assert page.locator("article h2").first.inner_text() == "Leading from the middle"
    page.get_by_role("link", name="Leading from the middle").first.click()
    page.wait_for_url("**/leading-from-the-middle/")
    assert page.locator("h1").inner_text() == "Leading from the middle"
    assert "The view from the middle" in page.locator(".post-body").inner_text()
    assert page.get_by_role("link", name="Leadership").first.is_visible()
    assert page.js_errors == []


def test_keyboard_user_can_skip_to_content(live_server, page):
    PostFactory(title="Anything")
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#content"
