"""The server-error page: a database that cannot be reached is "temporarily
unavailable" (503, try again soon), anything else a plain 500. Neither page touches
the database, and neither shows a stack trace."""

import sys

from django.db import DatabaseError
from django.http import HttpResponse
from django.template import loader


def server_error(request):
    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)
