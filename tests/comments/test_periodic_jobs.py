"""The worker's periodic jobs for comments, with no cron: re-checks of "spam check
pending" comments (each on its own backoff), spam reports retried while the checker
is down, and the daily purge."""

from datetime import timedelta

import httpx
import pytest
from django.utils import timezone

from comments import maintenance, moderation
from comments.models import BlogComment, RateCounter, State, Verdict
from comments.rate_limit import count_comment
from comments.spam import SpamCheckUnavailable
from comments.tasks import every_recheck_interval
from tests.comment_helpers import POST_URL, comment_data
from tests.factories import CommentFactory, PostFactory
from tests.worker_helpers import wait_for


def post_while_akismet_is_down(client, akismet, post, text):
    akismet.answer = httpx.ConnectError("down")
    client.post(POST_URL, comment_data(post, comment=text))
    comment = BlogComment.objects.get(comment=text)
    assert (comment.state, comment.reason) == (State.HELD, "spam check pending")
    return comment


@pytest.mark.django_db(transaction=True)
def test_the_worker_rechecks_a_pending_comment_on_its_own(client, settings, akismet, worker_thread):
    settings.COMMENTS_RECHECK_MINUTES = 1  # due at the worker's first look
    post = PostFactory()
    CommentFactory(post=post, user_name="Ada Reader", user_email="ada@example.com")
    comment = post_while_akismet_is_down(client, akismet, post, "Checked by the worker")
    assert akismet.requests == []  # the request left the check to the worker

    worker_thread()  # Huey's consumer and its scheduler, as `manage.py run_huey` runs them

    def check_failed():
        comment.refresh_from_db()
        return comment.verdict == Verdict.ERROR

    wait_for(check_failed, what="the worker's first check, while Akismet is down")
    assert (comment.state, comment.reason) == (State.HELD, "spam check pending")
    akismet.answer = "false"

    def moved_on():
        comment.refresh_from_db()
        return not comment.needs_recheck

    wait_for(moved_on, seconds=75, what="the periodic re-check")  # once a minute
    assert comment.state == State.PUBLIC
    sent = [r.get("recheck_reason") for r in akismet.calls("comment-check")]
    # The first check, then re-checks (one more may have come while Akismet was down).
    assert sent[0] is None and set(sent[1:]) == {"recheck_queue"}
    assert comment.history.filter(action="rechecked").exists()


@pytest.mark.django_db
def test_a_comment_still_unchecked_waits_longer_each_time(client, settings, akismet, time_machine):
    settings.COMMENTS_RECHECK_MINUTES = 10
    time_machine.move_to(timezone.now(), tick=False)
    comment = post_while_akismet_is_down(client, akismet, PostFactory(), "Patience")
    checks = []
    for minutes in range(0, 80, 10):
        time_machine.move_to(timezone.now() + timedelta(minutes=10 if minutes else 0), tick=False)
        akismet.requests.clear()
        maintenance.recheck_pending()
        if akismet.calls("comment-check"):
            checks.append(minutes)
    # Tried at once, then 10, 20 and 40 minutes after each failure.
    assert checks == [0, 10, 30, 70]
    comment.refresh_from_db()
    assert comment.recheck_failures == 4 and comment.state == State.HELD

    akismet.answer = "false"
    time_machine.move_to(comment.next_recheck_at, tick=False)
    maintenance.recheck_pending()
    comment.refresh_from_db()
    assert (comment.needs_recheck, comment.recheck_failures, comment.next_recheck_at) == (
        False,
        0,
        None,
    )


def test_recheck_interval_follows_the_setting(settings):
    settings.COMMENTS_RECHECK_MINUTES = 10
    at = timezone.now().replace(hour=9, second=0)
    assert [every_recheck_interval(at.replace(minute=m)) for m in (0, 5, 10, 59)] == [
        True,
        False,
        True,
        False,
    ]


@pytest.mark.django_db
def test_a_report_that_fails_is_recorded_and_raised_for_the_retry(client, akismet):
    akismet.answer = "true"
    client.post(POST_URL, comment_data(PostFactory(), comment="Buy now"))
    comment = BlogComment.objects.get()
    akismet.answer = httpx.ConnectError("down")
    with pytest.raises(SpamCheckUnavailable):
        moderation.report_to_checker(comment, "submit_ham", raise_on_failure=True)
    note = comment.history.get(action="submit-ham").note
    assert note.startswith("submit-ham failed") and note.endswith("(will retry)")


@pytest.mark.django_db
def test_daily_purge_removes_old_blatant_spam_and_old_addresses(settings):
    settings.COMMENTS_BLATANT_SPAM_DAYS, settings.COMMENTS_IP_RETENTION_DAYS = 15, 90
    long_ago = timezone.now() - timedelta(days=100)
    blatant = CommentFactory(state=State.SPAM, blatant=True, submit_date=long_ago)
    reader = CommentFactory(submit_date=long_ago, ip_address="192.0.2.7")
    result = maintenance.purge_expired()
    assert (result.purged, result.forgotten) == (1, 1)
    assert not BlogComment.objects.filter(pk=blatant.pk).exists()
    reader.refresh_from_db()
    assert reader.ip_address is None
    # And the rate limit's counters forget an address once its window ran out.
    count_comment("192.0.2.8", now=long_ago.timestamp())
    count_comment("192.0.2.9")
    maintenance.purge_expired()
    assert list(RateCounter.objects.values_list("address", flat=True)) == ["192.0.2.9"]
