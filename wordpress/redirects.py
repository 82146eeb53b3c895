"""Old WordPress links, answered with a permanent redirect to where things live now.

WordPress's query links (`/?p=<id>`, `/?cat=<id>&feed=rss2`, `/?m=202405`, also at
`/index.php?…`) come to the home page: the middleware answers them before the home
view runs (`old_queries`). Paths this blog does not have (a feed or a page number
under a listing, a page under its parent, an attachment page, a permalink of
another shape) end in a 404, which the middleware turns into a redirect when it
knows where they went (`old_paths`). Unpublished targets are never revealed: the
home page or the 404 answers as for any unknown link.

The middleware sits inside the page cache, whose key holds the query string: a
cached home page never answers `/?p=123`, and a redirect is never cached.
"""

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

from .old_paths import path_target
from .old_queries import query_target

# WordPress answers its query links at the site's root and at /index.php alike.
INDEX_PATHS = ("/index.php",)


def is_old_query_link(request):
    # WordPress's search (/?s=…) is the blog's own redirect: its home view answers it
    # first, whatever else the query holds.
    is_home = request.path == reverse("blog:home") or request.path in INDEX_PATHS
    return bool(request.GET) and "s" not in request.GET and is_home


class OldLinksMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if is_old_query_link(request) and (target := query_target(request.GET)):
            return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code == 404 and (target := path_target(request.path)):
            return HttpResponsePermanentRedirect(target)
        return response
