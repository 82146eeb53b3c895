"""The site's address for absolute links (feeds, canonical tags, sitemaps, mail).

SITE_URL when it is set, as in production: whatever Host a request names, links
point at the public address. In development (DEBUG) without it, the address the
request came to, so that `PORT=8123 make run` links to :8123; without it otherwise,
SITE_URL's default host with the request's scheme (https behind a trusted proxy). Code without a
request (mail sent by the worker) gets SITE_URL's default, made from PORT.
"""

from contextvars import ContextVar
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.contenttypes.views import shortcut
from django.http import HttpResponseRedirect

_request_site_url = ContextVar("request_site_url", default=None)


def follows_request():
    """Whether links are made from each request's host (development only)."""
    return settings.DEBUG and not settings.SITE_URL_SET


def request_site_url(request):
    """Without SITE_URL, the request's scheme (https behind a trusted proxy) and, in
    development, its host; None when SITE_URL is set."""
    if settings.SITE_URL_SET:
        return None
    host = request.get_host() if settings.DEBUG else urlsplit(settings.SITE_URL).netloc
    return f"{request.scheme}://{host}"


def site_url():
    """ "https://blog.example.org", without a trailing slash."""
    return _request_site_url.get() or settings.SITE_URL


class SiteUrlMiddleware:
    """Tells `site_url()` the request's own address while it is served."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        address = request_site_url(request)
        if address is None:
            return self.get_response(request)
        token = _request_site_url.set(address)
        try:
            return self.get_response(request)
        finally:
            _request_site_url.reset(token)


def view_on_site(request, content_type_id, object_id):
    """The admin's "View on site", at `site_url()` rather than the sites framework's
    record (which holds the address of the last `migrate`)."""
    location = urlsplit(shortcut(request, content_type_id, object_id)["Location"])
    site = urlsplit(site_url())
    return HttpResponseRedirect(urlunsplit((site.scheme, site.netloc, *location[2:])))
