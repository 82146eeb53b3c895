"""The author's desk in a real browser: the editor, autosave, preview, word count."""

import pytest

from blog.models import Post, Revision
from blog.revisions import Kind
from tests.factories import PostFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def author():
    return UserFactory(username="ada", is_staff=True, is_superuser=True)


def log_in(page, live_server, next_path):
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{next_path}")
    page.locator(".prose-editor .ProseMirror[contenteditable]").wait_for()


def leave(page, live_server, post):
    """Leave the form (pagehide sends the autosave beacon) and wait until it has landed,
    so that no request is still writing when the test's database is emptied."""
    page.goto(f"{live_server.url}/admin/")
    for _ in range(50):
        if Revision.objects.of(post).autosaves().exists():
            return Revision.objects.of(post).autosaves().get()
        page.wait_for_timeout(100)
    raise AssertionError("No autosave arrived after leaving the page.")


def test_an_unsaved_edit_is_offered_back_after_reopening(live_server, page, author):
    post = PostFactory(title="Autosaved", slug="autosaved", body="<p>Saved text.</p>")
    change = f"/admin/blog/post/{post.pk}/change/"
    log_in(page, live_server, change)

    editor = page.locator(".prose-editor .ProseMirror[contenteditable]")
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" Typed but not saved.")
    # The 30-second timer, without the wait.
    page.evaluate("document.getElementById('post_form').deskAutosave()")
    page.get_by_text("Autosaved at").wait_for()
    post.refresh_from_db()
    assert post.body == "<p>Saved text.</p>"  # the post itself is untouched

    page.reload()
    offer = page.get_by_role("alert")
    assert "newer than this version" in offer.inner_text()
    offer.get_by_role("link", name="Restore").click()
    assert (
        "Typed but not saved."
        in page.locator(".prose-editor .ProseMirror[contenteditable]").inner_text()
    )
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/blog/post/")
    post.refresh_from_db()
    assert post.body == "<p>Saved text. Typed but not saved.</p>"
    assert not Revision.objects.of(post).autosaves().exists()
    assert Revision.objects.of(post).get().kind == Kind.SAVE
    assert page.js_errors == []


def test_leaving_the_page_autosaves(live_server, page, author):
    post = PostFactory(title="Left", slug="left", body="<p>Before.</p>")
    log_in(page, live_server, f"/admin/blog/post/{post.pk}/change/")
    page.locator(".prose-editor .ProseMirror[contenteditable]").click()
    page.keyboard.type("Gone away. ")
    autosave = leave(page, live_server, post)
    assert "Gone away." in autosave.body
    assert Post.objects.get(pk=post.pk).body == "<p>Before.</p>"


def test_the_editor_is_tall_counts_words_and_leaves_a_figure_on_enter(live_server, page, author):
    post = PostFactory(
        slug="figure",
        body=(
            '<p>Intro words here.</p><figure><img src="/static/favicon.svg" alt="Icon">'
            "<figcaption>The caption</figcaption></figure>"
        ),
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, f"/admin/blog/post/{post.pk}/change/")

    editor = page.locator(".prose-editor .ProseMirror[contenteditable]")
    assert editor.bounding_box()["height"] >= 0.6 * 900 - 1
    title = page.locator("#id_title").bounding_box()["width"]
    assert title >= 600

    words = page.locator(".desk-words")
    assert words.inner_text() == "5 words · 1 min read"

    # Enter at the end of the caption starts a new paragraph after the figure.
    page.locator("figcaption").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("After the figure")
    body = page.locator("textarea[name=body]").input_value()
    assert "</figure><p>After the figure</p>" in body
    assert words.inner_text() == "8 words · 1 min read"

    # The block-type menu's marker is drawn in CSS, not with a glyph fonts lack.
    marker = page.evaluate(
        "getComputedStyle(document.querySelector('.prose-menubar__selected'), '::after').content"
    )
    assert marker == '""'
    assert page.js_errors == []
    leave(page, live_server, post)


def test_preview_opens_the_unsaved_text_in_a_new_tab(live_server, page, author):
    post = PostFactory(title="Previewed", slug="previewed", body="<p>Saved.</p>")
    log_in(page, live_server, f"/admin/blog/post/{post.pk}/change/")
    page.locator("#id_title").fill("A title not saved yet")
    with page.context.expect_page() as new_tab:
        page.locator(".object-tools").get_by_role("button", name="Preview").click()
    preview = new_tab.value
    preview.wait_for_load_state()
    assert preview.locator("h1").inner_text() == "A title not saved yet"
    assert "Preview of the text in the editor" in preview.locator(".preview-notice").inner_text()
    assert Post.objects.get(pk=post.pk).title == "Previewed"
    assert leave(page, live_server, post).title == "A title not saved yet"
