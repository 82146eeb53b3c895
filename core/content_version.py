"""One version number for "what readers can see".

Cached pages (`core/page_cache.py`) and cached fragments (the sidebar, related
posts) put it in their keys. Each app connects the models readers see through
`bump_on_change` in its own `AppConfig.ready`, so any save or delete of them, and
any change to their many-to-many links, makes every cached page stale at once.
Writes that bypass signals (`update()`, `bulk_create()`) call
`bump_content_version()` themselves. Time-based changes (a scheduled post going
live) are covered by the short lifetime of each cached entry.
"""

import uuid

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "content-version"


def content_version():
    return cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def bump_content_version(**kwargs):
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def bump_on_change(*models):
    """Bump the version whenever one of `models` is saved or deleted."""
    for model in models:
        label = model._meta.label
        post_save.connect(bump_content_version, sender=model, dispatch_uid=f"bump-save-{label}")
        post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"bump-del-{label}")
    # Categories, tags and other links: any many-to-many change is visible somewhere.
    m2m_changed.connect(bump_content_version, dispatch_uid="bump-m2m")
