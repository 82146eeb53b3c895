"""Abuse limits kept in the cache: a counter per key (a client address, a hashed
email) that runs out after its window. Losing one to a cache restart only forgets
a few requests; a cache that is down answers None and the form keeps working."""

from django.core.cache import cache


def within_limit(key, limit, window_seconds):
    """Count one more request under `key`; whether it is still within `limit` per
    `window_seconds` (a falsy limit: no limit)."""
    if not limit:
        return True
    cache.add(key, 0, window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        count = 1
    return count is None or count <= limit
