"""A reader signs in with a local OpenID Connect provider in a real browser, comments
without typing a name, likes the post, and signs out. No internet: the provider runs in
the test, and the picture it names is answered by the browser's own route."""

import base64

import pytest

from comments.models import BlogComment
from likes.models import Like
from tests.factories import PostFactory
from tests.readers import oidc_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A one-pixel PNG, standing in for the provider's picture host.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgaPj/HwAFBQIB6o5c2QAAAABJRU5ErkJggg=="
)


@pytest.fixture
def oidc(settings):
    with oidc_provider.configured(settings) as provider:
        yield provider


def test_sign_in_comment_without_a_name_and_sign_out(live_server, page, oidc):
    pictures = []
    page.route(
        "https://avatars.example.org/**",
        lambda route: (
            pictures.append(route.request.url)
            or route.fulfill(status=200, content_type="image/png", body=PNG)
        ),
    )
    post = PostFactory(title="Engines of thought", slug="engines")
    page.goto(live_server.url + post.get_absolute_url())
    box = page.locator("#respond")
    assert "Fill in your details below or sign in with:" in box.inner_text()

    box.get_by_role("link", name="Local ID").click()
    page.get_by_role("button", name="Continue").click()  # allauth: start by POST
    page.get_by_role("button", name="Sign in as Ada").click()  # at the provider
    page.wait_for_url(f"**{post.get_absolute_url()}#respond")
    assert "Logged in as Ada Lovelace." in box.inner_text()
    assert page.get_by_label("Name", exact=True).count() == 0
    assert page.get_by_label("Email", exact=True).count() == 0

    page.get_by_label("Comment", exact=True).fill("Signed in, no name typed.")
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()
    mine = page.locator("li.comment", has_text="Signed in, no name typed.")
    assert mine.locator(".comment-author").inner_text() == "Ada Lovelace"
    avatar = mine.locator("img.avatar")
    assert avatar.get_attribute("src") == "https://avatars.example.org/ada.png"
    assert avatar.evaluate("img => img.complete && img.naturalWidth") == 1
    assert pictures == ["https://avatars.example.org/ada.png"]
    assert BlogComment.objects.get().user.email == "ada@example.org"

    page.get_by_role("button", name="Like").click()  # as Ada, in place
    page.wait_for_function(
        "() => document.querySelector('.likes-text').textContent === 'You like this.'"
    )
    assert Like.objects.get(post=post).user.email == "ada@example.org"

    page.get_by_role("link", name="Log out?").click()
    page.get_by_role("button", name="Sign Out").click()
    page.wait_for_url(f"**{post.get_absolute_url()}#respond")
    assert "Logged in as" not in box.inner_text()
    assert page.get_by_label("Name", exact=True).is_visible()
    assert page.js_errors == []
