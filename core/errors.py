"""The server-error page. Only a database that cannot be reached is "temporarily
unavailable" (503, try again soon): a lost or refused connection. A value the
database or Python refused (a DataError, a number out of range) came from the
request and is answered 400 with a plain page; the views should have caught it
first, so Django still logs it with its traceback (as a warning, since the answer
is a 4xx: not mailed to ADMINS). Anything else is a plain 500. No page touches the
database, and none shows a stack trace."""

import sys

from django.db import DataError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

CONNECTION_FAILURES = (OperationalError, InterfaceError)
BAD_INPUT = (DataError, ValueError, OverflowError)


def server_error(request):
    error = sys.exc_info()[1]
    if isinstance(error, CONNECTION_FAILURES):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    if isinstance(error, BAD_INPUT):
        return HttpResponse(loader.render_to_string("400.html"), status=400)
    return HttpResponse(loader.render_to_string("500.html"), status=500)
