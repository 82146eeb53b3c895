"""Images: uploads from the editor, responsive copies, bodies and featured images."""

import io
import re
from datetime import timedelta

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image as PILImage

from blog.images import WIDTHS
from blog.models import Image, Post, Status
from tests.factories import ImageFactory, PostFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
UPLOAD = "/admin/blog/image/upload/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


def picture(size=(40, 30), fmt="PNG", mode="RGB", noisy=False):
    image = PILImage.new(mode, size, "teal")
    if noisy:  # detail, so that encodings differ in size as real photos do
        image = PILImage.effect_noise(size, 64).convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def upload(name="chart.png", data=None, content_type="image/png"):
    return SimpleUploadedFile(name, picture() if data is None else data, content_type)


# --- The upload endpoint --------------------------------------------------------


def test_upload_endpoint_stores_the_image_and_answers_json(admin_client, media):
    response = admin_client.post(
        UPLOAD, {"file": upload(), "alt": "A chart of sales", "caption": "Sales, 2024"}
    )
    assert response.status_code == 201
    data = response.json()
    image = Image.objects.get()
    assert data == {
        "id": image.pk,
        "url": image.file.url,
        "alt": "A chart of sales",
        "caption": "Sales, 2024",
        "width": 40,
        "height": 30,
    }
    assert data["url"].startswith("/media/uploads/")
    assert (media / image.file.name).exists()


def test_upload_of_a_too_large_image_says_so_and_saves_nothing(admin_client, settings, media):
    settings.MAX_IMAGE_UPLOAD_BYTES = 100
    response = admin_client.post(UPLOAD, {"file": upload(data=picture((200, 200))), "alt": "x"})
    assert response.status_code == 400
    assert "the limit is 100" in response.json()["error"]
    assert not Image.objects.exists()
    assert not any(media.rglob("*.*"))


def test_upload_of_something_else_than_an_image_says_so(admin_client, media):
    fake = upload("evil.png", b"<script>alert(1)</script>")
    response = admin_client.post(UPLOAD, {"file": fake, "alt": "x"})
    assert response.status_code == 400
    assert "Upload a valid image" in response.json()["error"]
    assert not Image.objects.exists()


def test_upload_with_a_forbidden_extension_is_refused(admin_client):
    response = admin_client.post(UPLOAD, {"file": upload("chart.svg"), "alt": "x"})
    assert response.status_code == 400
    assert "extension" in response.json()["error"]
    assert not Image.objects.exists()


def test_upload_without_alt_text_asks_for_it(admin_client):
    response = admin_client.post(UPLOAD, {"file": upload(), "alt": "  "})
    assert response.status_code == 400
    assert response.json()["error"].startswith("Describe the image")
    assert not Image.objects.exists()


def test_upload_is_refused_to_readers_and_to_staff_without_permission(client):
    assert client.post(UPLOAD, {"file": upload(), "alt": "x"}).status_code == 302  # to login
    client.force_login(UserFactory(username="reader"))
    assert client.post(UPLOAD, {"file": upload(), "alt": "x"}).status_code == 302
    client.force_login(StaffFactory(username="moderator-ish"))
    response = client.post(UPLOAD, {"file": upload(), "alt": "x"})
    assert response.status_code == 403
    assert response.json()["error"] == "You may not upload images."
    assert not Image.objects.exists()


def test_upload_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    assert client.post(UPLOAD, {"file": upload(), "alt": "x"}).status_code == 403
    assert not Image.objects.exists()
    client.get("/admin/blog/image/add/")  # sets the CSRF cookie, as the editor's page does
    token = client.cookies["csrftoken"].value
    response = client.post(UPLOAD, {"file": upload(), "alt": "x"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


def test_upload_answers_only_posts(admin_client):
    assert admin_client.get(UPLOAD).status_code == 405


# --- Responsive copies -------------------------------------------------------------


def test_copies_at_each_width_below_the_original_never_upscaled(media):
    image = ImageFactory(file__width=1200, file__height=800)
    widths = [(entry["width"], entry["height"]) for entry in image.renditions["widths"]]
    assert widths == [(480, 320), (960, 640), (1200, 800)]
    for entry in image.renditions["widths"]:
        with PILImage.open(media / entry["name"]) as copy:
            assert copy.size == (entry["width"], entry["height"])
            assert copy.format == "JPEG"
        assert entry["name"].startswith(image.file.name.rsplit(".", 1)[0])  # beside it


def test_a_small_image_is_not_enlarged(media):
    image = ImageFactory(file__width=300, file__height=200, file__format="PNG")
    assert [e["width"] for e in image.renditions["widths"]] == [300]
    assert [(e["width"], e["height"]) for e in image.renditions["wide"]] == [(300, 168)]


def test_a_very_large_image_stops_at_the_largest_width(media):
    image = ImageFactory(file__width=2000, file__height=1000)
    assert [e["width"] for e in image.renditions["widths"]] == list(WIDTHS)


def test_wide_crops_are_16_by_9(media):
    image = ImageFactory(file__width=1000, file__height=1000)
    for entry in image.renditions["wide"]:
        with PILImage.open(media / entry["name"]) as crop:
            assert crop.size == (entry["width"], entry["height"])
            assert abs(crop.width / crop.height - 16 / 9) < 0.02


def test_webp_copies_are_kept_only_when_smaller(media):
    noisy = ImageFactory(file__from_func=lambda: io.BytesIO(picture((600, 400), "PNG", noisy=True)))
    for entry in noisy.renditions["widths"]:
        if entry["webp"]:
            assert entry["webp"]["bytes"] < entry["bytes"]
            assert (media / entry["webp"]["name"]).exists()
    assert any(entry["webp"] for entry in noisy.renditions["widths"])


def test_an_animated_gif_keeps_its_frames_and_gets_no_copies(media):
    frames = [PILImage.new("RGB", (50, 50), color) for color in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    gif = buffer.getvalue()
    image = ImageFactory(file__from_func=lambda: io.BytesIO(gif), file__filename="a.gif")
    assert image.renditions["widths"] == [] and image.renditions["wide"] == []
    assert image.card["type"] == "image/gif"


def test_deleting_an_image_deletes_its_copies(media):
    image = ImageFactory(file__width=1000, file__height=600)
    names = [entry["name"] for entry in image.renditions["widths"]]
    image.delete()
    assert not any((media / name).exists() for name in names)


# --- Bodies ------------------------------------------------------------------------


def figure(image, alt="A teal rectangle"):
    return f'<figure><img src="{image.file.url}" alt="{alt}"><figcaption>Teal</figcaption></figure>'


def test_body_images_get_srcset_size_and_lazy_loading_except_the_first(media):
    first, second = ImageFactory(), ImageFactory(file__width=800, file__height=600)
    post = PostFactory(body=figure(first) + "<p>Between</p>" + figure(second))
    imgs = re.findall(r"<img [^>]*>", post.body)
    assert len(imgs) == 2
    assert 'width="1200" height="800"' in imgs[0] and 'loading="lazy"' not in imgs[0]
    assert 'width="800" height="600"' in imgs[1] and 'loading="lazy"' in imgs[1]
    for img, image in zip(imgs, (first, second), strict=True):
        assert 'sizes="(max-width: 44rem) 100vw, 42rem"' in img
        srcset = re.search(r'srcset="([^"]*)"', img).group(1)
        for entry in image.renditions["widths"]:
            assert f"/media/{entry['name']} {entry['width']}w" in srcset
    # Saved again (as the editor sends it back, without our markup), it is the same.
    body = post.body
    post.body = figure(first) + "<p>Between</p>" + figure(second)
    post.save()
    assert post.body == body
    post.save()
    assert post.body == body


def test_public_post_page_shows_the_responsive_body(client, media):
    image = ImageFactory()
    post = PostFactory(body=figure(image))
    html = client.get(post.get_absolute_url()).content.decode()
    assert f'src="{image.file.url}"' in html
    assert 'srcset="/media/' in html and 'width="1200"' in html


def test_webp_copies_are_offered_in_a_picture(media):
    jpeg = picture((600, 400), "JPEG", noisy=True)
    image = ImageFactory(file__from_func=lambda: io.BytesIO(jpeg))
    image.renditions["widths"] = [
        {**entry, "webp": entry["webp"] or {"name": entry["name"], "bytes": 1}}
        for entry in image.renditions["widths"]
    ]
    image.save()
    post = PostFactory(body=figure(image))
    assert re.search(
        r'<picture><source type="image/webp" srcset="[^"]+ 480w, [^"]+ 600w" sizes="[^"]+">'
        r"<img [^>]*></picture>",
        post.body,
    )


def test_images_from_elsewhere_only_get_lazy_loading(media):
    post = PostFactory(
        body='<p><img src="https://elsewhere.example/a.png" alt="a"></p>'
        '<p><img src="https://elsewhere.example/b.png" alt="b"></p>'
    )
    assert "srcset" not in post.body
    assert post.body.count('loading="lazy"') == 1


def test_sanitiser_keeps_the_responsive_attributes_and_drops_the_rest():
    from blog.sanitizer import sanitize_html

    html = (
        '<picture><source type="image/webp" srcset="/a.webp 480w" sizes="100vw" onerror="x()">'
        '<img src="/a.jpg" alt="a" srcset="/a.jpg 480w" sizes="100vw" width="4" height="3" '
        'loading="lazy" onload="x()"></picture>'
    )
    clean = sanitize_html(html)
    assert "onerror" not in clean and "onload" not in clean
    for kept in ('srcset="/a.webp 480w"', 'type="image/webp"', 'loading="lazy"', 'width="4"'):
        assert kept in clean


def test_existing_bodies_are_updated_by_the_command(media):
    image = ImageFactory()
    post = PostFactory(body="<p>old</p>")
    old_body = figure(image)
    Post.objects.filter(pk=post.pk).update(body=old_body)  # as stored before
    Image.objects.filter(pk=image.pk).update(renditions={})  # uploaded before copies existed
    updated_at = Post.objects.get(pk=post.pk).updated_at
    call_command("responsive_images", stdout=io.StringIO())
    post.refresh_from_db()
    assert "srcset=" in post.body and 'width="1200"' in post.body
    assert post.updated_at == updated_at
    assert Image.objects.get(pk=image.pk).renditions["widths"]
    out = io.StringIO()
    call_command("responsive_images", stdout=out)
    assert "Bodies: 0 updated." in out.getvalue()


# --- Alt text before publishing --------------------------------------------------


def test_publishing_with_an_image_without_alt_text_names_it(admin_client, media):
    image = ImageFactory()
    data = {
        "title": "With a picture",
        "slug": "with-a-picture",
        "body": figure(image, alt=""),
        "excerpt": "",
        "status": Status.PUBLISHED,
        "published_at_0": "2020-01-02",
        "published_at_1": "10:00:00",
        "author": UserFactory(username="writer").pk,
        "comments_open": "on",
    }
    response = admin_client.post("/admin/blog/post/add/", data)
    assert response.status_code == 200
    errors = str(response.context["adminform"].form.errors["body"])
    assert image.file.name.rsplit("/", 1)[1] in errors and "Describe every image" in errors
    assert not Post.objects.exists()
    # As a draft it is kept, so no work is lost.
    response = admin_client.post("/admin/blog/post/add/", {**data, "status": Status.DRAFT})
    assert response.status_code == 302
    assert Post.objects.get().status == Status.DRAFT


# --- Featured image ---------------------------------------------------------------


def test_featured_image_in_the_page_og_tags_and_json_ld(client, media, settings):
    image = ImageFactory(alt="The harbour at dawn")
    post = PostFactory(featured_image=image)
    html = client.get(post.get_absolute_url()).content.decode()
    crop = image.renditions["wide"][-1]
    url = f"{settings.SITE_URL}/media/{crop['name']}"
    assert f'<meta property="og:image" content="{url}">' in html
    assert f'<meta property="og:image:width" content="{crop["width"]}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'<meta name="twitter:image" content="{url}">' in html
    assert '<meta property="og:image:alt" content="The harbour at dawn">' in html
    assert f'"image": {{"@type": "ImageObject", "url": "{url}"' in html
    assert re.search(r'<figure class="featured-image">.*alt="The harbour at dawn"', html)


def test_featured_alt_text_can_be_overridden(client, media):
    post = PostFactory(featured_image=ImageFactory(alt="Generic"), featured_image_alt="Specific")
    html = client.get(post.get_absolute_url()).content.decode()
    assert 'alt="Specific"' in html and 'alt="Generic"' not in html


def test_without_featured_image_the_card_stays_small(client):
    html = client.get(PostFactory().get_absolute_url()).content.decode()
    assert '<meta name="twitter:card" content="summary">' in html
    assert "og:image" not in html


def test_featured_image_on_listings_first_eager_then_lazy(client, media):
    image = ImageFactory()
    for days in (1, 2):
        PostFactory(featured_image=image, published_at=timezone.now() - timedelta(days=days))
    html = client.get("/").content.decode()
    featured = re.findall(r'<figure class="featured-image">.*?</figure>', html)
    assert len(featured) == 2
    assert 'loading="lazy"' not in featured[0] and 'loading="lazy"' in featured[1]
    assert f"/media/{image.renditions['wide'][0]['name']} 480w" in featured[0]


def test_featured_image_as_feed_enclosure(client, media, settings):
    image = ImageFactory()
    PostFactory(featured_image=image)
    crop = image.renditions["wide"][-1]
    rss = feedparser.parse(client.get("/feed/").content)
    enclosure = rss.entries[0].enclosures[0]
    url = f"{settings.SITE_URL}/media/{crop['name']}"
    assert enclosure.href == url
    assert int(enclosure.length) == crop["bytes"] == (media / crop["name"]).stat().st_size
    assert enclosure.type == "image/jpeg"
    atom = client.get("/feed/atom/").content.decode()
    assert f'href="{url}" length="{crop["bytes"]}" rel="enclosure" type="image/jpeg"' in atom


def listing_queries(client, url):
    client.get(url)  # per-process caches (the Site record) fill on the first request
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/", "/feed/", "/feed/atom/"])
def test_listing_queries_do_not_grow_with_featured_images(client, media, url, settings):
    settings.PAGE_CACHE = False
    image = ImageFactory()
    PostFactory(featured_image=image)
    few = listing_queries(client, url)
    for _ in range(6):
        PostFactory(featured_image=ImageFactory())
    assert listing_queries(client, url) == few


# --- The picker ----------------------------------------------------------------------


def test_picker_lists_searches_and_pages_in_constant_queries(admin_client, media):
    ImageFactory(alt="A lighthouse", file__width=600, file__height=400)
    admin_client.get("/admin/blog/image/picker/")  # the session and the user, once

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(url)
        assert response.status_code == 200
        return len(captured), response.content.decode()

    few, html = count("/admin/blog/image/picker/?CKEditorFuncNum=-1")
    assert "A lighthouse" in html and 'data-url="/media/uploads/' in html
    for n in range(30):
        ImageFactory(alt=f"Harbour {n}", file__width=60, file__height=40)
    many, html = count("/admin/blog/image/picker/?CKEditorFuncNum=-1")
    assert many == few
    assert "Page 1 of 2" in html and "CKEditorFuncNum=-1&amp;page=2" in html
    _, html = count("/admin/blog/image/picker/?q=lighthouse")
    assert "A lighthouse" in html and "Harbour" not in html


def test_picker_is_for_staff_only(client):
    response = client.get("/admin/blog/image/picker/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
