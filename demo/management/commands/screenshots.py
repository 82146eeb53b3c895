"""`make screenshots`: the README's pictures of the author's and the moderators' desks.

Runs against the configured database (the Makefile points it at a scratch SQLite
file and media folder), seeds the demo blog, writes a post with an uploaded image
and two revisions, serves the site in this process and photographs it with Debian's
chromium at 1280 and 390 px into docs/screenshots/. Needs the dev packages
(Playwright) and DEBUG on (static files by their plain names).
"""

import io
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.testcases import LiveServerThread
from PIL import Image as PILImage
from PIL import ImageDraw

from blog import revisions
from blog.models import Image, Post
from comments.models import BlogComment, State

OUT = Path(settings.BASE_DIR) / "docs" / "screenshots"
WIDTHS = (1280, 390)
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ALT = "A whiteboard with three columns of sticky notes"


class Command(BaseCommand):
    help = "Photograph the author's and moderators' desks into docs/screenshots/."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Run with DEBUG=1 (make screenshots does), for plain static names.")
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM beside Playwright
        call_command("seed_demo", stdout=io.StringIO())
        user, password = self.photographer()
        post = self.post_with_an_image_and_revisions(user)
        server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        try:
            base = f"http://127.0.0.1:{server.port}"
            held = BlogComment.objects.filter(state=State.HELD).order_by("-pk").first()
            shots = {
                "writing-dashboard": "/admin/",
                "writing-editor": f"/admin/blog/post/{post.pk}/change/",
                "writing-revisions": f"/admin/blog/post/{post.pk}/revisions/",
                "moderation-queue": "/admin/comments/blogcomment/",
                "moderation-comment": f"/admin/comments/blogcomment/{held.pk}/change/",
            }
            self.photograph(base, user.get_username(), password, shots)
        finally:
            server.terminate()

    def photographer(self):
        """A superuser of its own, with a new password each run."""
        password = secrets.token_urlsafe(16)
        user, _ = get_user_model().objects.get_or_create(
            username="screenshots",
            defaults={"is_staff": True, "is_superuser": True, "first_name": "Mara"},
        )
        user.set_password(password)
        user.save()
        return user, password

    def post_with_an_image_and_revisions(self, user):
        image = Image.objects.filter(alt=ALT).first() or Image.objects.create(
            file=SimpleUploadedFile("whiteboard.png", whiteboard_png(), "image/png"), alt=ALT
        )
        post = Post.objects.published().order_by("-published_at").first()
        if not revisions.Revision.objects.of(post).saved().exists():
            revisions.record(post, user)
            post.title = f"{post.title} (revised)"
            figure = (
                f'<figure><img src="{image.file.url}" alt="{ALT}">'
                "<figcaption>The plan, three columns wide.</figcaption></figure>"
            )
            post.body = post.body.replace("</p>", f"</p>{figure}", 1)
            post.save()
            revisions.record(post, user)
        return post

    def photograph(self, base, username, password, shots):
        from playwright.sync_api import sync_playwright

        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for width in WIDTHS:
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(base + "/admin/login/")
                page.get_by_label("Username").fill(username)
                page.get_by_label("Password").fill(password)
                page.get_by_role("button", name="Log in").click()
                page.wait_for_url("**/admin/")
                for name, path in shots.items():
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    target = OUT / f"{name}-{width}.png"
                    page.screenshot(path=target, full_page=name != "writing-editor")
                    self.stdout.write(f"{target.relative_to(settings.BASE_DIR)}")
                page.close()
            browser.close()


def whiteboard_png():
    """A picture to place: three columns of coloured notes on white, made here."""
    picture = PILImage.new("RGB", (1600, 900), "white")
    draw = ImageDraw.Draw(picture)
    for column, colour in enumerate(("#f6d55c", "#3caea3", "#ed553b")):
        for row in range(4):
            left, top = 140 + column * 470, 90 + row * 190
            draw.rectangle([left, top, left + 300, top + 140], fill=colour)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()
