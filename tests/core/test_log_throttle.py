"""A repeated identical failure is logged once per interval, with a count."""

import logging

import pytest
from django.test import Client
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from core.log_throttle import RepeatedFailureFilter


def failing_view(request):
    raise RuntimeError("the same failure every time")


def other_failing_view(request):
    raise KeyError("another failure")


urlpatterns = [
    path("failing/", failing_view),
    path("other-failing/", other_failing_view),
    *site_urlpatterns,
]


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def failure_record(logger="django.request", error=None):
    try:
        raise error or RuntimeError("boom")
    except Exception as caught:
        exc_info = (type(caught), caught, caught.__traceback__)
    return logging.LogRecord(logger, logging.ERROR, __file__, 1, "Failed: %s", ("/x",), exc_info)


def test_identical_failures_pass_once_per_interval_and_are_counted():
    clock = Clock()
    throttle = RepeatedFailureFilter(interval=60, clock=clock)
    passed = [throttle.filter(failure_record()) for _ in range(50)]
    assert passed == [True] + [False] * 49
    clock.now += 61
    later = failure_record()
    assert throttle.filter(later)
    assert later.suppressed_repeats == 49
    assert "49 identical failures not logged in the last 60 s" in later.getMessage()


def test_different_failures_and_plain_records_are_not_held_back():
    throttle = RepeatedFailureFilter(interval=60, clock=Clock())
    assert throttle.filter(failure_record())
    assert throttle.filter(failure_record(error=KeyError("k")))  # another exception type
    assert throttle.filter(failure_record(logger="django.security"))  # another logger
    plain = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found", (), None)
    assert all(throttle.filter(plain) for _ in range(5))


def test_one_decision_per_record_whatever_the_number_of_handlers():
    throttle = RepeatedFailureFilter(interval=60, clock=Clock())
    record = failure_record()
    assert throttle.filter(record) and throttle.filter(record)  # a second handler: same answer


def test_an_interval_of_zero_logs_every_failure():
    throttle = RepeatedFailureFilter(interval=0, clock=Clock())
    assert all(throttle.filter(failure_record()) for _ in range(3))


@pytest.mark.django_db
def test_fifty_failing_requests_log_one_traceback(settings, caplog):
    """The LOGGING setting puts the filter on django.request, where Django logs a
    failing request's traceback (and mails it to ADMINS)."""
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        statuses = {client.get("/failing/").status_code for _ in range(50)}
        client.get("/other-failing/")
    assert statuses == {500}
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.exc_info[0] for r in records] == [RuntimeError, KeyError]
