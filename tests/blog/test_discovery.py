"""What search engines and link previews see, and the navigation widgets."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import State
from series.models import GuideVolume, SeriesPart
from tests.factories import (
    CategoryFactory,
    CommentFactory,
    GuideFactory,
    PageFactory,
    PostFactory,
    SeriesFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db
SITE = "http://127.0.0.1:8000"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def site():
    category = CategoryFactory(slug="careers", name="Careers")
    posts = [PostFactory(title=f"Post {n}", categories=[category]) for n in range(3)]
    PostFactory(title="Draft", draft=True, slug="draft-post", categories=[category])
    PageFactory(slug="about")
    series = SeriesFactory(slug="s")
    SeriesPart.objects.create(series=series, post=posts[0])
    guide = GuideFactory(slug="g")
    GuideVolume.objects.create(guide=guide, number=1, first_number=1)
    GuideVolume.objects.create(guide=guide, number=2, first_number=2)
    guide.add_posts(posts)
    return posts


def sitemap_urls(client):
    index = ET.fromstring(client.get("/sitemap.xml").content)
    urls = []
    for location in index.findall("sm:sitemap/sm:loc", NS):
        section = client.get(location.text.removeprefix(SITE))
        assert section.status_code == 200
        tree = ET.fromstring(section.content)
        for entry in tree.findall("sm:url", NS):
            urls.append((entry.find("sm:loc", NS).text, entry.find("sm:lastmod", NS)))
    return urls


def test_sitemap_lists_every_public_page_and_each_answers(client, site):
    urls = sitemap_urls(client)
    paths = [loc.removeprefix(SITE) for loc, _ in urls]
    assert {
        "/about/",
        "/category/careers/",
        "/series/s/",
        "/guides/g/",
        "/guides/g/volume/2/",
    } <= set(paths)
    assert all(post.get_absolute_url() in paths for post in site)
    assert not any("draft-post" in p for p in paths)
    for path in paths:
        assert client.get(path).status_code == 200, path
    posts_with_dates = [lastmod for loc, lastmod in urls if "/20" in loc]
    assert all(lastmod is not None for lastmod in posts_with_dates)


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain"
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_post_page_has_canonical_meta_open_graph_and_json_ld(client, site):
    post = site[0]
    html = client.get(post.get_absolute_url()).content.decode()
    url = f"http://127.0.0.1:8000{post.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert '<meta name="description" content="Some words worth reading.">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:title" content="{post.title}">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    posting, crumbs = json.loads(blocks[0])
    assert posting["@type"] == "BlogPosting" and posting["headline"] == post.title
    assert posting["url"] == url and posting["author"]["@type"] == "Person"
    assert [item["name"] for item in crumbs["itemListElement"]] == ["Home", "Careers", post.title]


def test_json_ld_cannot_be_broken_out_of(client):
    post = PostFactory(title="</script><script>alert(1)</script>")
    html = client.get(post.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block
    assert json.loads(block)[0]["headline"] == post.title


def test_paginated_listing_canonical_keeps_the_page(client, site):
    for n in range(11):
        PostFactory(title=f"More {n}")
    html = client.get("/?page=2").content.decode()
    assert '<link rel="canonical" href="http://127.0.0.1:8000/?page=2">' in html


def test_reading_time(client):
    post = PostFactory(body="<p>" + "word " * 700 + "</p>")
    assert post.word_count == 700 and post.reading_minutes == 3
    assert "3 min read" in client.get(post.get_absolute_url()).content.decode()


def test_related_posts_share_categories_or_tags(client):
    careers, teams = CategoryFactory(), TagFactory()
    post = PostFactory(categories=[careers], tags=[teams])
    both = PostFactory(title="Shares both", categories=[careers], tags=[teams])
    one = PostFactory(title="Shares one", categories=[careers])
    PostFactory(title="Shares nothing")
    PostFactory(title="Draft sharing", draft=True, categories=[careers], tags=[teams])
    assert list(post.related()) == [both, one]
    html = client.get(post.get_absolute_url()).content.decode()
    assert (
        "Related posts" in html
        and "Shares nothing" not in html.split("Related posts")[1].split("</section>")[0]
    )


def test_post_page_queries_do_not_grow_with_related_candidates(client):
    category, tag = CategoryFactory(), TagFactory()
    post = PostFactory(categories=[category], tags=[tag])
    PostFactory.create_batch(2, categories=[category])

    def count():
        cache.clear()  # measure the cold path, sidebar included
        with CaptureQueriesContext(connection) as captured:
            client.get(post.get_absolute_url())
        return len(captured)

    few = count()
    PostFactory.create_batch(15, categories=[category], tags=[tag])
    assert count() == few


def test_sidebar_recent_comments_and_monthly_archive_counts(client):
    now = timezone.now()
    post = PostFactory(title="Discussed", published_at=now - timedelta(days=40))
    PostFactory(published_at=now - timedelta(days=41))
    CommentFactory(post=post, user_name="Visible Reader")
    CommentFactory(post=post, user_name="Held Reader", state=State.HELD)
    html = client.get("/").content.decode()
    assert "<bdi>Visible Reader</bdi> on <a" in html and "Held Reader" not in html
    month = (now - timedelta(days=40)).strftime("%B %Y")
    assert re.search(rf"{month}</a> <span class=\"count\">\(\d\)</span>", html)


def test_cached_sidebar_follows_every_change(client):
    from comments.moderation import moderate

    PostFactory(title="First post")
    assert "First post" in client.get("/").content.decode()  # sidebar now cached
    newer = PostFactory(title="Brand new post")
    sidebar = client.get("/404-anything/").content.decode().split('aria-label="Sidebar"')[1]
    assert "Brand new post" in sidebar
    held = CommentFactory(post=newer, user_name="Late Reader", state=State.HELD)
    assert "Late Reader" not in client.get("/").content.decode()
    moderate(held, "approve", None)
    assert "<bdi>Late Reader</bdi> on" in client.get("/").content.decode()
