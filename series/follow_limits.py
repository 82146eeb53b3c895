"""Abuse limits for the follow form: counters in the cache, per client address and
per email address (hashed: no address is kept in the cache)."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _within(key, limit):
    if not limit:
        return True
    window = settings.FOLLOW_RATE_WINDOW_MINUTES * 60
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    # A cache that is down answers None: the form keeps working, unlimited.
    return count is None or count <= limit


def ip_within_limit(ip):
    return ip is None or _within(f"follow:ip:{ip}", settings.FOLLOW_RATE_LIMIT_PER_IP)


def address_within_limit(email):
    digest = hashlib.sha256(email.encode()).hexdigest()[:32]
    return _within(f"follow:address:{digest}", settings.FOLLOW_RATE_LIMIT_PER_ADDRESS)
