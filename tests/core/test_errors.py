import os
import subprocess
import sys

import pytest
from django.db import DataError, OperationalError
from django.test import Client
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from tests import ROOT


def broken_view(request):
    raise RuntimeError("boom")


def refused_value_view(request):
    raise DataError("value too long for type character varying(200)")


def lost_connection_view(request):
    raise OperationalError("server closed the connection unexpectedly")


def overflow_view(request):
    raise OverflowError("date value out of range")


urlpatterns = [
    path("broken/", broken_view),
    path("refused-value/", refused_value_view),
    path("lost-connection/", lost_connection_view),
    path("overflow/", overflow_view),
    *site_urlpatterns,
]
handler500 = "core.errors.server_error"


@pytest.mark.django_db
def test_server_error_page_is_plain_and_friendly(settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "boom" not in html and "Traceback" not in html


@pytest.mark.django_db
def test_only_a_lost_database_connection_is_temporarily_unavailable(settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    lost = client.get("/lost-connection/")
    assert lost.status_code == 503 and lost["Retry-After"] == "30"
    assert "temporarily unavailable" in lost.content.decode()
    # A value the database or Python refused came from the request: not "try again".
    for url in ("/refused-value/", "/overflow/"):
        refused = client.get(url)
        assert refused.status_code == 400, url
        assert "Retry-After" not in refused
        html = refused.content.decode()
        assert "cannot be read" in html and "Traceback" not in html and "varying" not in html


@pytest.mark.django_db
def test_healthz_answers_ok_without_host_checks(client):
    response = client.get("/healthz", HTTP_HOST="10.0.0.5")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_reports_an_unreachable_database():
    """A real process whose database does not answer (nothing listens on port 1)."""
    code = (
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(r.status_code, r.content.decode().strip())"
    )
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1] == "503 database unreachable", result.stderr


@pytest.mark.django_db
def test_error_reports_to_admins_go_through_the_outbox(
    settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    from core.models import OutgoingMail

    settings.ROOT_URLCONF = __name__
    settings.ADMINS = [("Admin", "ops@example.com")]
    with django_capture_on_commit_callbacks(execute=True):
        response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    (queued,) = OutgoingMail.objects.all()
    assert queued.to == ["ops@example.com"] and "ERROR" in queued.subject
    assert queued.status == OutgoingMail.Status.SENT
    (report,) = mail.outbox
    assert "RuntimeError" in report.body
