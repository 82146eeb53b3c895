"""Refuse request addresses no page could answer, before anything queries for them.

A NUL character cannot be stored in or compared with a PostgreSQL text column: a
path or query holding one (`/%00/`, `/?s=%00`) would reach a lookup and end in a
DataError. Other control characters (C0 and DEL) are never part of a link either.
They are refused here with a plain 400 page that touches no database. Broken
percent-encoding needs nothing: Django keeps it percent-encoded in the path and
turns it into U+FFFD in the query, both harmless."""

import re

from django.http import HttpResponseBadRequest
from django.template import loader

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(request):
    if CONTROL_CHARACTERS.search(request.path):
        return True
    return any(
        CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(v) for v in values)
        for key, values in request.GET.lists()
    )


def bad_request_page():
    return HttpResponseBadRequest(loader.render_to_string("400.html"))


class RefuseUnreadableInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_control_characters(request):
            return bad_request_page()
        return self.get_response(request)
