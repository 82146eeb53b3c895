"""Stable links between posts: `[[post:42]]` or `[[post:42|words]]` in a body.

Stored as written and resolved when shown, so a link follows its post through
slug and title changes. One query per body, whatever the number of links.
"""

import re

from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

LINK = re.compile(r"\[\[post:(\d{1,18})(?:\|([^\]]{0,300}))?\]\]")


def resolve_internal_links(html):
    """Replace link tokens in sanitised HTML with links to published posts."""
    from .models import Post

    ids = {int(match.group(1)) for match in LINK.finditer(html)}
    if not ids:
        return mark_safe(html)  # noqa: S308 (sanitised on save)
    posts = {
        post.pk: post
        for post in Post.objects.published()
        .filter(pk__in=ids)
        .only("title", "slug", "published_at")
    }

    def replace(match):
        post = posts.get(int(match.group(1)))
        # The words come from sanitised HTML: entities are escaped already, and
        # tags are dropped so that no link lands inside another.
        words = mark_safe(strip_tags(match.group(2) or ""))  # noqa: S308
        if post is None:
            return words
        return format_html('<a href="{}">{}</a>', post.get_absolute_url(), words or post.title)

    return mark_safe(LINK.sub(replace, html))  # noqa: S308 (sanitised, links built escaped)


def strip_internal_links(text):
    """Plain text for excerpts: a token becomes its words, or nothing."""
    return LINK.sub(lambda match: match.group(2) or "", text)
