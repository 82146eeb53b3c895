"""The comment flood of `bench_flood`, against a live server: comments posted through
the form are held, the oldest is approved every so often, and all go afterwards."""

import time

import pytest
from django.core.management import CommandError, call_command

from bench.flood import Flood, flood_comments, remove_flood_comments
from bench.management.commands.bench_flood import report
from comments.models import State
from tests.factories import PostFactory


@pytest.mark.django_db(transaction=True)
def test_the_flood_posts_held_comments_and_approves_the_oldest(live_server):
    post = PostFactory()
    flood = Flood(live_server.url, [post], interval=0.05, approve_every=3)
    flood.start()
    deadline = time.monotonic() + 30
    while flood.approved < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    flood.stop()
    assert not flood.errors
    assert flood.approved >= 2 and set(flood.posted) == {302}
    states = set(flood_comments().values_list("state", flat=True))
    assert states == {State.HELD, State.PUBLIC}
    removed = remove_flood_comments()
    assert sum(removed.values()) == sum(flood.posted.values())
    assert not flood_comments().exists()


def test_bench_flood_refuses_an_empty_run():
    with pytest.raises(CommandError, match="--duration"):
        call_command("bench_flood", "--duration", "0")


def test_the_report_sets_the_two_phases_side_by_side():
    phase = {"requests_per_second": 596.4, "p50_ms": 20.1, "p99_ms": 80.0, "socket_errors": 0}
    results = {
        "meta": {
            "started": "2026-11-28 10:00 UTC",
            "commit": "abc",
            "cores": 2,
            "workers": 5,
            "connections": 16,
            "seconds": 30,
            "interval": 1.0,
            "approve_every": 10,
            "load_before": 1.0,
            "load_after": 2.0,
        },
        "pages": ["home", "feed"],
        "flooded": ["/2026/11/25/long/"],
        "quiet": {**phase, "status_errors": 0, "hit_rate": 1.0},
        "flood": {
            **phase,
            "requests_per_second": 571.0,
            "status_errors": 0,
            "hit_rate": 0.994,
            "posted": {302: 30},
            "approved": 3,
            "errors": [],
        },
        "removed": {"held": 27, "public": 3},
    }
    text = report(results)
    assert "| no flood | 596 | 100.0% | 20.1 ms | 80.0 ms | 0 |" in text
    assert "| flood | 571 | 99.4% |" in text
    assert "30 answered 302" in text and "3 approved" in text
