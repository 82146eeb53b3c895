"""Liking a post in a real browser: with JavaScript the box updates in place (no
reload) and a reload still shows the reader's like; without it the form posts and
comes back to the post with a message."""

import pytest
from django.conf import settings
from django.test import Client

from likes.models import Like
from tests.browser.test_accessibility import serious_violations
from tests.factories import PostFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_post(page, live_server, post):
    page.goto(live_server.url + post.get_absolute_url())
    page.evaluate("window.notReloaded = true")  # gone if the page reloads


def box_says(page, text):
    page.wait_for_function(
        "text => document.querySelector('.likes-text').textContent === text", arg=text
    )


def test_an_anonymous_reader_likes_and_unlikes_in_place(live_server, page):
    post = PostFactory(title="Worth a like")
    Like.objects.create(post=post, browser_hash="e" * 64)
    console = []
    page.on("console", lambda message: console.append(message.text))
    open_post(page, live_server, post)
    button = page.get_by_role("button", name="Like")
    assert button.get_attribute("aria-pressed") == "false"
    box_says(page, "One reader likes this.")

    button.click()
    box_says(page, "You and one other reader like this.")
    assert button.get_attribute("aria-pressed") == "true"
    assert page.evaluate("window.notReloaded") is True
    assert Like.objects.count() == 2

    page.reload()  # the shared page, then the script asks who this is
    box_says(page, "You and one other reader like this.")
    assert page.get_by_role("button", name="Like").get_attribute("aria-pressed") == "true"

    assert serious_violations(page) == []  # the pressed button too
    page.get_by_role("button", name="Like").click()
    box_says(page, "One reader likes this.")
    assert Like.objects.count() == 1
    assert page.js_errors == [] and not [m for m in console if "Content Security" in m]


def test_a_signed_in_reader_likes_in_place_and_the_page_remembers(live_server, page):
    post = PostFactory(title="Worth a like")
    reader = UserFactory(username="rosa")
    client = Client()
    client.force_login(reader)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    open_post(page, live_server, post)
    page.get_by_role("button", name="Like").click()
    box_says(page, "You like this.")
    assert page.evaluate("window.notReloaded") is True
    assert Like.objects.get().user == reader

    page.reload()  # the reader's own page, rendered with their like
    assert page.get_by_role("button", name="Like").get_attribute("aria-pressed") == "true"
    assert page.locator(".likes-text").inner_text() == "You like this."
    assert page.js_errors == []


def test_without_javascript_the_form_posts_and_comes_back(live_server, browser):
    post = PostFactory(title="Worth a like")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + post.get_absolute_url())
    page.get_by_role("button", name="Like").click()
    page.wait_for_url(f"**{post.get_absolute_url()}#likes")
    assert "You like this post." in page.locator(".messages").inner_text()
    assert page.locator(".likes-text").inner_text() == "You like this."
    assert Like.objects.count() == 1
    context.close()
