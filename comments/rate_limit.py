"""The comment rate limit's counter: one row per client address, bumped by a single
INSERT … ON CONFLICT DO UPDATE … RETURNING (PostgreSQL, and SQLite ≥ 3.35), so the
database hands each concurrent comment its own number and the limit is exact."""

import time

from django.conf import settings
from django.db import connection

from .models import RateCounter


def window_seconds():
    return settings.COMMENTS_RATE_WINDOW_MINUTES * 60


def count_comment(address, now=None):
    """Count one more comment from `address`; return how many it sent in its window,
    this one included. A window older than COMMENTS_RATE_WINDOW_MINUTES starts again."""
    now = int(time.time() if now is None else now)
    expired_before = now - window_seconds()
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    sql = f"""
        INSERT INTO {table} (address, window_start, hits) VALUES (%s, %s, 1)
        ON CONFLICT (address) DO UPDATE SET
            hits = CASE WHEN {table}.window_start <= %s THEN 1 ELSE {table}.hits + 1 END,
            window_start = CASE WHEN {table}.window_start <= %s
                THEN excluded.window_start ELSE {table}.window_start END
        RETURNING hits
    """  # noqa: S608 (the table name is ours, quoted; the values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [address, now, expired_before, expired_before])
        return cursor.fetchone()[0]


def forget_expired(now=None):
    """Delete the counters whose window ran out (the worker's nightly purge)."""
    now = int(time.time() if now is None else now)
    deleted, _ = RateCounter.objects.filter(window_start__lte=now - window_seconds()).delete()
    return deleted
