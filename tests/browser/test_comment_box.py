"""The comment box in a real browser: "Save my name…", Reply in place (with and
without JavaScript), the character counter and comment pages."""

import pytest
from django.core.cache import cache

from comments.models import BlogComment
from tests.factories import CommentFactory, PostFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def form_values(page):
    return {
        field: page.locator(f"#respond [name={field}]").input_value()
        for field in ("name", "email", "url")
    }


def send(page, text, name="Rosa Reader", email="rosa@example.com"):
    page.get_by_label("Comment", exact=True).fill(text)
    if name:
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()


def test_saved_details_fill_the_next_form_while_the_cached_page_stays_shared(
    live_server, page, browser, settings
):
    settings.PAGE_CACHE = True
    cache.clear()
    first = PostFactory(title="First post", slug="first")
    other = PostFactory(title="Another post", slug="another")
    other_url = live_server.url + other.get_absolute_url()
    stranger = browser.new_context().new_page()
    shared = stranger.goto(other_url)
    assert shared.headers["x-page-cache"] == "miss"
    shared_html = shared.text()
    stranger.context.close()

    page.goto(live_server.url + first.get_absolute_url())
    remember = page.get_by_label(
        "Save my name, email, and website in this browser for the next time I comment."
    )
    assert not remember.is_checked()  # off by default, as WordPress's
    page.get_by_label("Website", exact=True).fill("https://rosa.example")
    remember.check()
    send(page, "Remember me, please.")
    assert BlogComment.objects.filter(user_name="Rosa Reader").exists()

    page.goto(other_url)
    page.wait_for_function("document.querySelector('#respond [name=name]').value !== ''")
    assert form_values(page) == {
        "name": "Rosa Reader",
        "email": "rosa@example.com",
        "url": "https://rosa.example",
    }
    assert page.get_by_label("Save my name", exact=False).is_checked()

    fresh = browser.new_context().new_page()
    response = fresh.goto(other_url)
    assert response.headers["x-page-cache"] == "hit"
    assert response.text() == shared_html  # the very page every reader gets
    assert "Rosa" not in shared_html
    assert form_values(fresh) == {"name": "", "email": "", "url": ""}
    assert not fresh.get_by_label("Save my name", exact=False).is_checked()
    assert page.js_errors == []
    fresh.context.close()


def long_discussion(title="A long talk"):
    post = PostFactory(title=title, slug="long-talk")
    for n in range(12):
        CommentFactory(post=post, user_name=f"Reader {n}", comment=f"Point {n}. " + "Words " * 80)
    return post


def heading_in_view(page):
    box = page.locator("#reply-title").bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_reply_moves_the_form_under_the_comment_and_posts_a_child(live_server, page):
    post = long_discussion()
    target = BlogComment.objects.get(user_name="Reader 3")
    page.goto(live_server.url + post.get_absolute_url())
    page.locator(f"#comment-{target.pk} .comment-reply-link").click()

    assert page.url.endswith(post.get_absolute_url())  # no reload
    assert page.locator(f"#comment-{target.pk} > #respond").count() == 1
    assert page.locator("#reply-title").inner_text().startswith("Reply to Reader 3")
    assert page.evaluate("document.activeElement.name") == "comment"
    assert heading_in_view(page)
    assert page.locator("#respond [name=reply_to]").input_value() == str(target.pk)

    # Cancel puts it back, as a top-level comment form.
    page.get_by_role("link", name="Cancel reply").click()
    assert page.locator("li.comment #respond").count() == 0
    assert page.locator("#reply-title").inner_text() == "Leave a Reply"
    assert page.locator("#respond [name=reply_to]").input_value() == "0"

    page.locator(f"#comment-{target.pk} .comment-reply-link").click()
    send(page, "Replying in place.")
    reply = BlogComment.objects.get(comment="Replying in place.")
    assert reply.parent_id == target.pk
    assert page.locator(f"#comment-{target.pk} li#comment-{reply.pk}").count() == 1
    assert page.js_errors == []


def test_without_javascript_the_reply_link_reloads_with_the_heading_in_view(live_server, browser):
    post = long_discussion()
    target = BlogComment.objects.get(user_name="Reader 5")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + post.get_absolute_url())
    page.locator(f"#comment-{target.pk} .comment-reply-link").click()
    page.wait_for_load_state()
    assert f"?replytocom={target.pk}" in page.url
    assert page.locator("#reply-title").inner_text().startswith("Reply to Reader 5")
    assert heading_in_view(page)  # not hidden under the top of the window
    box = page.locator("#reply-title").bounding_box()
    assert box["y"] >= 8  # scroll-margin-top leaves room above it
    send(page, "Replying without scripts.")
    reply = BlogComment.objects.get(comment="Replying without scripts.")
    assert reply.parent_id == target.pk
    context.close()


def test_the_counter_shows_near_the_limit_and_a_long_paste_is_kept(live_server, page, settings):
    settings.COMMENTS_MAX_LENGTH = 200
    post = PostFactory(slug="counted")
    page.goto(live_server.url + post.get_absolute_url())
    box = page.get_by_label("Comment", exact=True)
    counter = page.locator("#comment-char-count")
    box.fill("a" * 100)
    assert counter.is_hidden()
    box.fill("a" * 185)
    assert counter.is_visible()
    assert counter.inner_text() == "185 / 200"
    assert page.locator("#respond [aria-live=polite]").inner_text() == "15 characters left."
    box.fill("é" * 250)  # a paste past the limit is kept whole, and said so
    assert len(box.input_value()) == 250
    assert "250 / 200" in counter.inner_text()
    assert "char-count-over" in counter.get_attribute("class")
    assert "over the limit" in page.locator("#respond [aria-live=polite]").inner_text()
    assert box.get_attribute("aria-invalid") is not None
    send(page, "é" * 250)
    assert "Comments are limited to 200 characters" in page.locator(".form-errors").inner_text()
    assert page.get_by_label("Comment", exact=True).input_value() == "é" * 250
    assert page.js_errors == []


def test_a_permalink_on_the_500_comment_post_lands_on_its_comment(live_server, page):
    from tests.comments.test_comment_pages import discussion

    post = PostFactory(slug="busy")
    comments = discussion(post, threads=350, replies=150)
    target = [c for c in comments if c.level == 1][-1]
    url = target.get_absolute_url()
    assert "/comment-page-7/#comment-" in url
    page.goto(live_server.url + url)
    comment = page.locator(f"#comment-{target.pk}")
    assert comment.is_visible()
    box = comment.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]
    # The navigation takes the reader to older comments.
    page.get_by_role("link", name="← Older comments").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/comment-page-6/#comments")
