""" "Save my name, email, and website in this browser for the next time I comment."

Ticked, the comment's answer stores them in the `comment_author` cookie for a year;
unticked, it deletes that cookie. The cookie is the reader's own: the server never
reads it to render a page, so pages stay shared (it is not among the page cache's
personal cookies, core/page_cache.py, nor nginx's, config/nginx-front-cache.conf)
and static/comments/comment-box.js fills the form from it in the browser. Not
HttpOnly for that reason; it holds nothing the reader did not type.
"""

import json
from urllib.parse import quote

COOKIE_NAME = "comment_author"
COOKIE_SECONDS = 365 * 24 * 3600
FIELDS = ("name", "email", "url")


def cookie_value(data):
    """JSON, percent-encoded so that every character is legal in a cookie: the
    script reads it with JSON.parse(decodeURIComponent(value))."""
    kept = {field: (data.get(field) or "").strip() for field in FIELDS}
    return quote(json.dumps(kept, separators=(",", ":")), safe="")


def remember_author(request, response, data):
    """Store (or forget) an anonymous commenter's details as they asked. Returns
    `response`."""
    if request.user.is_authenticated:
        return response  # their account knows them
    if data.get("remember"):
        response.set_cookie(
            COOKIE_NAME,
            cookie_value(data),
            max_age=COOKIE_SECONDS,
            secure=request.is_secure(),
            httponly=False,
            samesite="Lax",
        )
    elif COOKIE_NAME in request.COOKIES:
        response.delete_cookie(COOKIE_NAME, samesite="Lax")
    return response
