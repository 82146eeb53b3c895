"""The author's whole journey, from a fresh login to a post readers see, counted in
clicks and keystrokes by the same rules and with the same texts as WordPress's classic
editor (`make bench-editor`, bench/editor_wordpress.py)."""

import re

import pytest
from PIL import Image as PILImage

from bench.editor_journey import CountingPage
from bench.editor_wordpress import ALT, BODY, TITLE
from blog.models import Post
from series.models import SeriesPart
from tests.factories import CategoryFactory, PostFactory, SeriesFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The journey as counted on this blog: 11 clicks, of which 2 choose the series.
# WordPress 6.1's classic editor takes 10 clicks, 200 keystrokes and 5 fields for the
# same post, which it cannot put in a series (`make bench-editor`).
EXPECTED = {"clicks": 11, "keystrokes": 200, "fields": 6}


@pytest.fixture
def author(live_server, page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    UserFactory(username="writer", is_staff=True, is_superuser=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("writer")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    return CountingPage(page)


def test_new_post_with_an_image_a_category_and_a_series_from_login_to_home_page(
    live_server, author, tmp_path, capsys
):
    CategoryFactory(name="Careers", slug="careers")
    series = SeriesFactory(title="Leading from the middle")
    for number in (1, 2):
        SeriesPart.objects.create(series=series, post=PostFactory(), number=number)
    picture = tmp_path / "whiteboard.png"
    PILImage.new("RGB", (1200, 800), "teal").save(picture)
    page, tally = author.page, author.tally

    tally.step("new post (desk: New post)")
    author.click(page.get_by_role("link", name="New post"))
    editor = page.locator(".tiptap.ProseMirror")
    editor.wait_for()

    tally.step("title")
    author.type_into(page.locator("#id_title"), TITLE, "title")

    tally.step("body")
    author.type_into(editor, BODY, "body")
    author.press("Enter")

    tally.step("upload an image (editor button)")
    author.choose_file(page.get_by_role("button", name="Upload an image"), picture, "image")
    dialog = page.locator("dialog[open]")

    tally.step("alternative text")
    author.type_into(dialog.locator("input[name=alt]"), ALT, "alt text")

    tally.step("upload and insert")
    author.click(dialog.get_by_role("button", name="Upload and insert"))
    editor.locator("figure img").wait_for()

    tally.step("category")
    author.tick(page.get_by_label("Careers"), "category")

    tally.step("series (number left empty)")
    # The admin's autocomplete box: a click opens it, a click picks the series.
    author.click(page.locator("#id_series_part-0-series + .select2"))
    author.click(page.locator(".select2-results__option", has_text=series.title))
    tally.touch("series")

    tally.step("publish (the Publish button; no time set: now)")
    author.click(page.get_by_role("button", name="Publish", exact=True))
    message = page.locator(".messagelist").inner_text()
    tally.stop()

    assert "This post becomes Part 3 of “Leading from the middle”" in message
    assert page.js_errors == []
    post = Post.objects.get(title=TITLE)
    assert post.is_public and post.series_part.number == 3
    assert [c.name for c in post.categories.all()] == ["Careers"]

    page.goto(live_server.url + "/")
    assert page.get_by_role("link", name=TITLE, exact=True).count() >= 1
    page.goto(live_server.url + post.get_absolute_url())
    image = page.locator(".post-body img").first
    assert image.get_attribute("alt") == ALT
    assert re.search(r"480w.*960w", image.get_attribute("srcset"))
    assert (image.get_attribute("width"), image.get_attribute("height")) == ("1200", "800")
    assert page.locator(".series-badge").inner_text() == "Part 3 of Leading from the middle"

    with capsys.disabled():
        print("\nThe author's journey on this blog:\n" + tally.table())
    counted = {"clicks": tally.clicks, "keystrokes": tally.keystrokes, "fields": tally.fields}
    assert counted == EXPECTED
