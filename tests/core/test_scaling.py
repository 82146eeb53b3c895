"""Two app processes on one database and one Redis: a comment approved through one
invalidates the cached page that the other serves."""

import os
import re
import subprocess
import sys
import time
import uuid

import httpx
import pytest
import redis
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from comments.models import State
from tests import ROOT
from tests.factories import CommentFactory, PostFactory, UserFactory
from tests.worker_helpers import database_url, free_port

pytestmark = pytest.mark.django_db(transaction=True)
REDIS_URL = "redis://127.0.0.1:6379/9"


@pytest.fixture
def app_processes():
    # Keys of their own, so that test runs side by side (CI's two databases) share Redis.
    prefix = f"scaling-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DEBUG": "0",
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "CONN_MAX_AGE": "0",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url in urls:
            wait_until_up(url)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)
        store = redis.Redis.from_url(REDIS_URL)
        for key in store.scan_iter(f"{prefix}:*"):
            store.delete(key)


def wait_until_up(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not start")


class Browser:
    """Keeps cookies by hand: the app marks them Secure (production settings), and
    this test talks plain HTTP on loopback."""

    def __init__(self, url):
        self.url, self.cookies = url, {}

    def request(self, method, path, **kwargs):
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = httpx.request(
            method, self.url + path, headers={"Cookie": cookie}, timeout=10, **kwargs
        )
        self.cookies.update(response.cookies)
        return response


def log_in(url, username, password):
    browser = Browser(url)
    page = browser.request("GET", "/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = browser.request(
        "POST",
        "/admin/login/?next=/admin/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302, response.text[:500]
    return browser


def test_approval_through_one_process_refreshes_the_cache_of_the_other(app_processes):
    first, second = app_processes
    post = PostFactory(title="Shared post")
    held = CommentFactory(post=post, state=State.HELD, comment="Approved in process one")
    # The app processes run production settings: PBKDF2, not the tests' fast hasher.
    moderator = UserFactory(username="mo", is_staff=True)
    moderator.password = make_password("correct horse battery staple", hasher="pbkdf2_sha256")
    moderator.save()
    moderator.groups.add(Group.objects.get(name="Moderators"))

    path = post.get_absolute_url()
    assert httpx.get(first + path).headers["X-Page-Cache"] == "miss"
    cached = httpx.get(second + path)
    assert cached.headers["X-Page-Cache"] == "hit"  # rendered by the first, served by the second
    assert "Approved in process one" not in cached.text

    admin = log_in(first, "mo", "correct horse battery staple")
    response = admin.request(
        "POST",
        f"/admin/comments/blogcomment/{held.pk}/moderate/approve/",
        data={"csrfmiddlewaretoken": admin.cookies["csrftoken"]},
    )
    assert response.status_code == 302

    fresh = httpx.get(second + path)
    assert fresh.headers["X-Page-Cache"] == "miss"
    assert "Approved in process one" in fresh.text
