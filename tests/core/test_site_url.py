"""Absolute links come from SITE_URL when it is set, and in development (DEBUG)
without it from the host each request came to (`PORT=8123 make run`)."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType

from core.site_url import site_url
from tests.core.test_settings import manage
from tests.factories import PostFactory, StaffFactory

pytestmark = pytest.mark.django_db
HOST = "127.0.0.1:8123"


@pytest.fixture
def development(settings):
    settings.DEBUG, settings.SITE_URL_SET = True, False
    settings.SITE_URL = "http://127.0.0.1:8000"


@pytest.fixture
def production(settings):
    settings.SITE_URL_SET, settings.SITE_URL = True, "https://blog.example.org"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]


def links(client, url, host=HOST):
    """The site addresses a page links to (not the XML namespaces' hosts)."""
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200, url
    found = re.findall(r"https?://[^/\s\"'<]+", response.content.decode())
    return {link for link in found if "127.0.0.1" in link or "example.org" in link}


def served_links(client, host=HOST):
    post = PostFactory(slug="hello")
    pages = ["/", post.get_absolute_url(), "/feed/", "/feed/atom/", "/sitemap.xml"]
    return post, {url: links(client, url, host) for url in [*pages, "/sitemap-posts.xml"]}


def test_in_development_links_follow_the_requests_host(client, development):
    post, found = served_links(client)
    for url, hosts in found.items():
        assert hosts == {f"http://{HOST}"}, url
    html = client.get(post.get_absolute_url(), HTTP_HOST=HOST).content.decode()
    assert f'<link rel="canonical" href="http://{HOST}{post.get_absolute_url()}">' in html
    assert f'<meta property="og:url" content="http://{HOST}{post.get_absolute_url()}">' in html


def test_a_cached_page_keeps_the_host_it_was_made_for(client, development):
    PostFactory()
    assert links(client, "/feed/", "127.0.0.1:8124") == {"http://127.0.0.1:8124"}
    assert "http://127.0.0.1:8124" not in links(client, "/feed/", HOST)


def test_with_site_url_set_it_wins_whatever_the_host(client, settings, production):
    settings.DEBUG = True  # even in development
    _, found = served_links(client)
    for url, hosts in found.items():
        assert hosts == {"https://blog.example.org"}, url


def test_view_on_site_follows_the_request_not_the_sites_record(client, development):
    post = PostFactory()
    client.force_login(StaffFactory(is_superuser=True))
    content_type = ContentType.objects.get_for_model(post)
    response = client.get(f"/admin/r/{content_type.pk}/{post.pk}/", HTTP_HOST=HOST)
    assert response.status_code == 302
    assert response["Location"] == f"http://{HOST}{post.get_absolute_url()}"


def test_view_on_site_is_for_staff_only(client, development):
    post = PostFactory()
    content_type = ContentType.objects.get_for_model(post)
    response = client.get(f"/admin/r/{content_type.pk}/{post.pk}/", HTTP_HOST=HOST)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_without_a_request_mail_uses_site_url(development):
    assert site_url() == "http://127.0.0.1:8000"


def test_site_url_defaults_to_make_runs_port():
    code = "from django.conf import settings as s; print(s.SITE_URL, s.SITE_URL_SET)"
    env = {"DEBUG": "1", "PORT": "8123", "SITE_URL": ""}
    result = manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "http://127.0.0.1:8123 False"
