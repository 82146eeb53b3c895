"""Stable links between posts: `[[post:42]]` or `[[post:42|words]]` in a body.

Stored as written and resolved when shown (`PostQuerySet.render_links`), so a link
follows its post through slug and title changes.
"""

import re

from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

LINK = re.compile(r"\[\[post:(\d{1,18})(?:\|([^\]]{0,300}))?\]\]")


def linked_post_ids(html):
    return {int(match.group(1)) for match in LINK.finditer(html)}


def render_internal_links(html, posts):
    """Replace link tokens in sanitised HTML with links to `posts` (id → post);
    a token whose post is not there becomes its words."""

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
