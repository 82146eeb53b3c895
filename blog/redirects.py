"""Old WordPress links, answered with a permanent redirect to where things live now.

WordPress's query links (`/?p=<id>`, `/?page_id=<id>`, `/?attachment_id=<id>`,
`/?feed=rss2`) come to the home page; paths this blog does not have (a page under
its parent, an attachment page, a permalink of another shape) end in a 404, which
the middleware turns into a redirect when an imported item had that path. The
lookups live in `ImportedItem`'s queryset; unpublished targets are never revealed.
"""

from django.http import HttpResponsePermanentRedirect

from .models import ImportedItem

QUERY_LINKS = {
    "p": ("post", "page", "attachment"),
    "page_id": ("page",),
    "attachment_id": ("attachment",),
}
# The feeds (/feed/, /feed/atom/) are WordPress's own paths, kept by this blog.
FEED_PATHS = {"atom": "/feed/atom/"}
DEFAULT_FEED_PATH = "/feed/"


def old_query_target(params):
    """Where a WordPress query link points now, or None."""
    for name, wp_types in QUERY_LINKS.items():
        if name in params:
            return ImportedItem.objects.public_url(wp_types, params[name])
    if "feed" in params:
        return FEED_PATHS.get(params["feed"], DEFAULT_FEED_PATH)
    return None


class OldLinksMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            target = ImportedItem.objects.public_url_for_path(request.path)
            if target:
                return HttpResponsePermanentRedirect(target)
        return response
