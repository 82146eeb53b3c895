"""Authors' profiles: the name, bio and picture readers see, and who may edit them."""

import io
import json
import re

import feedparser
import pytest
from django.contrib.auth.models import Permission
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage

from blog.authors import display_name
from blog.models import AVATAR_SIZE, AuthorProfile
from tests.factories import AuthorProfileFactory, PostFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def picture(size=(300, 200), fmt="PNG", mode="RGB", name="me.png"):
    buffer = io.BytesIO()
    PILImage.new(mode, size, "teal").save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.fixture
def mara(db):
    """An author with a profile, a picture and a published post."""
    user = StaffFactory(username="mara", first_name="Mara", last_name="L")
    profile = AuthorProfile(
        user=user,
        display_name="Mara Lindqvist",
        bio="Writes about careers.\n\nLives by the sea & <b>likes</b> boats.",
        website="https://mara.example.org/",
        avatar=picture(),
    )
    profile.save()
    PostFactory(author=user, title="Mara's post", slug="maras-post")
    return user


# The one helper ----------------------------------------------------------------------


def test_display_name_prefers_the_profile_then_the_full_name_then_the_username():
    user = UserFactory(username="admin", first_name="", last_name="")
    assert display_name(user) == "admin"
    user.first_name, user.last_name = "Ada", "Lovelace"
    user.save()
    assert display_name(user) == "Ada Lovelace"
    AuthorProfile.objects.create(user=user, display_name="  ")
    user.refresh_from_db()
    assert display_name(user) == "Ada Lovelace"  # a blank display name does not count
    AuthorProfile.objects.filter(user=user).update(display_name="Countess of Lovelace")
    user = type(user).objects.get(pk=user.pk)
    assert display_name(user) == "Countess of Lovelace"


# Every place readers meet the name ----------------------------------------------------


def test_listings_and_the_post_page_name_the_author_by_display_name(client, mara):
    post = mara.posts.get()
    for url in ["/", "/search/?q=post", f"/{post.published_at:%Y}/", post.get_absolute_url()]:
        page = client.get(url).content.decode()
        assert 'rel="author">Mara Lindqvist</a>' in page, url


def test_author_page_shows_name_picture_bio_and_website(client, mara):
    response = client.get("/author/mara/")
    page = response.content.decode()
    assert '<h1 class="page-heading">Mara Lindqvist</h1>' in page
    assert "<title>Mara Lindqvist — " in page
    profile = mara.profile
    assert f'src="{profile.avatar_square.url}"' in page
    # Plain text, escaped, paragraphs kept.
    assert "<p>Writes about careers.</p>" in page
    assert "Lives by the sea &amp; &lt;b&gt;likes&lt;/b&gt; boats." in page
    assert '<a href="https://mara.example.org/" rel="me">mara.example.org/</a>' in page
    assert 'title="Posts by Mara Lindqvist (RSS)"' in page
    assert "Mara&#x27;s post" in page or "Mara's post" in page


def test_author_page_without_a_profile_still_names_the_author(client):
    PostFactory(author=UserFactory(username="plain", first_name="", last_name=""))
    page = client.get("/author/plain/").content.decode()
    assert '<h1 class="page-heading">plain</h1>' in page
    assert 'class="avatar"' not in page


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/", "/author/mara/feed/"])
def test_feeds_name_the_author_by_display_name(client, mara, url):
    feed = feedparser.parse(client.get(url).content)
    assert feed.entries[0].author == "Mara Lindqvist"
    if url.startswith("/author/"):
        assert feed.feed.title.endswith("Mara Lindqvist")


def test_atom_feed_links_the_author_page(client, mara):
    feed = feedparser.parse(client.get("/feed/atom/").content)
    assert feed.entries[0].author_detail.href == "http://127.0.0.1:8000/author/mara/"


def test_json_ld_author_has_name_url_and_picture(client, mara):
    page = client.get(mara.posts.get().get_absolute_url()).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    posting = json.loads(blocks[0])[0]
    assert posting["author"] == {
        "@type": "Person",
        "name": "Mara Lindqvist",
        "url": "http://127.0.0.1:8000/author/mara/",
        "image": "http://127.0.0.1:8000" + mara.profile.avatar_square.url,
        "sameAs": "https://mara.example.org/",
    }


def test_comment_form_greets_a_logged_in_author_by_display_name(client, mara):
    client.force_login(mara)
    page = client.get(mara.posts.get().get_absolute_url()).content.decode()
    assert "Logged in as Mara Lindqvist." in page


# Editing: one's own at /admin/profile/, anyone's only as a superuser --------------------


def test_user_tools_link_to_the_profile_beside_change_password(client):
    client.force_login(StaffFactory())
    page = client.get("/admin/").content.decode()
    assert re.search(r'href="/admin/profile/">Your profile</a> /\s*<a href="/admin/password', page)


def test_staff_author_creates_and_edits_their_own_profile(client, media):
    writer = StaffFactory(username="writer")
    client.force_login(writer)
    assert client.get("/admin/profile/").status_code == 200
    response = client.post(
        "/admin/profile/",
        {
            "display_name": "The Writer",
            "bio": "Short.",
            "website": "https://writer.example/",
            "avatar": picture((400, 300)),
        },
    )
    assert response.status_code == 302 and response["Location"] == "/admin/profile/"
    profile = AuthorProfile.objects.get(user=writer)
    assert (profile.display_name, profile.bio) == ("The Writer", "Short.")
    assert (profile.avatar_width, profile.avatar_height) == (400, 300)
    with PILImage.open(media / profile.avatar_square.name) as square:
        assert square.size == (AVATAR_SIZE, AVATAR_SIZE)
    page = client.get("/admin/profile/").content.decode()
    assert "Your profile was saved." in page
    assert 'value="The Writer"' in page


def test_the_profile_page_edits_only_the_signed_in_user(client, mara):
    intruder = StaffFactory(username="intruder")
    client.force_login(intruder)
    page = client.get(f"/admin/profile/?user={mara.pk}").content.decode()
    assert 'value="Mara Lindqvist"' not in page
    client.post(
        f"/admin/profile/?user={mara.pk}",
        {"user": mara.pk, "display_name": "Hacked", "bio": "", "website": ""},
    )
    mara.profile.refresh_from_db()
    assert mara.profile.display_name == "Mara Lindqvist"
    assert AuthorProfile.objects.get(user=intruder).display_name == "Hacked"


def test_readers_and_logged_out_visitors_cannot_reach_the_profile_page(client):
    response = client.get("/admin/profile/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(UserFactory(is_staff=False))
    response = client.post("/admin/profile/", {"display_name": "Me"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not AuthorProfile.objects.exists()


def user_change_data(user, **profile):
    """What the user admin's change form posts, with the profile inline."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "date_joined_0": "2020-01-01",
        "date_joined_1": "10:00:00",
        "initial-date_joined_0": "2020-01-01",
        "initial-date_joined_1": "10:00:00",
        "profile-TOTAL_FORMS": "1",
        "profile-INITIAL_FORMS": "1" if AuthorProfile.objects.filter(user=user).exists() else "0",
        "profile-MIN_NUM_FORMS": "0",
        "profile-MAX_NUM_FORMS": "1",
        "profile-0-user": user.pk,
        "profile-0-website": "",
        "profile-0-bio": "",
    }
    data.update({f"profile-0-{key}": value for key, value in profile.items()})
    return data


def test_a_superuser_edits_anyones_profile_in_the_user_admin(client, mara):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    url = f"/admin/auth/user/{mara.pk}/change/"
    assert "Mara Lindqvist" in client.get(url).content.decode()
    response = client.post(url, user_change_data(mara, display_name="Mara L."))
    assert response.status_code == 302, response.content.decode()[:3000]
    mara.profile.refresh_from_db()
    assert mara.profile.display_name == "Mara L."


def test_staff_who_may_change_users_still_cannot_change_their_profiles(client, mara):
    manager = StaffFactory(username="manager")
    manager.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user"])
    )
    client.force_login(manager)
    url = f"/admin/auth/user/{mara.pk}/change/"
    page = client.get(url).content.decode()
    assert "Mara Lindqvist" not in page and "profile-TOTAL_FORMS" not in page
    client.post(url, user_change_data(mara, display_name="Changed by a manager"))
    mara.profile.refresh_from_db()
    assert mara.profile.display_name == "Mara Lindqvist"


# The picture: checked by Pillow, size-limited, no data lost when refused --------------


def test_an_oversized_picture_is_refused_with_its_size_and_nothing_is_lost(client, mara, settings):
    settings.MAX_IMAGE_UPLOAD_BYTES = 100
    client.force_login(mara)
    response = client.post(
        "/admin/profile/",
        {"display_name": "New name", "bio": "New bio", "website": "", "avatar": picture()},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please correct the error below." in page
    assert "the limit is 100\xa0bytes" in page
    assert 'value="New name"' in page and "New bio" in page  # what was typed stays
    profile = AuthorProfile.objects.get(user=mara)
    assert profile.display_name == "Mara Lindqvist"
    assert profile.avatar_square  # the old picture is kept


def test_a_file_that_is_not_a_picture_is_refused_clearly(client, mara):
    client.force_login(mara)
    fake = SimpleUploadedFile("me.png", b"<script>alert(1)</script>", content_type="image/png")
    response = client.post(
        "/admin/profile/",
        {"display_name": "Mara", "bio": "", "website": "", "avatar": fake},
    )
    assert response.status_code == 200
    assert "Upload a valid image." in response.content.decode()
    assert AuthorProfile.objects.get(user=mara).display_name == "Mara Lindqvist"


def test_a_website_must_be_a_web_address(client, mara):
    client.force_login(mara)
    response = client.post(
        "/admin/profile/",
        {"display_name": "Mara", "bio": "", "website": "javascript:alert(1)"},
    )
    assert "Enter a valid URL." in response.content.decode()
    assert AuthorProfile.objects.get(user=mara).website == "https://mara.example.org/"


def test_a_transparent_picture_keeps_its_transparency_in_the_square(mara, media):
    profile = mara.profile
    profile.avatar = picture((100, 300), mode="RGBA", name="round.png")
    profile.save()
    with PILImage.open(media / profile.avatar_square.name) as square:
        assert square.format == "PNG" and square.mode == "RGBA"
        assert square.size == (AVATAR_SIZE, AVATAR_SIZE)


def test_clearing_the_picture_removes_the_square(client, mara):
    client.force_login(mara)
    client.post(
        "/admin/profile/",
        {"display_name": "Mara", "bio": "", "website": "", "avatar-clear": "on"},
    )
    profile = AuthorProfile.objects.get(user=mara)
    assert not profile.avatar and not profile.avatar_square


# Query counts: naming many authors costs nothing per post -----------------------------


def count_queries(client, url):
    cache.clear()
    Site.objects.get_current()  # a per-process cache, not a per-request query
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url", ["/", "/search/?q=words", "/feed/", "/feed/atom/", "/author/a0/", "/author/a0/feed/"]
)
def test_listing_queries_do_not_grow_with_authors_and_their_profiles(client, url, settings):
    settings.PAGE_CACHE = False

    def add_authors(start, stop):
        for n in range(start, stop):
            author = AuthorProfileFactory(user=UserFactory(username=f"a{n}"), avatar=picture())
            PostFactory.create_batch(2, author=author.user, body="<p>Some words.</p>")
            PostFactory(author=UserFactory(username=f"plain{n}"))  # an author without one

    add_authors(0, 2)
    small = count_queries(client, url)
    add_authors(2, 6)
    assert count_queries(client, url) == small
