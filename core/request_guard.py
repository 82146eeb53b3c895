"""Refuse request addresses no page could answer, before anything queries for them.

A NUL character cannot be stored in or compared with a PostgreSQL text column: a
path or query holding one (`/%00/`, `/?s=%00`) would reach a lookup and end in a
DataError. It is refused here with a plain 400 page that touches no database.
Nothing else needs refusing: other control characters are harmless to the
database (search drops them), broken percent-encoding stays percent-encoded in
the path and becomes U+FFFD in the query, and lone surrogates cannot survive
UTF-8 decoding."""

from django.http import HttpResponseBadRequest
from django.template import loader

NUL = "\x00"


def holds_nul(request):
    if NUL in request.path:
        return True
    return any(
        NUL in key or any(NUL in value for value in values) for key, values in request.GET.lists()
    )


def bad_request_page():
    return HttpResponseBadRequest(loader.render_to_string("400.html"))


class RefuseUnreadableInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if holds_nul(request):
            return bad_request_page()
        return self.get_response(request)
