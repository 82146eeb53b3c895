"""Helpers for comment tests: a filled-in form as a browser would send it, and a
stand-in Akismet server on an httpx MockTransport that records what it was sent."""

from urllib.parse import parse_qsl

import httpx
import pytest
from django.conf import settings
from django.core import signing
from django.test import TestCase

from comments.forms import BlogCommentForm
from comments.spam import AkismetChecker, akismet_breaker
from comments.thread import OWN_COMMENTS_COOKIE_SALT

POST_URL = "/comments/post/"


def comment_data(post, **fields):
    """The POST body of the comment form for `post`, security fields included."""
    form = BlogCommentForm(post)
    data = {name: str(value) for name, value in form.initial.items() if value is not None}
    data.update(
        name="Ada Reader",
        email="ada@example.com",
        url="",
        comment="A thoughtful comment.",
        reply_to="0",
        honeypot="",
    )
    data.update({key: str(value) for key, value in fields.items()})
    return data


def post_and_check(client, data, **extra):
    """POST a comment form, then run what its commit queues: with Akismet, the
    worker's spam check (Huey runs tasks inline under pytest)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(POST_URL, data, **extra)


def give_own_comments(client, ids):
    """Make `client` a browser that sent the comments `ids` (the signed cookie)."""
    name = settings.OWN_COMMENTS_COOKIE_NAME
    signer = signing.get_cookie_signer(salt=name + OWN_COMMENTS_COOKIE_SALT)
    client.cookies[name] = signer.sign(".".join(map(str, ids)))


class FakeAkismet:
    """Answers like Akismet's REST API. `answer`: a body, a function of what was sent
    returning one, an httpx.Response, or an exception to raise."""

    def __init__(self):
        self.requests = []
        self.answer = "false"
        self.headers = {}

    def handle(self, request):
        sent = {
            "endpoint": request.url.path.rsplit("/", 1)[-1],
            **dict(parse_qsl(request.content.decode())),
        }
        self.requests.append(sent)
        if isinstance(self.answer, Exception):
            raise self.answer
        if isinstance(self.answer, httpx.Response):
            return self.answer
        if sent["endpoint"] in ("submit-spam", "submit-ham"):
            return httpx.Response(200, text="Thanks for making the web a better place.")
        body = self.answer(sent) if callable(self.answer) else self.answer
        return httpx.Response(200, text=body, headers=self.headers)

    def calls(self, endpoint):
        return [r for r in self.requests if r["endpoint"] == endpoint]


@pytest.fixture
def akismet(settings, monkeypatch):
    """Use the real Akismet checker against a fake Akismet at the HTTP boundary."""
    fake = FakeAkismet()
    settings.AKISMET_API_KEY = "test-key"
    settings.SPAM_CHECKER = "comments.spam.AkismetChecker"
    monkeypatch.setattr(AkismetChecker, "transport", httpx.MockTransport(fake.handle))
    akismet_breaker.reset()  # no test inherits another's failures
    yield fake
    akismet_breaker.reset()
