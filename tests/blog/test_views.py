"""Every reader URL over real HTTP through the test client."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import Status
from tests.factories import (
    CategoryFactory,
    PageFactory,
    PostFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed():
    """A published post and an unpublished twin of each kind, filed alike."""
    author = UserFactory(username="writer", first_name="Wen", last_name="Writer")
    category, tag = CategoryFactory(slug="leadership", name="Leadership"), TagFactory(slug="teams")
    when = datetime(2013, 9, 8, 12, tzinfo=UTC)
    public = PostFactory(
        title="Visible post", slug="visible", author=author, published_at=when,
        categories=[category], tags=[tag],
    )  # fmt: skip
    draft = PostFactory(
        title="Secret draft", slug="draft", author=author, draft=True,
        categories=[category], tags=[tag],
    )  # fmt: skip
    scheduled = PostFactory(
        title="Future plans", slug="future", author=author, scheduled=True,
        categories=[category], tags=[tag],
    )  # fmt: skip
    return public, draft, scheduled


LISTINGS = [
    "/",
    "/category/leadership/",
    "/tag/teams/",
    "/author/writer/",
    "/2013/",
    "/2013/09/",
    "/2013/09/08/",
    "/search/?q=post",
]


@pytest.mark.parametrize("url", LISTINGS)
def test_listings_show_published_posts_only(client, filed, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Visible post" in html
    assert "Secret draft" not in html
    assert "Future plans" not in html


def test_home_paginates_newest_first(client, settings):
    now = timezone.now()
    for day in range(12):
        PostFactory(title=f"Day {day:02d}", published_at=now - timedelta(days=day + 1))
    first = client.get("/").content.decode()
    assert first.index("Day 00") < first.index("Day 09")
    assert "Day 10" not in first
    second = client.get("/?page=2")
    assert "Day 11" in second.content.decode()
    assert client.get("/?page=99").status_code == 404
    assert client.get("/?page=abc").status_code == 404


def test_post_page_shows_title_meta_body_and_tags(client, filed):
    response = client.get("/2013/09/08/visible/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Visible post</h1>" in html
    assert 'Posted in <a href="/category/leadership/" rel="category tag">Leadership</a>' in html
    assert 'by <a href="/author/writer/" rel="author">Wen Writer</a> on' in html
    assert "September 8, 2013" in html
    assert "<p>Some words worth reading.</p>" in html
    assert 'href="/tag/teams/"' in html


def test_post_with_a_wrong_date_redirects_to_its_permalink(client, filed):
    response = client.get("/2014/01/01/visible/")
    assert response.status_code == 301
    assert response["Location"] == "/2013/09/08/visible/"


@pytest.mark.parametrize("slug", ["draft", "future", "missing"])
def test_unpublished_or_missing_posts_are_not_found(client, filed, slug):
    post_url = f"/2013/09/08/{slug}/"
    assert client.get(post_url, follow=True).status_code == 404


def test_staff_preview_drafts_never_cached_nor_indexed(staff_client, filed):
    _, draft, scheduled = filed
    for post in (draft, scheduled):
        response = staff_client.get(post.get_absolute_url())
        assert response.status_code == 200
        assert "only its editors can see it" in response.content.decode()
        assert "no-cache" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_a_moderator_previews_nothing(client, moderator, filed):
    """Moderators are staff but may not change posts: drafts, scheduled posts and
    unpublished pages are not found for them, as for any reader."""
    _, draft, scheduled = filed
    PageFactory(slug="unlisted", title="Unlisted page", status=Status.DRAFT)
    client.force_login(moderator)
    for url in (draft.get_absolute_url(), scheduled.get_absolute_url(), "/unlisted/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Secret draft" not in response.content.decode()
    assert client.get(filed[0].get_absolute_url()).status_code == 200
    # Nor the desk's preview of unsaved text.
    preview = reverse("admin:blog_post_preview", args=[draft.pk])
    assert client.post(preview, {"title": "x"}).status_code in (403, 404)


def test_the_author_previews_an_unpublished_page(staff_client):
    PageFactory(slug="unlisted", title="Unlisted page", status=Status.DRAFT)
    response = staff_client.get("/unlisted/")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_public_post_is_not_marked_noindex(client, filed):
    response = client.get(filed[0].get_absolute_url())
    assert "X-Robots-Tag" not in response
    assert "noindex" not in response.content.decode()


def test_previous_and_next_links(client):
    now = timezone.now()
    older = PostFactory(title="Older", published_at=now - timedelta(days=3))
    current = PostFactory(title="Current", published_at=now - timedelta(days=2))
    newer = PostFactory(title="Newer", published_at=now - timedelta(days=1))
    html = client.get(current.get_absolute_url()).content.decode()
    assert f'href="{older.get_absolute_url()}" rel="prev"' in html
    assert f'href="{newer.get_absolute_url()}" rel="next"' in html


def test_category_page_includes_posts_of_subcategories(client):
    parent = CategoryFactory(slug="career")
    child = CategoryFactory(slug="job-search", parent=parent)
    PostFactory(title="Child post", categories=[child])
    response = client.get(reverse("blog:category", kwargs={"slug": "career"}))
    assert "Child post" in response.content.decode()


def test_unknown_category_tag_author_are_404(client):
    for url in ["/category/nope/", "/tag/nope/", "/author/nobody/"]:
        assert client.get(url).status_code == 404


def test_empty_date_archive_is_404(client, filed):
    assert client.get("/2001/").status_code == 404
    assert client.get("/2013/13/").status_code == 404
    assert client.get("/2013/02/31/").status_code == 404


def test_pages_answer_at_their_slug(client):
    PageFactory(slug="about", title="About this blog")
    PageFactory(slug="hidden", title="Hidden", status=Status.DRAFT)
    assert "About this blog" in client.get("/about/").content.decode()
    assert client.get("/hidden/").status_code == 404


def test_published_pages_are_in_the_navigation(client):
    PageFactory(slug="about", title="About this blog")
    PageFactory(slug="hidden", title="Hidden page", status=Status.DRAFT)
    html = client.get("/").content.decode()
    assert 'href="/about/"' in html and "Hidden page" not in html


def test_wordpress_search_form_redirects(client):
    response = client.get("/?s=hello+world")
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=hello+world"


def test_not_found_page_is_friendly(client, db):
    response = client.get("/no/such/thing/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Nothing here" in html and 'role="search"' in html


def test_sidebar_counts_published_posts_only(client, filed):
    html = client.get("/").content.decode()
    assert 'href="/category/leadership/">Leadership</a> <span class="count">(1)</span>' in html
    assert 'href="/2013/09/">September 2013</a> <span class="count">(1)</span>' in html


def test_every_page_has_landmarks_and_a_skip_link(client, filed):
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#content">' in html
    assert '<main id="content"' in html and "<nav" in html and 'lang="en"' in html
