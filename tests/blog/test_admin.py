"""Authoring in the admin: writing, previewing and uploading images."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from blog.models import Image, Post
from tests.factories import CategoryFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


def png_bytes(size=(8, 8)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "teal").save(buffer, "PNG")
    return buffer.getvalue()


def test_author_writes_a_post_in_the_admin_and_it_is_sanitised(admin_client):
    category = CategoryFactory()
    response = admin_client.get("/admin/blog/post/add/")
    assert response.status_code == 200
    assert "prose-editor" in response.content.decode()
    response = admin_client.post(
        "/admin/blog/post/add/",
        {
            "title": "Written in the admin",
            "slug": "written-in-the-admin",
            "body": '<p>Hello <img src=x alt="x" onerror="alert(1)"></p><script>bad()</script>',
            "excerpt": "",
            "status": "published",
            "published_at_0": "2020-01-02",
            "published_at_1": "10:00:00",
            "author": response.wsgi_request.user.pk,
            "comments_open": "on",
            "categories": [category.pk],
            # Nothing of the series app's inlines: the blog's form works without them.
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get(slug="written-in-the-admin")
    assert "onerror" not in post.body and "script" not in post.body
    assert post.is_public


def test_admin_preview_link_for_a_draft(admin_client):
    draft = PostFactory(draft=True, title="Draft to preview")
    listing = admin_client.get("/admin/blog/post/").content.decode()
    assert f'href="{draft.get_absolute_url()}">Preview</a>' in listing
    assert admin_client.get(draft.get_absolute_url()).status_code == 200


def test_publish_action(admin_client):
    draft = PostFactory(draft=True)
    admin_client.post(
        "/admin/blog/post/", {"action": "publish_now", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.is_public


def test_image_upload_stores_the_file_and_its_size(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("chart.png", png_bytes((40, 30)), content_type="image/png")
    response = admin_client.post("/admin/blog/image/add/", {"file": upload, "alt": "A chart"})
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (40, 30)
    assert (tmp_path / image.file.name).exists()
    assert image.file.url.startswith("/media/uploads/")


def test_image_upload_refuses_what_is_not_an_image(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("evil.png", b"<script>alert(1)</script>", content_type="image/png")
    response = admin_client.post("/admin/blog/image/add/", {"file": fake, "alt": "x"})
    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
    assert not Image.objects.exists()


def test_image_upload_refuses_an_oversized_file(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MAX_IMAGE_UPLOAD_BYTES = 100
    upload = SimpleUploadedFile("big.png", png_bytes((200, 200)), content_type="image/png")
    response = admin_client.post("/admin/blog/image/add/", {"file": upload, "alt": "x"})
    assert response.status_code == 200
    assert "the limit is 100" in response.content.decode()
    assert not Image.objects.exists()


def test_admin_requires_login(client):
    response = client.get("/admin/blog/post/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
