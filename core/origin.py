"""Anonymous pages are cached and carry no CSRF token, so their forms are checked
by origin: a browser's Origin (or Referer) header may not name another site."""

from django.utils.http import url_has_allowed_host_and_scheme


def from_another_site(request):
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if source is None:
        return False  # not a browser form from another site: browsers send Origin on POST
    return source == "null" or not url_has_allowed_host_and_scheme(source, {request.get_host()})
