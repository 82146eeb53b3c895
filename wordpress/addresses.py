"""Slugs and paths from WordPress's, as this blog's URLs need them."""

import re
from urllib.parse import unquote, urlsplit

from django.utils.text import slugify


def clean_slug(raw, limit=200):
    """A WordPress slug (often percent-encoded UTF-8) as a slug this blog accepts."""
    return slugify(unquote(raw or ""), allow_unicode=True)[:limit].strip("-_")


def old_path(url):
    """The path of an old WordPress address, as a request for it shows it."""
    path = unquote(urlsplit(url or "").path)
    return re.sub("/{2,}", "/", path)[:500]
