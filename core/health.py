"""`/healthz` for load balancers and container healthchecks.

A middleware placed first, so it answers before host validation and the HTTPS
redirect: the probe comes from inside the network, by IP, over plain HTTP.
"""

from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpResponse

HEALTH_PATH = "/healthz"


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") != HEALTH_PATH:
            return self.get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            return HttpResponse("database unreachable\n", status=503, content_type="text/plain")
        response = HttpResponse("ok\n", content_type="text/plain")
        response["Cache-Control"] = "no-store"
        return response
