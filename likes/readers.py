"""Who is liking: a signed-in reader's account, or an anonymous browser named by a
random token in its cookie (set with its first like; only its hash is stored)."""

import hashlib
import re
import secrets
from dataclasses import dataclass

from django.conf import settings

COOKIE_NAME = "likes_browser"
COOKIE_DAYS = 365
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Reader:
    user: object = None
    browser_token: str = None
    new_token: bool = False  # the response must set the cookie

    @property
    def is_anonymous(self):
        return self.user is None

    @property
    def lookup(self):
        if self.user is not None:
            return {"user": self.user}
        return {"browser_hash": hashlib.sha256(self.browser_token.encode()).hexdigest()}


def reader_of(request, *, create=False):
    """The reader behind `request`, or None: an anonymous browser that has no token
    yet (unless `create`), or anonymous likes are off."""
    if request.user.is_authenticated:
        return Reader(user=request.user)
    if not settings.LIKES_ANONYMOUS:
        return None
    token = request.COOKIES.get(COOKIE_NAME, "")
    if TOKEN.fullmatch(token):
        return Reader(browser_token=token)
    return Reader(browser_token=secrets.token_urlsafe(32), new_token=True) if create else None


def remember(response, reader):
    if reader is not None and reader.new_token:
        response.set_cookie(
            COOKIE_NAME,
            reader.browser_token,
            max_age=COOKIE_DAYS * 24 * 3600,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response
