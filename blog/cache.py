"""One version number for "what readers can see". Cached fragments and pages key on
it, and every change that readers could notice (a post, page, category or tag saved
or deleted; a comment changing state; a series or guide renumbered) bumps it, so
nothing stale is served. Time-based changes (a scheduled post going live) are
covered by the short lifetime of each cached entry."""

import uuid

from django.core.cache import cache

VERSION_KEY = "content-version"
FRAGMENT_SECONDS = 300


def content_version():
    return cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def bump_content_version(**kwargs):
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def connect_invalidation(*models):
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in models:
        post_save.connect(bump_content_version, sender=model, dispatch_uid=f"bump-save-{model}")
        post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"bump-del-{model}")
    m2m_changed.connect(bump_content_version, dispatch_uid="bump-m2m")
