"""django-redis's client with a circuit breaker (OPTIONS["CLIENT_CLASS"]).

IGNORE_EXCEPTIONS already turns a Redis that is down into cache misses, but a Redis
that accepts connections and never answers (paused, swapping, a network that drops
packets) costs a socket timeout per cache call, and a page makes several. After one
timeout or connection error this client skips Redis for CACHE_BREAKER_SECONDS in
this process: every call answers at once as a miss, the site renders uncached. Then
one call tries Redis again; its success closes the breaker.

The breaker is per process and per LOCATION, never kept in the cache it guards.
A failure is logged once per interval (core/circuit_breaker.py), not once per call.
"""

import functools
import socket

from django_redis.client import DefaultClient
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .circuit_breaker import CircuitBreaker

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, socket.timeout, OSError)
# The client's calls that talk to Redis; the rest (make_key, close, …) never block.
GUARDED = (
    "set", "add", "get", "get_many", "set_many", "delete", "delete_many", "delete_pattern",
    "incr", "decr", "incr_version", "has_key", "touch", "ttl", "pttl", "persist", "expire",
    "expire_at", "pexpire", "pexpire_at", "keys", "iter_keys", "clear", "lock",
)  # fmt: skip

_breakers = {}


class CacheBreaker(CircuitBreaker):
    """Counts the times it opened: content versions (core/content_version.py)
    replay the bumps lost in an outage once the cache answers again."""

    opened = 0

    def open(self, error=""):
        CacheBreaker.opened += 1
        super().open(error)


def breaker_for(location, open_seconds):
    """One breaker per Redis per process (Django's caches are per thread)."""
    key = str(location)
    if key not in _breakers:
        _breakers[key] = CacheBreaker(f"Redis cache {key}", threshold=1, open_seconds=open_seconds)
    return _breakers[key]


def outages_seen():
    """How many times a cache breaker of this process has opened."""
    return CacheBreaker.opened


class Skipped(RedisConnectionError):
    """Redis not tried: its breaker is open."""


def guarded(method):
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        if not self.breaker.allows():
            # Read by the backend's IGNORE_EXCEPTIONS as an unreachable Redis: a miss.
            raise ConnectionInterrupted(connection=None) from Skipped("circuit open")
        try:
            result = method(self, *args, **kwargs)
        except ConnectionInterrupted as exc:
            if isinstance(exc.__cause__, UNREACHABLE):
                self.breaker.failed(f"{type(exc.__cause__).__name__}: {exc.__cause__}")
            raise
        self.breaker.succeeded()
        return result

    return call


class CircuitBreakerClient(DefaultClient):
    def __init__(self, server, params, backend):
        super().__init__(server, params, backend)
        seconds = params.get("OPTIONS", {}).get("CIRCUIT_BREAKER_SECONDS", 5)
        self.breaker = breaker_for(server, seconds)

    for _name in GUARDED:
        locals()[_name] = guarded(getattr(DefaultClient, _name))
    del _name


def cache_reachable(cache):
    """False while the cache's breaker is open (other caches: always True)."""
    client = getattr(cache, "client", None)
    breaker = getattr(client, "breaker", None)
    return breaker is None or breaker.allows()
