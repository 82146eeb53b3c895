"""Versions of what readers can see, one per kind of change.

A version is a random token in the cache under `version:<key>`; `bump(*keys)` gives
each key a new one, so everything cached under the old token is stale at once.
Keys follow what pages show:

- `"content"`: anything the author edits (posts, pages, taxonomy, images, profiles,
  series, guides). Every cached page depends on it.
- `"discussion:<post pk>"`: that post's public comments (its page, its comment
  feed, its comment count in listings); `"discussion:page:<page pk>"` a page's.
  Comments bump it only when a comment becomes public or leaves public
  (`comments/visibility.py`): a held or spam comment bumps nothing.
- `"comments"`: the recent-comments widget.

Two keys are bumped along with any other: `"any"` (so a page rendered while
something changed is not cached, see `core/page_cache.py`) and, for `family:id`
keys, the family (`"discussion"`), which a page listing many posts depends on
instead of one key per post.

Bumps happen at once and again after the transaction commits: a reader who
rendered between the two with data from before the commit stored it under the
first token, which the second makes stale. Models connected with `bump_on_change`
bump `"content"` on every save, delete and many-to-many change; writes that bypass
signals (`update()`, `bulk_create()`) call `bump_content_version()` themselves.
Time-based changes (a scheduled post going live) are covered by the short
lifetime of each cached entry.

A bump that cannot reach the cache (Redis away, or its breaker open, see
core/cache_client.py) is not lost: it is kept in the process and in the database
(`LostVersionBump`) and replayed once the cache answers again, by the process that
noticed the outage before it serves its next request, and by the worker every
minute for the others. So a page cached before the outage is not served stale
after a change made during it.
"""

import hashlib
import logging
import threading
import uuid

from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .cache_client import cache_reachable, outages_seen

logger = logging.getLogger(__name__)

CONTENT = "content"
ANY = "any"
PREFIX = "version:"


def cache_key(key):
    return PREFIX + key


def new_token():
    return uuid.uuid4().hex


def tokens(keys, create=True):
    """{key: token} for `keys` in one round trip; keys the cache lost (or never
    had) get a new token unless `create` is false (then they are left out)."""
    found = cache.get_many([cache_key(key) for key in keys])
    current = {key: found[cache_key(key)] for key in keys if cache_key(key) in found}
    missing = {key: new_token() for key in keys if key not in current}
    if missing and create:
        cache.set_many({cache_key(key): token for key, token in missing.items()}, timeout=None)
        current.update(missing)
    return current


def combine(token_list):
    if len(token_list) == 1:
        return token_list[0]
    return hashlib.blake2b("".join(token_list).encode(), digest_size=16).hexdigest()


def version(*keys):
    """One token for all of `keys` (one cache round trip): a fragment cached under it
    is stale as soon as any of them is bumped."""
    current = tokens(keys)
    return combine([current[key] for key in keys])


def content_version():
    return version(CONTENT)


def keys_with_families(keys):
    result = set(keys)
    for key in keys:
        family, sep, _ = key.partition(":")
        if sep:
            result.add(family)
    return result | {ANY}


def bump_now(keys):
    if not set_new_tokens(keys_with_families(keys)):
        keep_lost(keys)


def set_new_tokens(keys):
    """Give each of `keys` a new token; False when the cache could not take them."""
    if not cache_reachable(cache):
        return False
    cache.set_many({cache_key(key): new_token() for key in keys}, timeout=None)
    return cache_reachable(cache)  # a failed call has opened the breaker


class Lost:
    """This process's bumps that did not reach the cache, and the outages it has
    replayed the database's record of."""

    lock = threading.Lock()
    keys = set()
    outages_replayed = 0


def keep_lost(keys):
    from .models import LostVersionBump

    keys = keys_with_families(keys)
    with Lost.lock:
        Lost.keys |= keys
    try:
        with transaction.atomic():  # a savepoint: a failure here spoils no outer transaction
            LostVersionBump.objects.bulk_create([LostVersionBump(key=k) for k in sorted(keys)])
    except DatabaseError:  # kept in the process still; the database may be away too
        logger.warning("Could not record lost version bumps %s", sorted(keys))


def replay_lost_bumps(*, everyone=False):
    """Bump again what did not reach the cache. Cheap when there is nothing to do
    (no query): the database's record is read only after this process saw the cache
    fail, or when `everyone` (the worker, for the processes that did not)."""
    from .models import LostVersionBump

    outages = outages_seen()
    if not (Lost.keys or everyone or outages != Lost.outages_replayed):
        return 0
    if not cache_reachable(cache):
        return 0  # still away: the next request tries again
    try:
        rows = list(LostVersionBump.objects.values_list("pk", "key"))
    except DatabaseError:
        return 0  # the database is away too: the next request tries again
    with Lost.lock:
        keys = Lost.keys | {key for _, key in rows}
        Lost.keys = set()
    if keys and not set_new_tokens(keys):
        with Lost.lock:
            Lost.keys |= keys
        return 0
    LostVersionBump.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
    Lost.outages_replayed = outages
    if keys:
        logger.info("Replayed %s version bumps that missed the cache", len(keys))
    return len(keys)


def bump(*keys):
    """Make everything cached under `keys` stale: now, and again after the commit
    when inside a transaction."""
    bump_now(keys)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: bump_now(keys))


def bump_content_version(**kwargs):
    """Bump "content"; takes a signal's keyword arguments, so it can be a receiver."""
    bump(CONTENT)


def bump_on_change(*models):
    """Bump "content" whenever one of `models` is saved or deleted."""
    for model in models:
        label = model._meta.label
        post_save.connect(bump_content_version, sender=model, dispatch_uid=f"bump-save-{label}")
        post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"bump-del-{label}")
    # Categories, tags and other links: any many-to-many change is visible somewhere.
    m2m_changed.connect(bump_content_version, dispatch_uid="bump-m2m")
