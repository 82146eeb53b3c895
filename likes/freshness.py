"""How likes reach cached pages without re-rendering a popular post on every click.

A post's page shows its like count as of rendering and depends on the version key
`likes:<pk>` (core/page_cache.py). A like bumps that key at once only when it was
not bumped in the last LIKES_REFRESH_SECONDS; otherwise the change waits, marked
pending, until the next like or the next reader's script asking for the count
(`catch_up`) after the quiet time. So the cached page is stale at most that long
(PAGE_CACHE_SECONDS when nobody comes by), and readers with JavaScript get the
live count from the likes endpoint anyway. The count such a page shows is itself
cached under the key's version, so a re-rendered page costs no query for it."""

from django.conf import settings
from django.core.cache import cache

from core.content_version import bump, cache_key, tokens


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


def shown_count(post_pk, count_now):
    """The count a shared page shows: cached with the version of `likes:<pk>` it
    was read under (read first: a bump meanwhile leaves the entry stale), else
    `count_now()`."""
    version_key, count_key = cache_key(likes_key(post_pk)), f"likes-count:{post_pk}"
    found = cache.get_many([version_key, count_key])
    token, stored = found.get(version_key), found.get(count_key)
    if token is not None and stored is not None and stored[0] == token:
        return stored[1]
    token = token or tokens([likes_key(post_pk)])[likes_key(post_pk)]
    count = count_now()
    cache.set(count_key, (token, count), settings.PAGE_CACHE_SECONDS)
    return count
