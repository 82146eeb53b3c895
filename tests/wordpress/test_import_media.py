"""Attachments come across: from a copy of wp-content/uploads or downloaded from
a local HTTP server the test starts, into the image library; bodies, galleries
and featured images then point at the local copies."""

import io
import ipaddress
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management.base import CommandError
from PIL import Image as PILImage

from blog.models import Image, Post
from tests.wordpress.wxr_files import SITE, counts, import_text, item, wxr
from wordpress import media_files
from wordpress.fetch import Fetcher, Refused, pinned

pytestmark = pytest.mark.django_db


def png(width=40, height=30, color="teal"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


def meta(key, value):
    return (
        f"<wp:postmeta><wp:meta_key><![CDATA[{key}]]></wp:meta_key>"
        f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"
    )


def attachment(wp_id, url, title="A photo", caption="", alt="", parent=1):
    extra = f"<wp:attachment_url>{url}</wp:attachment_url>"
    extra += meta("_wp_attachment_image_alt", alt) if alt else ""
    return item(wp_id, title=title, post_type="attachment", status="inherit", slug=f"a-{wp_id}",
                content="", excerpt=caption, extra=extra, parent=parent)  # fmt: skip


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def local(name):
    return f"/media/uploads/wordpress/old.example.org/{name}"


def test_media_dir_brings_images_and_rewrites_bodies_galleries_and_featured(media_root, tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "2019" / "05").mkdir(parents=True)
    (uploads / "2019" / "05" / "bay.png").write_bytes(png())
    (uploads / "2019" / "05" / "hill.jpg").write_bytes(b"not an image at all")
    body = (
        '[caption id="attachment_11" width="300"]<img src="'
        f'{SITE}/wp-content/uploads/2019/05/bay-300x200.png" alt="" /> The bay[/caption]\n\n'
        f'<a href="https://i0.wp.com/old.example.org/wp-content/uploads/2019/05/bay.png?w=600">big</a>'
        '\n\n<img src="/wp-content/uploads/2019/05/bay-150x150.png" alt="Small">'
        '\n\n<a href="https://other.example.net/wp-content/uploads/2019/05/bay.png">theirs</a>'
        '\n\n[gallery ids="11,12" columns="2"]'
    )
    text = wxr(
        item(1, title="Trip", content=body, extra=meta("_thumbnail_id", "11")),
        attachment(
            11,
            f"{SITE}/wp-content/uploads/2019/05/bay.png",
            title="Bay",
            caption="Evening at the bay",
            alt="A bay at dusk",
        ),
        attachment(12, f"{SITE}/wp-content/uploads/2019/05/hill.jpg", title="Hill"),
        attachment(13, f"{SITE}/wp-content/uploads/2019/05/gone.png", title="Gone"),
    )
    report = import_text(tmp_path, text, "--media-dir", str(uploads))

    image = Image.objects.get()
    assert image.file.name == "uploads/wordpress/old.example.org/2019/05/bay.png"
    assert (image.alt, image.caption, image.width, image.height) == (
        "A bay at dusk", "Evening at the bay", 40, 30
    )  # fmt: skip
    assert (media_root / image.file.name).read_bytes() == png()
    post = Post.objects.get()
    assert post.featured_image == image
    assert "bay-300x200" not in post.body and "wp.com" not in post.body
    assert f'<img src="{local("2019/05/bay.png")}"' in post.body
    assert f'href="{local("2019/05/bay.png")}"' in post.body
    assert f'<img src="{local("2019/05/bay.png")}" alt="Small"' in post.body
    # Another site's upload of the same name is not this one's.
    assert 'href="https://other.example.net/wp-content/uploads/2019/05/bay.png"' in post.body
    # The gallery: a figure for the image brought; the one that is not an image keeps its address.
    gallery = post.body[post.body.index('<div class="gallery gallery-columns-2">') :]
    assert f'src="{local("2019/05/bay.png")}" alt="A bay at dusk"' in gallery
    assert "<figcaption>Evening at the bay</figcaption>" in gallery
    assert f'src="{SITE}/wp-content/uploads/2019/05/hill.jpg" alt="hill"' in gallery
    assert "not brought: not a readable image" in report
    assert "not brought: not in --media-dir (2019/05/gone.png)" in report
    assert counts(report)["media files"] == (1, 0, 0, 2)
    # The summary lists only what still lives on the old host.
    listed = report.split("Attachments to copy")[1]
    assert "bay.png" not in listed and "hill.jpg" in listed

    again = import_text(tmp_path, text, "--media-dir", str(uploads))
    assert Image.objects.count() == 1
    assert counts(again)["media files"][:2] == (0, 0)
    assert counts(again)["posts"] == (0, 0, 1, 0)


def test_media_dir_must_exist(tmp_path):
    with pytest.raises(CommandError, match="--media-dir: no such folder"):
        import_text(tmp_path, wxr(), "--media-dir", str(tmp_path / "nowhere"))


class OldSite(BaseHTTPRequestHandler):
    """The old WordPress host: one good image and each way a download goes wrong."""

    routes = {}
    requests = []

    def do_GET(self):
        self.requests.append(self.path)
        status, headers, body = self.routes.get(
            self.path, (404, {"Content-Type": "text/html"}, b"no")
        )
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def old_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), OldSite)
    port = server.server_address[1]
    uploads = "/wp-content/uploads/2020/01"
    OldSite.requests = []
    image, html = {"Content-Type": "image/png"}, {"Content-Type": "text/html"}
    OldSite.routes = {
        f"{uploads}/good.png": (200, image, png()),
        f"{uploads}/page.png": (200, html, b"<html>login</html>"),
        f"{uploads}/huge.png": (200, image, png(900, 900, "red") + b"0" * 6000),
        # Another private address than the one the test allows, and the cloud's metadata.
        f"{uploads}/moved.png": (
            302,
            {"Location": f"http://127.0.0.2:{port}{uploads}/good.png"},
            b"",
        ),
        f"{uploads}/inside.png": (301, {"Location": "http://169.254.169.254/latest.png"}, b""),
    }
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}{uploads}"
    server.shutdown()
    server.server_close()


def test_fetch_media_downloads_safely_and_a_second_run_fetches_nothing(
    media_root, tmp_path, old_site, settings
):
    settings.MAX_IMAGE_UPLOAD_BYTES = 5000
    names = ("good", "missing", "page", "huge", "moved", "inside")
    ids = ",".join(str(20 + n) for n in range(len(names)))
    body = f'<img src="{old_site}/good-150x150.png" alt="Good">\n\n[gallery ids="{ids}"]'
    text = wxr(
        item(1, title="Fetched", content=body, extra=meta("_thumbnail_id", "20")),
        *(attachment(20 + n, f"{old_site}/{name}.png", title=name) for n, name in enumerate(names)),
    )
    args = ("--fetch-media", "--allow-private-hosts", "127.0.0.1")
    report = import_text(tmp_path, text, *args)

    image = Image.objects.get()
    # Named after the site the export is from, wherever the file was served.
    assert image.file.name == "uploads/wordpress/old.example.org/2020/01/good.png"
    post = Post.objects.get()
    assert post.featured_image == image
    assert (
        f'src="/media/{image.file.name}"' in post.body
        and old_site not in post.body.split("gallery")[0]
    )
    assert "item attachment 21 “missing”: not brought: HTTP 404" in report
    assert (
        "item attachment 22 “page”: not brought: not an image (content type “text/html”)" in report
    )
    assert "item attachment 23 “huge”: not brought: larger than 5,000 bytes" in report
    assert "item attachment 24 “moved”: not brought: 127.0.0.2 is a private address" in report
    assert (
        "item attachment 25 “inside”: not brought: 169.254.169.254 is a private address" in report
    )
    assert counts(report)["media files"] == (1, 0, 0, 5)
    # The redirects were followed no further than the check.
    assert not any(path.startswith("/latest") for path in OldSite.requests)
    assert OldSite.requests.count("/wp-content/uploads/2020/01/good.png") == 1

    again = import_text(tmp_path, text, *args)
    assert OldSite.requests.count("/wp-content/uploads/2020/01/good.png") == 1  # resumed
    assert Image.objects.count() == 1
    assert counts(again)["media files"][:3] == (0, 0, 1)

    # A run rolled back after the download (the image row gone, the file kept).
    Image.objects.all().delete()
    (media_root / image.file.name).write_bytes(png())
    import_text(tmp_path, text, *args)
    assert OldSite.requests.count("/wp-content/uploads/2020/01/good.png") == 1
    assert Image.objects.get().file.name == image.file.name


def test_fetch_media_refuses_private_hosts_unless_named(media_root, tmp_path, old_site):
    text = wxr(attachment(30, f"{old_site}/good.png", title="good", parent=0))
    report = import_text(tmp_path, text, "--fetch-media")
    assert "not brought: 127.0.0.1 is a private address (127.0.0.1); not fetched" in report
    assert OldSite.requests == []
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/a.png", "not an HTTP(S) address"),
        ("http://10.1.2.3/a.png", "10.1.2.3 is a private address"),
        ("http://[::1]/a.png", "::1 is a private address"),
        ("http://169.254.169.254/a.png", "is a private address"),
        ("http://localhost/a.png", "localhost is a private address"),
    ],
)
def test_fetcher_refuses_before_connecting(url, reason):
    with pytest.raises(Refused, match=re.escape(reason)):
        Fetcher(max_bytes=1000, allowed_hosts={"127.0.0.1"}).check_address(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://old.example.org/wp-content/uploads/2019/05/bay.png",
        "https://old.example.org/wp-content/uploads/2019/05/bay-300x200.png",
        "https://old.example.org/wp-content/uploads/2019/05/bay-scaled.png?x=1",
        "//old.example.org/wp-content/uploads/2019/05/bay-1024x768.png",
        "https://i2.wp.com/old.example.org/wp-content/uploads/2019/05/bay.png?resize=300%2C200",
        "https://old.files.wordpress.com/2019/05/bay-150x150.png",
    ],
)
def test_every_size_and_cdn_form_of_an_upload_has_one_key(url):
    assert media_files.key(url) == "2019/05/bay.png"


def test_a_dry_run_brings_no_file(media_root, tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "2019" / "05").mkdir(parents=True)
    (uploads / "2019" / "05" / "bay.png").write_bytes(png())
    text = wxr(attachment(11, f"{SITE}/wp-content/uploads/2019/05/bay.png", parent=0))
    report = import_text(tmp_path, text, "--media-dir", str(uploads), "--dry-run")
    assert not Image.objects.exists() and not media_root.exists()
    assert "media files" not in counts(report)


def test_the_request_goes_to_the_address_that_was_checked():
    url, headers, extensions = pinned(
        "https://old.example.org:8443/a.png?w=1", ipaddress.ip_address("2001:db8::5")
    )
    assert url == "https://[2001:db8::5]:8443/a.png?w=1"
    assert headers["Host"] == "old.example.org:8443"
    assert extensions == {"sni_hostname": "old.example.org"}  # the certificate's name


def test_a_gallery_without_ids_shows_the_posts_attachments_in_id_order(media_root, tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "2019" / "05").mkdir(parents=True)
    for name in ("one", "two"):
        (uploads / "2019" / "05" / f"{name}.png").write_bytes(png())
    text = wxr(
        item(1, title="Album", content="[gallery]"),
        attachment(42, f"{SITE}/wp-content/uploads/2019/05/two.png", title="Two"),
        attachment(41, f"{SITE}/wp-content/uploads/2019/05/one.png", title="One"),
        attachment(43, f"{SITE}/wp-content/uploads/2019/05/other.png", title="Elsewhere", parent=9),
        item(2, title="Empty album", content="Words.\n\n[gallery]"),
    )
    import_text(tmp_path, text, "--media-dir", str(uploads))
    album = Post.objects.get(title="Album").body
    assert album.index(local("2019/05/one.png")) < album.index(local("2019/05/two.png"))
    assert "other.png" not in album and "invalid" not in album
    assert Post.objects.get(title="Empty album").body == "<p>Words.</p>"
    again = import_text(tmp_path, text, "--media-dir", str(uploads))
    assert counts(again)["posts"] == (0, 0, 2, 0)
