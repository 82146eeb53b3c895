"""The author places images from inside the body editor, in a real browser."""

import base64
import io

import pytest
from PIL import Image as PILImage

from blog.models import Image, Post
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def png(size, color):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


# A File in a DataTransfer, handed to the editor as a drop or a paste would.
DISPATCH = """([kind, name, type, b64]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
  const transfer = new DataTransfer()
  transfer.items.add(new File([bytes], name, { type }))
  const editor = document.querySelector(".tiptap.ProseMirror")
  const box = editor.getBoundingClientRect()
  const event = kind === "drop"
    ? new DragEvent("drop", {
        dataTransfer: transfer, bubbles: true, cancelable: true,
        clientX: box.left + 20, clientY: box.bottom - 10,
      })
    : new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true })
  editor.dispatchEvent(event)
}"""


FIGURES = "document.querySelectorAll('.tiptap.ProseMirror figure img').length === {}"


def hand_over(page, kind, name, data, mime="image/png"):
    page.evaluate(DISPATCH, [kind, name, mime, base64.b64encode(data).decode()])


def describe(page, alt, caption=""):
    dialog = page.locator("dialog[open]")
    dialog.locator("input[name=alt]").fill(alt)
    dialog.locator("input[name=caption]").fill(caption)
    dialog.get_by_role("button", name="Upload and insert").click()


@pytest.fixture
def author(live_server, page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # The live server finds static files by their own names (not the hashed ones of
    # the production manifest); the editor's modules must load.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": plain}
    UserFactory(username="writer", is_staff=True, is_superuser=True)
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("writer")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    return page


def test_author_uploads_by_button_drop_and_paste_then_publishes(live_server, author):
    page = author
    page.goto(live_server.url + "/admin/blog/post/add/")
    page.locator("#id_title").fill("Pictures of the harbour")
    editor = page.locator(".tiptap.ProseMirror")
    editor.click()
    editor.type("Morning at the harbour.")

    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload an image").click()
    chooser.value.set_files(
        files=[{"name": "harbour.png", "mimeType": "image/png", "buffer": png((1000, 600), "navy")}]
    )
    describe(page, "Boats at anchor at dawn", "The harbour, 6 a.m.")
    page.locator(".tiptap.ProseMirror figure img").first.wait_for()
    assert page.locator(".tiptap.ProseMirror figcaption").inner_text() == "The harbour, 6 a.m."

    hand_over(page, "drop", "lighthouse.png", png((700, 500), "white"))
    describe(page, "The lighthouse")
    page.wait_for_function(FIGURES.format(2))
    dropped = page.locator(".tiptap.ProseMirror figure img").nth(1)
    assert dropped.get_attribute("alt") == "The lighthouse"
    assert "lighthouse" in dropped.get_attribute("src")

    hand_over(page, "paste", "image.png", png((300, 200), "orange"))
    describe(page, "A screenshot of the tide table")
    page.wait_for_function(FIGURES.format(3))

    # Something that is not an image is refused with the server's words; nothing inserted.
    hand_over(page, "drop", "notes.png", b"not an image at all")
    describe(page, "Notes")
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "notes.png: Upload a valid image" in alert.inner_text()
    assert page.locator(".tiptap.ProseMirror figure img").count() == 3
    assert Image.objects.count() == 3

    page.locator("#id_status").select_option("published")
    page.locator("#id_published_at_0").fill("2024-05-06")
    page.locator("#id_published_at_1").fill("07:30:00")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/blog/post/")

    post = Post.objects.get()
    page.goto(live_server.url + post.get_absolute_url())
    images = page.locator(".post-body img")
    assert images.count() == 3
    first, second = images.nth(0), images.nth(1)
    assert first.get_attribute("alt") == "Boats at anchor at dawn"
    assert "480w" in first.get_attribute("srcset") and "1000w" in first.get_attribute("srcset")
    assert (first.get_attribute("width"), first.get_attribute("height")) == ("1000", "600")
    assert first.get_attribute("loading") is None
    assert second.get_attribute("alt") == "The lighthouse"
    assert second.get_attribute("loading") == "lazy"
    assert images.nth(2).get_attribute("alt") == "A screenshot of the tide table"
    assert page.locator(".post-body figcaption").first.inner_text() == "The harbour, 6 a.m."
    assert page.js_errors == []
