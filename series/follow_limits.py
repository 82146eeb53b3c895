"""Abuse limits for the follow form: counters in the cache, per client address and
per email address (hashed: no address is kept in the cache)."""

import hashlib

from django.conf import settings

from core.cache_limits import within_limit


def _within(key, limit):
    return within_limit(key, limit, settings.FOLLOW_RATE_WINDOW_MINUTES * 60)


def ip_within_limit(ip):
    return ip is None or _within(f"follow:ip:{ip}", settings.FOLLOW_RATE_LIMIT_PER_IP)


def address_within_limit(email):
    digest = hashlib.sha256(email.encode()).hexdigest()[:32]
    return _within(f"follow:address:{digest}", settings.FOLLOW_RATE_LIMIT_PER_ADDRESS)
