"""How likes reach cached pages without re-rendering a popular post on every click.

A post's page shows its like count as of rendering and depends on the version key
`likes:<pk>` (core/page_cache.py). A like bumps that key at once only when it was
not bumped in the last LIKES_REFRESH_SECONDS; otherwise the change waits, marked
pending, until the next like or the next reader's script asking for the count
(`catch_up`) after the quiet time. So the cached page is stale at most that long
(PAGE_CACHE_SECONDS when nobody comes by), and readers with JavaScript get the
live count from the likes endpoint anyway."""

from django.conf import settings
from django.core.cache import cache

from core.content_version import bump


def likes_key(post_pk):
    return f"likes:{post_pk}"


def _quiet_key(post_pk):
    return f"likes-quiet:{post_pk}"


def _pending_key(post_pk):
    return f"likes-pending:{post_pk}"


def _bump_unless_recent(post_pk):
    seconds = settings.LIKES_REFRESH_SECONDS
    if seconds > 0 and not cache.add(_quiet_key(post_pk), 1, seconds):
        return False
    cache.delete(_pending_key(post_pk))
    bump(likes_key(post_pk))
    return True


def note_change(post_pk):
    """A like came or went: bump now, or mark it pending if bumped recently."""
    if not _bump_unless_recent(post_pk):
        cache.set(_pending_key(post_pk), 1, settings.PAGE_CACHE_SECONDS)


def catch_up(post_pk):
    """Bump a pending change once its quiet time is over."""
    if cache.get(_pending_key(post_pk)):
        _bump_unless_recent(post_pk)
