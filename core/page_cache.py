"""Whole-page caching for anonymous readers.

A page is shared only with readers who carry nothing personal: no session (so no
login), no messages, no own-comments cookie (a held comment of their own). Pages of
everyone else are rendered for them and marked private. The key holds the content version
(`core/content_version.py`), so any change readers could notice makes every cached page
stale at once; entries also expire after PAGE_CACHE_SECONDS (scheduled posts).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_cache_control, patch_vary_headers

from .content_version import content_version

PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages", settings.OWN_COMMENTS_COOKIE_NAME)
SKIPPED_PREFIXES = ("/admin/", "/comments/", "/healthz", "/media/", "/static/")


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
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page:{content_version()}:{digest}"


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (settings.PAGE_CACHE and is_shareable_request(request)):
            response = self.get_response(request)
            if not request.path.startswith(SKIPPED_PREFIXES):
                patch_cache_control(response, private=True)
            return response
        key = page_key(request)
        cached = cache.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if is_shareable_response(response):
            patch_vary_headers(response, ["Cookie"])
            patch_cache_control(response, public=True, max_age=settings.PAGE_MAX_AGE)
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        response["X-Page-Cache"] = "miss"
        return response
