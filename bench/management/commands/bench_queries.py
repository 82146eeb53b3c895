"""Count the database queries of bench_site's requests, in-process with Django's test
client. bench_site runs it with the benchmark server's environment, so that the
settings and caches (PAGE_CACHE among them) are the server's."""

import json
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


class Command(BaseCommand):
    help = "Print the queries per request of the requests in a bench_site JSON file."

    def add_arguments(self, parser):
        parser.add_argument("requests_file", help="a JSON list of {name, path, form}")

    def handle(self, *args, requests_file, **options):
        client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
        counts = {}
        for request in json.loads(Path(requests_file).read_text()):
            path, form = request["path"], request["form"]
            if form is None:
                client.get(path)  # a server has served it before: count the steady state
            with CaptureQueriesContext(connection) as captured:
                if form is None:
                    response = client.get(path)
                else:
                    response = client.post(path, {**form, "comment": f"Counting {uuid.uuid4()}"})
            counts[request["name"]] = {"queries": len(captured), "status": response.status_code}
        self.stdout.write(json.dumps(counts))
