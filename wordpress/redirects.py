"""Old WordPress links, answered with a permanent redirect to where things live now.

WordPress's query links (`/?p=<id>`, `/?page_id=<id>`, `/?attachment_id=<id>`,
`/?feed=rss2`) come to the home page: the middleware answers them before the home
view runs. Paths this blog does not have (a page under its parent, an attachment
page, a permalink of another shape) end in a 404, which the middleware turns into a
redirect when an imported item had that path. The lookups live in `ImportedItem`'s
queryset; unpublished targets are never revealed.

The middleware sits inside the page cache, whose key holds the query string: a
cached home page never answers `/?p=123`, and a redirect is never cached.
"""

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

from .models import ImportedItem

QUERY_LINKS = {
    "p": ("post", "page", "attachment"),
    "page_id": ("page",),
    "attachment_id": ("attachment",),
}
# WordPress's ?feed=atom and every other ?feed= (rss2, rss, rdf) go to the blog's feeds.
FEED_URL_NAMES = {"atom": "blog:posts_atom"}
DEFAULT_FEED_URL_NAME = "blog:posts_feed"


def old_query_target(params):
    """Where a WordPress query link points now, or None."""
    for name, wp_types in QUERY_LINKS.items():
        if name in params:
            return ImportedItem.objects.public_url(wp_types, params[name])
    if "feed" in params:
        return reverse(FEED_URL_NAMES.get(params["feed"], DEFAULT_FEED_URL_NAME))
    return None


def is_old_query_link(request):
    # WordPress's search (/?s=…) is the blog's own redirect: its home view answers it
    # first, whatever else the query holds.
    return bool(request.GET) and "s" not in request.GET and request.path == reverse("blog:home")


class OldLinksMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if is_old_query_link(request) and (target := old_query_target(request.GET)):
            return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code == 404:
            target = ImportedItem.objects.public_url_for_path(request.path)
            if target:
                return HttpResponsePermanentRedirect(target)
        return response
