"""The author's journey in WordPress's classic editor, counted: from a fresh login,
a new post with a title and a body, an image uploaded into the body with its
alternative text, a category, published with no time set, then seen on the home page.

WordPress has no series: that part of the journey has no equivalent (noted in the
table). Login is not counted (the journey starts on the dashboard).
"""

import re

from PIL import Image as PillowImage
from PIL import ImageDraw

from bench.editor_journey import CountingPage, Tally
from bench.wordpress_site import CATEGORY

TITLE = "Leading from the middle 30: the first review"
BODY = (
    "Three months in, the first review arrives.\n"
    "Write down what you promised, what you did, and what you learned."
)
ALT = "A whiteboard with three columns of sticky notes"
TIMEOUT_MS = 60_000


def make_picture(path):
    picture = PillowImage.new("RGB", (1200, 800), "#2b6f77")
    draw = ImageDraw.Draw(picture)
    for n, colour in enumerate(("#f2d2b6", "#d9822b", "#f7f3e8")):
        draw.rectangle((100 + n * 350, 150, 350 + n * 350, 650), fill=colour)
    picture.save(path, "JPEG", quality=85)
    return path


def run_journey(browser, wordpress, picture_path, screenshots=None):
    """Drive the journey; return the Tally. `screenshots`: a folder for PNGs, or None."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        log_in(page, wordpress)
        author = CountingPage(page, Tally())
        journey(author, wordpress, picture_path, screenshots)
        return author.tally
    finally:
        context.close()


def log_in(page, wordpress):
    page.goto(f"{wordpress.url}/wp-login.php")
    page.fill("#user_login", wordpress.username)
    page.fill("#user_pass", wordpress.password)
    page.click("#wp-submit")
    page.wait_for_selector("#wpadminbar")


def shot(page, screenshots, name):
    if screenshots:
        page.screenshot(path=str(screenshots / f"wordpress-{name}.png"), full_page=False)


def journey(author, wordpress, picture_path, screenshots):
    page, tally = author.page, author.tally

    tally.step("new post (admin bar: + New)")
    author.click(page.locator("#wp-admin-bar-new-content > a.ab-item"))
    page.wait_for_selector("#title")
    page.frame_locator("#content_ifr").locator("body#tinymce").wait_for()

    tally.step("title")
    author.type_into(page.locator("#title"), TITLE, "title")

    tally.step("body (visual editor)")
    body = page.frame_locator("#content_ifr").locator("body#tinymce")
    author.type_into(body, BODY, "body")
    author.press("Enter")  # the image goes in a paragraph of its own

    tally.step("upload an image (Add Media)")
    author.click(page.locator("#insert-media-button"))
    modal = page.locator(".media-modal:visible")
    select_files = modal.get_by_role("button", name="Select Files")
    if not select_files.is_visible():
        author.click(modal.get_by_role("tab", name="Upload files"))
    author.choose_file(select_files, picture_path, "image file")
    details = modal.locator(".attachment-details")
    details.locator("#attachment-details-alt-text").wait_for()
    page.wait_for_function("() => !document.querySelector('.media-modal .attachment.uploading')")

    tally.step("alternative text")
    author.type_into(details.locator("#attachment-details-alt-text"), ALT, "alt text")
    shot(page, screenshots, "media")

    tally.step("insert into post")
    author.click(modal.get_by_role("button", name="Insert into post"))
    page.frame_locator("#content_ifr").locator("img").wait_for()

    tally.step("category")
    author.tick(page.locator("#categorychecklist").get_by_label(CATEGORY), "category")

    tally.step("series", note="WordPress has none (no step possible without a plugin)")

    tally.step("publish (no time set: now)")
    shot(page, screenshots, "editor")
    author.click(page.locator("#publish"))
    page.wait_for_selector("#message.updated, #message.notice-success")
    tally.stop()
    shot(page, screenshots, "published")

    # Not counted: checking what readers see. Twenty Twenty-One lists excerpts on the
    # home page (its default), so the image is looked for on the post's own page.
    page.goto(f"{wordpress.url}/")
    shot(page, screenshots, "home")
    if TITLE not in page.content():
        raise AssertionError("The post is not on the home page.")
    page.goto(page.get_by_role("link", name=TITLE, exact=True).first.get_attribute("href"))
    images = re.findall(r"<img[^>]*>", page.content())
    if not any(f'alt="{ALT}"' in image and "/wp-content/uploads/" in image for image in images):
        raise AssertionError(f"The image with its alternative text is not in the post: {images}")
