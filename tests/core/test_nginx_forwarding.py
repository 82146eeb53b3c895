"""The shipped nginx config (config/nginx-standalone.conf, run by Debian's nginx on a
non-default port in front of the live test server) and TRUSTED_PROXIES together: the
app sees each reader's own address and the Host they used, and a reader cannot tell
it the scheme.

Readers connect from 127.0.0.2, nginx from 127.0.0.1: the config lets only loopback's
127.0.0.1 and private networks (a TLS terminator) set X-Forwarded-Proto."""

from urllib.parse import urlsplit

import httpx
import pytest

from bench.front_cache import front_cache
from bench.servers import nginx_binary
from comments.models import BlogComment
from tests.comment_helpers import POST_URL, comment_data
from tests.factories import PostFactory

READER = "127.0.0.2"


@pytest.fixture
def nginx_url(live_server, settings):
    try:
        nginx_binary()
    except FileNotFoundError:
        pytest.skip("nginx is not installed (apt-get install -y nginx; CI installs it)")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # nginx, as README says for this config
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    with front_cache(urlsplit(live_server.url).netloc, workers=1) as base_url:
        assert urlsplit(base_url).port not in (80, 443)
        yield base_url


def reader(base_url, address=READER):
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=base_url, transport=transport, timeout=10)


def test_an_anonymous_comment_through_nginx_keeps_the_readers_address(nginx_url):
    post = PostFactory()
    with reader(nginx_url) as browser:
        answer = browser.post(
            POST_URL,
            data=comment_data(post, comment="Sent through nginx"),
            headers={
                # What a browser sends from the post's page on this port.
                "Origin": nginx_url,
                "Referer": nginx_url + post.get_absolute_url(),
                # A reader's own claim is kept to the left, and never read.
                "X-Forwarded-For": "203.0.113.66",
            },
        )
    assert answer.status_code == 302, answer.text[:300]
    assert BlogComment.objects.get(comment="Sent through nginx").ip_address == READER


def test_a_form_from_another_site_is_still_refused_through_nginx(nginx_url):
    post = PostFactory()
    with reader(nginx_url) as browser:
        answer = browser.post(
            POST_URL,
            data=comment_data(post, comment="From elsewhere"),
            headers={"Origin": "http://127.0.0.1:1"},  # the same host, another port
        )
    assert answer.status_code == 403
    assert not BlogComment.objects.filter(comment="From elsewhere").exists()


def test_only_a_tls_terminator_may_tell_the_scheme(nginx_url):
    PostFactory(title="Scheme check")
    https = {"X-Forwarded-Proto": "https"}
    with reader(nginx_url) as outsider, reader(nginx_url, "127.0.0.1") as terminator:
        spoofed = outsider.get("/feed/", headers=https)
        plain = outsider.get("/feed/")
        secure = terminator.get("/feed/", headers=https)
    for answer in (spoofed, plain, secure):
        assert answer.status_code == 200
    assert "https://" not in spoofed.text and "https://" not in plain.text
    assert "<link>https://" in secure.text
