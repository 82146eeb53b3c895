"""Whole-page caching for anonymous readers.

A page is shared only with readers who carry nothing personal: no session (so no
login), no messages, no own-comments cookie (a held comment of their own). Pages of
everyone else are rendered for them and marked private. (The "Save my name…" cookie
is not personal here: no page is rendered from it; comments/remember.py.)

Each cached page records what it shows: the content-version keys
(`core/content_version.py`) it was rendered under and their tokens. Every page
shows "content"; views, template tags and listings add their own with
`depends_on()` while they render (a post's page: "discussion:<pk>"; a listing:
"discussion:<pk>" of each post whose comment count it prints). A hit is served only
while every recorded token is still current (one get_many), so a change makes stale
exactly the pages that show it, and a held comment (which bumps nothing) none.
Entries also expire after PAGE_CACHE_SECONDS (scheduled posts).

Tokens are read after rendering, so a page is stored only if the "any" token,
read before rendering and bumped with every key, did not move meanwhile: nothing
changed while it rendered. One process at a time renders a missing page; others
asking for it meanwhile wait for its entry. Live fragments (`core/live_fragments.py`)
are filled in as pages leave, cached or not.
nginx in front (config/nginx-front-cache.conf) keeps shareable pages only
FRONT_CACHE_SECONDS, as the X-Accel-Expires header tells it.
"""

import copy
import hashlib
import time
from collections import Counter
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_cache_control, patch_vary_headers

from . import live_fragments
from .content_version import ANY, CONTENT, cache_key, new_token, replay_lost_bumps, tokens
from .site_url import follows_request

PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages", settings.OWN_COMMENTS_COOKIE_NAME)
SKIPPED_PREFIXES = ("/accounts/", "/admin/", "/comments/", "/healthz", "/media/", "/static/")
# Past this many keys of one family ("discussion:1", "discussion:2", …) a page
# depends on the family ("discussion") instead: one key to check, not hundreds.
FAMILY_LIMIT = 30
# While one process renders a page, others asking for it wait for its entry (checking
# every step) rather than render it too; at most this long, in case it never comes.
RENDER_LOCK_SECONDS = 10
RENDER_WAIT_STEP = 0.02

_shown = ContextVar("page_cache_shown", default=None)


def depends_on(*keys):
    """Record that the page being rendered shows what `keys` version. Outside a
    cacheable request it does nothing."""
    shown = _shown.get()
    if shown is not None:
        shown.update(keys)


def compact(keys):
    families = Counter(key.partition(":")[0] for key in keys if ":" in key)
    crowded = {family for family, n in families.items() if n > FAMILY_LIMIT}
    kept = {key for key in keys if ":" not in key or key.partition(":")[0] not in crowded}
    return kept | crowded


def is_shareable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
        and not request.path.startswith(SKIPPED_PREFIXES)
    )


def is_shareable_response(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and "no-cache" not in response.get("Cache-Control", "")
    )


def page_key(request):
    # The scheme too: a feed served over HTTPS carries https:// links (is_secure()).
    address = f"{request.scheme}:{request.get_full_path()}"
    if follows_request():  # development: its links name the host it was asked from
        address = f"{request.get_host()}:{address}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page-entry:{digest}"  # not "page:", whose entries had another shape


def cached_response(entry):
    """The entry's response with its live fragments filled, or None when a key it
    shows has changed since it was stored."""
    pieces = entry["pieces"]
    keys = [cache_key(key) for key in entry["shows"]]
    found = cache.get_many(keys + live_fragments.cache_keys(live_fragments.names_in(pieces)))
    if any(found.get(cache_key(key)) != token for key, token in entry["shows"].items()):
        return None
    response = entry["response"]
    return live_fragments.assemble(response, pieces, found) if pieces else response


def current_fence(token):
    """The "any" token (`token`, as read with the page), created if the cache has none."""
    if token is None:
        cache.add(cache_key(ANY), new_token(), timeout=None)
        token = cache.get(cache_key(ANY))
    return token


def store(key, response, shown, fence):
    """Cache `response` with the tokens of what it shows, unless anything changed
    since `fence` was read (before rendering)."""
    shows = compact(shown | {CONTENT})
    current = tokens(shows | {ANY}, create=False)
    if any(k not in current for k in shows):
        tokens(shows)  # new keys: give them tokens, then check nothing moved meanwhile
        current = tokens(shows | {ANY}, create=False)
    if current.get(ANY) != fence or any(k not in current for k in shows):
        return
    pieces = live_fragments.split(response)
    if pieces:
        # The pieces hold the content; the reader being answered keeps theirs.
        response = copy.copy(response)
        response.content = b""
    entry = {"shows": {k: current[k] for k in shows}, "pieces": pieces, "response": response}
    cache.set(key, entry, settings.PAGE_CACHE_SECONDS)


def wait_for_render(key, lock):
    """Another process is rendering this page (a comment was just approved on a
    popular post): wait for its entry rather than render the page once more beside
    it, as nginx's proxy_cache_lock does. None when it ends without one."""
    deadline = time.monotonic() + RENDER_LOCK_SECONDS
    while time.monotonic() < deadline:
        time.sleep(RENDER_WAIT_STEP)
        found = cache.get_many([key, lock])
        if key in found and (response := cached_response(found[key])) is not None:
            return response
        if lock not in found:
            return None
    return None


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Bumps that missed the cache during an outage, before any entry is trusted.
        replay_lost_bumps()
        if not (settings.PAGE_CACHE and is_shareable_request(request)):
            response = self.get_response(request)
            if not request.path.startswith(SKIPPED_PREFIXES):
                patch_cache_control(response, private=True)
            return live_fragments.fill(response)
        key = page_key(request)
        found = cache.get_many([key, cache_key(ANY)])
        if key in found:
            response = cached_response(found[key])
            if response is not None:
                response["X-Page-Cache"] = "hit"
                return response
        fence = current_fence(found.get(cache_key(ANY)))
        lock = f"rendering:{key}"
        # False: another process renders it. None: the cache did not answer (away,
        # or skipped by its breaker), so there is nobody to wait for.
        if cache.add(lock, 1, RENDER_LOCK_SECONDS) is False:
            response = wait_for_render(key, lock)
            if response is not None:
                response["X-Page-Cache"] = "hit"
                return response
        try:
            response = self.render(request, key, fence)
        finally:
            cache.delete(lock)
        response["X-Page-Cache"] = "miss"
        return live_fragments.fill(response)

    def render(self, request, key, fence):
        shown = set()
        reset = _shown.set(shown)
        try:
            response = self.get_response(request)
        finally:
            _shown.reset(reset)
        if is_shareable_response(response):
            patch_vary_headers(response, ["Cookie"])
            patch_cache_control(response, public=True, max_age=settings.PAGE_MAX_AGE)
            # How long nginx's front cache keeps it (config/nginx-front-cache.conf);
            # nginx reads this before Cache-Control and passes it on to nobody.
            response["X-Accel-Expires"] = str(settings.FRONT_CACHE_SECONDS)
            store(key, response, shown, fence)
        return response
