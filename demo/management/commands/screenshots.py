"""`make screenshots`: the README's pictures of the reader's pages and of the author's
and the moderators' desks.

Runs against the configured database (the Makefile points it at a scratch SQLite
file and media folder), seeds the demo blog, writes a post with an uploaded image
and two revisions, gives the newest posts featured images, serves the site in this
process and photographs it with Debian's chromium into docs/screenshots/: the
reader's pages at 1280 px, 390 px and 1280 px in dark mode (the window only, to keep
the files small), the desks at 1280 and 390 px. Needs the dev packages (Playwright)
and DEBUG on (static files by their plain names).
"""

import io
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from PIL import Image as PILImage
from PIL import ImageDraw

from blog import revisions
from blog.models import Image, Post
from comments.models import BlogComment, State
from demo.live import chromium, served_site
from series.models import GuideVolume, SeriesPart

OUT = Path(settings.BASE_DIR) / "docs" / "screenshots"
WIDTHS = (1280, 390)
# The reader's pictures: desktop, phone, and desktop in dark mode.
READER_VIEWS = (("1280", 1280, "light"), ("390", 390, "light"), ("dark", 1280, "dark"))
ALT = "A whiteboard with three columns of sticky notes"
FEATURED = (
    ("#2f5d62", "#f6d55c", "Dusk over a harbour: a teal sky and a yellow sun"),
    ("#5e3c58", "#f2a365", "A violet hillside under an orange moon"),
    ("#283c63", "#e0e4cc", "A night-blue field under a pale moon"),
)


class Command(BaseCommand):
    help = "Photograph the author's and moderators' desks into docs/screenshots/."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Run with DEBUG=1 (make screenshots does), for plain static names.")
        call_command("seed_demo", stdout=io.StringIO())
        user, password = self.photographer()
        post = self.post_with_an_image_and_revisions(user)
        give_featured_images()
        with served_site() as base, chromium() as browser:
            self.photograph_reader(browser, base, post)
            held = BlogComment.objects.filter(state=State.HELD).order_by("-pk").first()
            shots = {
                "writing-dashboard": "/admin/",
                "writing-editor": f"/admin/blog/post/{post.pk}/change/",
                "writing-revisions": f"/admin/blog/post/{post.pk}/revisions/",
                "moderation-queue": "/admin/comments/blogcomment/",
                "moderation-comment": f"/admin/comments/blogcomment/{held.pk}/change/",
            }
            self.photograph(browser, base, user.get_username(), password, shots)

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

    def photograph_reader(self, browser, base, post):
        """As an anonymous reader sees them: the top of each page, and the discussion."""
        part = SeriesPart.objects.filter(post__in=Post.objects.published()).order_by("number")
        volume = GuideVolume.objects.filter(number__gt=1).order_by("guide", "number").first()
        shots = {
            "reader-home": "/",
            "reader-post": post.get_absolute_url(),
            "reader-comments": post.get_absolute_url() + "#comments",
            "reader-series-part": part[1].post.get_absolute_url(),
            "reader-guide-volume": volume.get_absolute_url(),
        }
        for suffix, width, scheme in READER_VIEWS:
            context = browser.new_context(
                viewport={"width": width, "height": 900}, color_scheme=scheme
            )
            page = context.new_page()
            for name, path in shots.items():
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                self.save(page, f"{name}-{suffix}.png", full_page=False)
            context.close()

    def photograph(self, browser, base, username, password, shots):
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
                self.save(page, f"{name}-{width}.png", full_page=name != "writing-editor")
            page.close()

    def save(self, page, name, full_page):
        OUT.mkdir(parents=True, exist_ok=True)
        target = OUT / name
        picture = PILImage.open(io.BytesIO(page.screenshot(full_page=full_page))).convert("RGB")
        # 256 colours without dithering: a third of the bytes, text as sharp.
        picture.quantize(256, PILImage.Quantize.FASTOCTREE, dither=PILImage.Dither.NONE).save(
            target, optimize=True
        )
        self.stdout.write(f"{target.relative_to(settings.BASE_DIR)}")


def give_featured_images():
    """The newest posts get a picture each (made here), as an author would add."""
    posts = Post.objects.published().order_by("-published_at")[: len(FEATURED)]
    for post, (sky, sun, alt) in zip(posts, FEATURED, strict=False):
        if post.featured_image_id:
            continue
        picture = SimpleUploadedFile(f"featured-{post.pk}.png", landscape_png(sky, sun))
        image = Image.objects.create(file=picture, alt=alt)
        Post.objects.filter(pk=post.pk).update(featured_image=image)


def landscape_png(sky, sun):
    picture = PILImage.new("RGB", (1600, 900), sky)
    draw = ImageDraw.Draw(picture)
    draw.ellipse([1050, 160, 1350, 460], fill=sun)
    hills = [(0, 900), (0, 620), (500, 480), (1000, 640), (1600, 520), (1600, 900)]
    draw.polygon(hills, fill="#1b1b1b")
    return png_bytes(picture)


def whiteboard_png():
    """A picture to place: three columns of coloured notes on white, made here."""
    picture = PILImage.new("RGB", (1600, 900), "white")
    draw = ImageDraw.Draw(picture)
    for column, colour in enumerate(("#f6d55c", "#3caea3", "#ed553b")):
        for row in range(4):
            left, top = 140 + column * 470, 90 + row * 190
            draw.rectangle([left, top, left + 300, top + 140], fill=colour)
    return png_bytes(picture)


def png_bytes(picture):
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()
