"""Anonymous pages are cached and carry no CSRF token, so their forms are checked
by origin: a browser's Origin (or Referer) header may not name another site."""

from django.middleware.csrf import CsrfViewMiddleware
from django.utils.http import url_has_allowed_host_and_scheme


def from_another_site(request):
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if source is None:
        return False  # not a browser form from another site: browsers send Origin on POST
    return source == "null" or not url_has_allowed_host_and_scheme(source, {request.get_host()})


def forged(request):
    """Whether a form POST may not be trusted: a signed-in reader's must carry
    Django's CSRF token (their pages are never shared, so they have one); an
    anonymous reader's, from a cached page without a token, must come from here."""
    if request.user.is_authenticated:
        check = CsrfViewMiddleware(lambda request: None)
        return check.process_view(request, None, (), {}) is not None
    return from_another_site(request)
