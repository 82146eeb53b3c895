"""The small picture beside each comment, decided without a request to anyone.

- the picture of the account a signed-in reader commented with (stored on the comment
  when it is posted: `avatar_url`), an https address only;
- Gravatar's picture for the commenter's address, only when GRAVATAR is on: it hands a
  hash of the address to a third party, so it is off by default;
- otherwise the commenter's initials on a colour derived from their name, made here.

The sign-in app (readers/) puts the account's picture into the session under
`SESSION_KEY` when a reader signs in; comments only read it (they import nothing of
readers).
"""

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.html import format_html

SESSION_KEY = "comment_avatar_url"
MAX_URL_LENGTH = 500  # the column's
SIZE = 40  # CSS pixels; the <img> carries it, so nothing shifts as it loads
HUES = 8  # avatar-hue-0 … avatar-hue-7 in static/css/site.css


def safe_avatar_url(url):
    """`url` if it is a plain https address of a picture, else "": nothing that could
    leave the attribute, load over plain HTTP or carry credentials."""
    url = (url or "").strip()
    if not url or len(url) > MAX_URL_LENGTH or any(c in url for c in "\"'<> \\\t\r\n"):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.password:
        return ""
    return url


def gravatar_url(email):
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return f"https://www.gravatar.com/avatar/{digest}?s={SIZE * 2}&d=identicon"


def initials(name):
    words = [word for word in (name or "").split() if word[0].isalnum()]
    letters = "".join(word[0] for word in words[:2]).upper()
    return letters or "?"


def hue_of(name):
    digest = hashlib.blake2b((name or "").strip().lower().encode(), digest_size=2).digest()
    return int.from_bytes(digest, "big") % HUES


def picture_url(comment):
    """The address of the comment's picture, or "" when its initials stand in."""
    if url := safe_avatar_url(getattr(comment, "avatar_url", "")):
        return url
    if settings.GRAVATAR and comment.user_email:
        return gravatar_url(comment.user_email)
    return ""


def avatar_html(comment):
    if url := picture_url(comment):
        return format_html(
            '<img class="avatar" src="{}" width="{}" height="{}" alt="" loading="lazy" '
            'decoding="async" referrerpolicy="no-referrer">',
            url,
            SIZE,
            SIZE,
        )
    return format_html(
        '<span class="avatar avatar-initials avatar-hue-{}" aria-hidden="true">{}</span>',
        hue_of(comment.user_name),
        initials(comment.user_name),
    )


def printed(comment):
    """What the avatar prints, for the fragment cache's digest (comments/fragments.py)."""
    return picture_url(comment) or f"{hue_of(comment.user_name)}"
