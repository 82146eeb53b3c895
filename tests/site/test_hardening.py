"""Security headers, redirects, login abuse, personal data and failing services."""

import json
import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from comments.models import BlogComment, State
from comments.moderation import moderate
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_reader_response_carries_the_security_headers(client):
    post = PostFactory()
    for url in ("/", post.get_absolute_url(), "/feed/", "/search/?q=x", "/no-such-page/"):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert response["X-Frame-Options"] == "DENY"


def test_production_cookies_and_hsts(settings):
    # The settings module as production reads it (DEBUG off).
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.SECURE_HSTS_SECONDS >= 31_536_000


def test_hsts_header_over_https(client):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_open_redirect_through_next(client):
    user = UserFactory(username="editor", is_staff=True)
    response = client.post(
        "/admin/login/?next=https://evil.example/",
        {"username": "editor", "password": "correct horse battery staple",
         "next": "https://evil.example/"},
    )  # fmt: skip
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example")
    assert client.session["_auth_user_id"] == str(user.pk)  # logged in, sent home


def test_failed_logins_lock_the_account_for_a_while(client, settings):
    UserFactory(username="editor", is_staff=True)
    failures = [
        client.post("/admin/login/", {"username": "editor", "password": "wrong"})
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    # Each failure but the last shows the login form again; the last one locks.
    assert [r.status_code for r in failures] == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert "correct username and password" in failures[0].content.decode()
    locked = client.post(
        "/admin/login/", {"username": "editor", "password": "correct horse battery staple"}
    )
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()


def test_privacy_export_and_erase_from_the_admin(client, moderator, caplog):
    post = PostFactory()
    mine = CommentFactory(post=post, user_email="Ada@Example.com", user_name="Ada",
                          comment="My words", ip_address="203.0.113.5")  # fmt: skip
    reply = CommentFactory(post=post, parent=mine, comment="A reply to Ada")
    client.force_login(moderator)
    url = "/admin/comments/blogcomment/personal-data/"
    exported = client.post(url, {"email": "ada@example.com", "action": "export"})
    assert exported["Content-Disposition"] == 'attachment; filename="personal-data.json"'
    data = json.loads(exported.content)
    assert [c["text"] for c in data["comments"]] == ["My words"]
    assert data["comments"][0]["ip_address"] == "203.0.113.5"

    with caplog.at_level(logging.INFO, logger="comments.audit"):
        client.post(url, {"email": "ada@example.com", "action": "delete"})
    mine.refresh_from_db()
    assert (mine.user_name, mine.user_email, mine.ip_address, mine.comment) == (
        "Anonymous",
        "",
        None,
        "",
    )
    assert mine.is_removed
    html = Client().get(post.get_absolute_url()).content.decode()
    assert "A reply to Ada" in html and "Comment removed." in html and "My words" not in html
    assert reply.pk in BlogComment.objects.public().values_list("pk", flat=True)
    assert any(r.message == "personal data erased" for r in caplog.records)


def test_readers_cannot_reach_the_privacy_tools(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/admin/comments/blogcomment/personal-data/").status_code == 403


def test_old_ip_addresses_are_erased(settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 90
    old = CommentFactory(submit_date=timezone.now() - timedelta(days=91), ip_address="198.51.100.1")
    recent = CommentFactory(ip_address="198.51.100.2")
    call_command("purge_comments")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.ip_address is None and recent.ip_address == "198.51.100.2"


def test_moderation_is_logged_as_json(caplog):
    comment = CommentFactory(state=State.HELD)
    with caplog.at_level(logging.INFO, logger="comments.audit"):
        moderate(comment, "approve", UserFactory(username="mod-x"))
    (record,) = [r for r in caplog.records if r.message == "comment moderated"]
    formatter = logging.getLogger("comments.audit").handlers[0].formatter
    line = json.loads(formatter.format(record))
    assert line["action"] == "approve" and line["actor"] == "mod-x"
    assert (line["from_state"], line["to_state"]) == ("held", "public")


def test_redis_down_the_site_serves_uncached(settings, client):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.1},
        }
    }
    post = PostFactory(title="Still readable")
    for _ in range(2):
        response = client.get(post.get_absolute_url())
        assert response.status_code == 200 and "Still readable" in response.content.decode()
        assert response["X-Page-Cache"] == "miss"
