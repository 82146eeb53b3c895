"""bench_queue times the moderation queue, building a small dataset when none is there."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from comments.models import BlogComment, State

pytestmark = pytest.mark.django_db

TINY = [
    "--small-posts=60", "--small-comments=300", "--small-long-threads=3",
    "--small-deep-comments=40", "--small-series-parts=6", "--small-guide-postings=20",
    "--small-held=5", "--small-long-post-words=300",
]  # fmt: skip


def test_bench_queue_builds_a_small_dataset_and_reports_median_and_p95():
    out = StringIO()
    call_command("bench_queue", "--requests=5", *TINY, stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "building a smaller one, 300 comments" in text
    assert "5 requests over 300 comments (5 held)" in text
    assert "median " in text and "p95 " in text and "100 ms target" in text
    assert BlogComment.objects.filter(state=State.HELD).count() == 5


def test_bench_queue_refuses_zero_requests():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("bench_queue", "--requests=0", stdout=StringIO())
