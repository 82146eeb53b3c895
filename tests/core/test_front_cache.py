"""The shipped front cache (config/nginx-standalone.conf + config/nginx-front-cache.conf)
run by Debian's nginx in front of the live test server: what it shares, what it never
stores, and how soon a change shows through it."""

import time
from urllib.parse import urlsplit

import httpx
import pytest
from django.conf import settings

from bench.front_cache import front_cache
from bench.servers import nginx_binary
from comments.models import BlogComment, State
from comments.moderation import moderate
from tests.comment_helpers import POST_URL, comment_data
from tests.factories import CommentFactory, PostFactory

# What the README promises: a change shows through the front cache within this long.
PROMISED_SECONDS = 3


@pytest.fixture
def nginx(live_server, settings):
    try:
        nginx_binary()
    except FileNotFoundError:
        pytest.skip("nginx is not installed (apt-get install -y nginx; CI installs it)")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1", "localhost"]
    upstream = urlsplit(live_server.url).netloc
    with (
        front_cache(upstream, workers=1) as base_url,
        httpx.Client(base_url=base_url, timeout=10) as client,
    ):
        yield client


def get(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.text[:300]
    return response


def test_anonymous_pages_are_shared_and_personal_ones_bypass_it(nginx):
    post = PostFactory()
    url = post.get_absolute_url()
    first, second = get(nginx, url), get(nginx, url)
    assert (first.headers["X-Cache-Status"], second.headers["X-Cache-Status"]) == ("MISS", "HIT")
    assert first.content == second.content
    # nginx reads the app's X-Accel-Expires and passes it on to no one.
    assert "X-Accel-Expires" not in second.headers
    personal_cookies = (
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        "messages",
        settings.OWN_COMMENTS_COOKIE_NAME,
    )
    for cookie in personal_cookies:
        personal = get(nginx, url, headers={"Cookie": f"{cookie}=someone"})
        assert personal.headers["X-Cache-Status"] == "BYPASS", cookie
    # A personal page the app rendered was not stored for the anonymous readers.
    assert get(nginx, url).headers["X-Cache-Status"] == "HIT"


def test_posts_admin_and_comment_endpoints_are_never_cached(nginx):
    post = PostFactory()
    url = post.get_absolute_url()
    get(nginx, url)
    for _ in range(2):
        refused = nginx.post(url, data={"anything": "1"})
        assert refused.headers.get("X-Cache-Status") != "HIT"
        assert refused.status_code != 200
    assert get(nginx, url).headers["X-Cache-Status"] == "HIT"  # the POST changed no entry
    for text in ("First through nginx", "Second through nginx"):
        answer = nginx.post(POST_URL, data=comment_data(post, comment=text))
        assert answer.status_code == 302 and "X-Cache-Status" not in answer.headers
    assert BlogComment.objects.filter(comment__endswith="through nginx").count() == 2
    for _ in range(2):
        login = get(nginx, "/admin/login/")
        assert "X-Cache-Status" not in login.headers


def test_a_missing_page_is_kept_a_second_only(nginx):
    assert nginx.get("/no-such-page/").status_code == 404
    again = nginx.get("/no-such-page/")
    assert again.status_code == 404 and again.headers["X-Cache-Status"] == "HIT"
    time.sleep(2.1)  # nginx counts whole seconds: "1s" ends within two
    assert nginx.get("/no-such-page/").headers["X-Cache-Status"] in ("EXPIRED", "MISS")


def test_an_approved_comment_shows_through_it_within_the_promise(nginx):
    post = PostFactory()
    held = CommentFactory(post=post, state=State.HELD, comment="Approved behind nginx")
    url = post.get_absolute_url()
    get(nginx, url)
    cached = get(nginx, url)
    assert cached.headers["X-Cache-Status"] == "HIT"
    assert "Approved behind nginx" not in cached.text
    moderate(held, "approve", None)
    approved_at = time.monotonic()
    while "Approved behind nginx" not in get(nginx, url).text:
        assert time.monotonic() - approved_at < PROMISED_SECONDS, "still stale"
        time.sleep(0.05)


@pytest.mark.django_db
def test_the_app_tells_nginx_how_long_to_keep_shareable_pages_only(client, settings):
    settings.FRONT_CACHE_SECONDS = 3
    post = PostFactory()
    for _ in range(2):  # rendered, then from the app's own cache
        assert client.get(post.get_absolute_url())["X-Accel-Expires"] == "3"
    client.cookies[settings.SESSION_COOKIE_NAME] = "someone"
    personal = client.get(post.get_absolute_url())
    assert "private" in personal["Cache-Control"] and "X-Accel-Expires" not in personal


def test_the_front_cache_rules_use_the_sites_cookie_names():
    rules = (settings.BASE_DIR / "config" / "nginx-front-cache.conf").read_text()
    for name in (
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.OWN_COMMENTS_COOKIE_NAME,
    ):
        assert f"$cookie_{name}" in rules
