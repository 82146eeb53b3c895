"""A small circuit breaker for slow or dead dependencies (Akismet, Redis).

Closed, calls go through. After `threshold` consecutive failures it opens: for
`open_seconds` callers are told not to try (`allows()` is False), so a dead service
costs nothing instead of a timeout per call. Then one call is let through again;
its success closes the breaker, its failure opens it for another interval.

The state is kept in the process and, when `shared`, also in the cache, so that
every process (web workers, task workers) learns at once what one of them found.
The cache may itself be unreachable: the process's own state still holds. The
cache's own breaker (core/cache_client.py) is never shared, for that reason.

pybreaker and purgatory were considered: pybreaker shares state only through its
own Redis storage (not Django's cache, whose outage then breaks the breaker), and
purgatory is async-first; this is the 60 lines the two uses need.
"""

import contextlib
import logging
import threading
import time

logger = logging.getLogger(__name__)


class CircuitBreaker:
    # Subclasses may read these from settings instead (properties).
    threshold = 1
    open_seconds = 5.0

    def __init__(self, name, *, threshold=None, open_seconds=None, shared=False):
        self.name = name
        if threshold is not None:
            self.threshold = threshold
        if open_seconds is not None:
            self.open_seconds = open_seconds
        self.shared = shared
        self._failures = 0
        self._open_until = 0.0  # time.time(): comparable across processes
        self._lock = threading.Lock()

    # Cache keys of the shared state.
    @property
    def _failures_key(self):
        return f"breaker:{self.name}:failures"

    @property
    def _open_key(self):
        return f"breaker:{self.name}:open-until"

    def allows(self):
        """Whether a call may be tried now."""
        now = time.time()
        if now < self._open_until:
            return False
        if self.shared:
            open_until = self._cache().get(self._open_key) or 0
            if now < open_until:
                self._open_until = open_until  # spares the next callers the look-up
                return False
        return True

    def is_open(self):
        return not self.allows()

    def succeeded(self):
        had_failures = self._failures
        with self._lock:
            self._failures, self._open_until = 0, 0.0
        if self.shared and had_failures:
            self._cache().delete_many([self._failures_key, self._open_key])

    def failed(self, error=""):
        """Count a failure; at `threshold` in a row, open for `open_seconds`."""
        with self._lock:
            self._failures += 1
            failures = self._failures
        if self.shared:
            cache = self._cache()
            cache.add(self._failures_key, 0, timeout=24 * 3600)
            with contextlib.suppress(ValueError):  # the key vanished meanwhile
                failures = max(failures, cache.incr(self._failures_key) or 0)
        if failures >= max(self.threshold, 1):
            self.open(error)

    def open(self, error=""):
        open_until = time.time() + self.open_seconds
        with self._lock:
            was_open = time.time() < self._open_until
            self._open_until = open_until
        if self.shared:
            self._cache().set(self._open_key, open_until, timeout=max(int(self.open_seconds), 1))
        if not was_open:  # once per interval, not once per refused call
            logger.warning(
                "%s unavailable (%s): not tried for %s s", self.name, error, self.open_seconds
            )

    def reset(self):
        """Forget every failure (tests, and a manual reset)."""
        self.succeeded()
        self._failures = 0
        if self.shared:
            self._cache().delete_many([self._failures_key, self._open_key])

    @staticmethod
    def _cache():
        from django.core.cache import cache

        return cache
