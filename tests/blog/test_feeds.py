"""Feeds: valid RSS and Atom for every listing, published posts only, conditional GET."""

from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from comments.models import State
from series.models import SeriesPart
from tests.factories import (
    CategoryFactory,
    CommentFactory,
    GuideFactory,
    PostFactory,
    SeriesFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def blog():
    author = UserFactory(username="wen", first_name="Wen", last_name="Writer")
    category, tag = CategoryFactory(slug="lead"), TagFactory(slug="teams")
    now = timezone.now()
    posts = [
        PostFactory(
            title=f"Post {n}",
            slug=f"post-{n}",
            author=author,
            published_at=now - timedelta(days=n + 1),
            body=f'<p>Body {n} with <a href="/about/">a link</a> and <img src="/media/x.png"></p>',
            categories=[category],
            tags=[tag],
        )
        for n in range(3)
    ]
    PostFactory(title="Secret draft", draft=True, author=author, categories=[category], tags=[tag])
    PostFactory(
        title="Future post", scheduled=True, author=author, categories=[category], tags=[tag]
    )
    series = SeriesFactory(slug="s")
    for number, post in enumerate(posts, 1):
        SeriesPart.objects.create(series=series, post=post, number=number)
    GuideFactory(slug="g").add_posts(posts)
    CommentFactory(post=posts[0], user_name="Reader One", comment="Nice <b>post</b>")
    CommentFactory(post=posts[0], user_name="Held Reader", state=State.HELD)
    CommentFactory(post=posts[0], user_name="Spammer", state=State.SPAM)
    return posts


FEEDS = [
    "/feed/", "/feed/atom/",
    "/category/lead/feed/", "/category/lead/feed/atom/",
    "/tag/teams/feed/", "/tag/teams/feed/atom/",
    "/author/wen/feed/", "/author/wen/feed/atom/",
    "/series/s/feed/", "/series/s/feed/atom/",
    "/guides/g/feed/", "/guides/g/feed/atom/",
]  # fmt: skip


@pytest.mark.parametrize("url", FEEDS)
def test_every_post_feed_is_valid_and_holds_published_posts_only(client, blog, url):
    response = client.get(url)
    assert response.status_code == 200
    expected_type = "application/atom+xml" if "atom" in url else "application/rss+xml"
    assert response["Content-Type"].startswith(expected_type)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    titles = [entry.title for entry in feed.entries]
    assert len(titles) == 3
    assert not any("Secret" in t or "Future" in t for t in titles)
    ids = [entry.id for entry in feed.entries]
    assert len(set(ids)) == 3 and all(i.startswith("http://127.0.0.1:8000/?p=") for i in ids)
    for entry in feed.entries:
        assert entry.link.startswith("http://127.0.0.1:8000/20")  # SITE_URL's host
        assert entry.published_parsed or entry.updated_parsed
        assert 'href="http://127.0.0.1:8000/about/"' in entry.summary
        assert 'src="http://127.0.0.1:8000/media/x.png"' in entry.summary
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [f"http://127.0.0.1:8000{url}"]


@pytest.mark.parametrize("suffix", ["feed/", "feed/atom/"])
def test_post_comments_feed_holds_public_comments_only(client, blog, suffix):
    response = client.get(blog[0].get_absolute_url() + suffix)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert [entry.title for entry in feed.entries] == ["By: Reader One"]
    assert "Nice &lt;b&gt;post&lt;/b&gt;" in feed.entries[0].summary
    assert feed.entries[0].link.endswith("#comment-" + feed.entries[0].id.rsplit("-", 1)[1])


def test_a_draft_has_no_comments_feed(client, blog):
    assert client.get("/2020/01/01/secret-draft/feed/").status_code == 404


def test_excerpt_only_feeds(client, blog, settings):
    settings.FEED_FULL_CONTENT = False
    entry = feedparser.parse(client.get("/feed/").content).entries[0]
    assert "<a" not in entry.summary and entry.summary.startswith("Body 0 with a link")


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/", "/category/lead/feed/"])
def test_repeat_feed_request_gets_304(client, blog, url):
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_repeat_post_request_gets_304(client, blog):
    url = blog[0].get_absolute_url()
    first = client.get(url)
    assert first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_feeds_are_discoverable_from_pages(client, blog):
    home = client.get("/").content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Serial Blog (RSS)" href="/feed/">'
        in home
    )
    assert 'type="application/atom+xml"' in home
    category = client.get("/category/lead/").content.decode()
    assert 'href="/category/lead/feed/"' in category
    post = client.get(blog[0].get_absolute_url()).content.decode()
    assert f'href="{blog[0].get_absolute_url()}feed/"' in post
    assert 'href="/series/s/feed/"' in client.get("/series/s/").content.decode()


def test_unknown_feed_objects_are_404(client, db):
    for url in [
        "/category/none/feed/",
        "/tag/none/feed/atom/",
        "/series/none/feed/",
        "/guides/none/feed/",
    ]:
        assert client.get(url).status_code == 404


HOSTILE = "<img src=x onerror=alert(1)> & co"
AS_HTML_TEXT = "&lt;img src=x onerror=alert(1)&gt; &amp; co"  # what WordPress sends


def xml_titles(content):
    """Every title element's text, as an XML parser (not a feed reader) reads it."""
    from xml.etree import ElementTree

    root = ElementTree.fromstring(content)
    return [(el.get("type"), el.text) for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "title"]


@pytest.mark.parametrize("suffix", ["feed/", "feed/atom/"])
def test_titles_are_escaped_as_html_as_wordpress_does(client, suffix):
    """A feed reader that renders titles as HTML shows the name as typed, runs nothing."""
    post = PostFactory(title=f"Post {HOSTILE}")
    CommentFactory(post=post, user_name=HOSTILE)
    SeriesPart.objects.create(series=SeriesFactory(slug="s", title=HOSTILE), post=post, number=1)
    atom = "atom" in suffix
    for url, expected in [
        (
            post.get_absolute_url() + suffix,
            [f"Comments on: Post {AS_HTML_TEXT}", f"By: {AS_HTML_TEXT}"],
        ),
        ("/" + suffix, ["Serial Blog", f"Post {AS_HTML_TEXT}"]),
        ("/series/s/" + suffix, [f"Serial Blog » {AS_HTML_TEXT}", f"Part 1: Post {AS_HTML_TEXT}"]),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert b"&amp;lt;img" in response.content and b"<img" not in response.content
        titles = xml_titles(response.content)
        assert [text for _, text in titles] == expected, url
        # Atom declares it; RSS has no way to, and readers treat it as HTML.
        assert {kind for kind, _ in titles} == ({"html"} if atom else {None})
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.bozo_exception
