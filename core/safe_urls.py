"""Stored addresses that may be sent to a browser as a redirect.

An address from an import or a form is data, not a trusted link: `javascript:`,
`data:` or a scheme-relative `//host` must never become a Location header. Only
absolute http(s) addresses with a host, and paths on this site, pass."""

from urllib.parse import urlsplit

ALLOWED_SCHEMES = {"http", "https"}


def redirectable(url):
    """`url` if it is safe to redirect to, else None."""
    url = (url or "").strip()
    if not url or any(ord(char) < 32 or char == "\\" for char in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # an unbalanced [ in the host
        return None
    if parts.scheme:
        return url if parts.scheme.lower() in ALLOWED_SCHEMES and parts.hostname else None
    is_local_path = url.startswith("/") and not url.startswith("//")
    return url if is_local_path else None
