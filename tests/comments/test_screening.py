"""Screening steps and the Akismet spam checker, with Akismet replaced at the HTTP
boundary (httpx MockTransport) or by the akismet package's own test client."""

from datetime import UTC

import akismet
import httpx
import pytest
from django.core.management import call_command
from django.test import Client, TestCase

from comments.models import BlocklistEntry, BlogComment, State, Verdict
from comments.spam import AkismetChecker
from tests.comment_helpers import POST_URL, comment_data
from tests.factories import CommentFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    return PostFactory(slug="screened")


@pytest.fixture
def known_reader(post):
    """Ada has an approved comment, so the first-comment policy lets her through."""
    return CommentFactory(post=post, user_name="Ada Reader", user_email="ada@example.com")


def post_comment(client, post, **fields):
    """POST the comment, then run what its commit queues: with Akismet, the worker's
    spam check (Huey runs tasks inline under pytest)."""
    headers = {
        "HTTP_USER_AGENT": "Mozilla/5.0 Test",
        "HTTP_REFERER": f"http://testserver{post.get_absolute_url()}",
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(POST_URL, comment_data(post, **fields), **headers)


def test_the_request_leaves_akismet_to_the_worker(client, post, known_reader, akismet):
    """Stored held, "spam check pending", without a call to Akismet; the worker's
    task (queued on commit) asks Akismet and publishes it."""
    with TestCase.captureOnCommitCallbacks() as queued:
        response = client.post(POST_URL, comment_data(post, comment="Wait for it"))
    comment = BlogComment.objects.get(comment="Wait for it")
    assert response.status_code == 302 and akismet.requests == []
    assert (comment.state, comment.reason, comment.verdict) == (
        State.HELD, "spam check pending", Verdict.PENDING,
    )  # fmt: skip
    assert comment.needs_recheck  # a lost task: the recheck job finds it anyway
    # Its writer sees it at once (the own-comments cookie), readers not yet.
    assert "Wait for it" in client.get(post.get_absolute_url()).content.decode()
    assert "Wait for it" not in Client().get(post.get_absolute_url()).content.decode()

    for callback in queued:
        callback()
    comment.refresh_from_db()
    assert len(akismet.calls("comment-check")) == 1
    assert (comment.state, comment.verdict, comment.needs_recheck) == (
        State.PUBLIC, Verdict.HAM, False,
    )  # fmt: skip
    assert comment.history.filter(action="spam checked", to_state=State.PUBLIC).exists()
    assert "Wait for it" in Client().get(post.get_absolute_url()).content.decode()
    steps = [(entry["step"], entry["result"]) for entry in comment.screening]
    assert steps[:4] == [("honeypot", "pass"), ("rate limit", "pass"), ("blocklist", "pass"),
                         ("spam checker", "hold")]  # fmt: skip
    assert ("spam checker", "pass") in steps[4:]


def test_the_task_keeps_spam_as_spam(client, post, known_reader, akismet):
    akismet.answer = "true"
    post_comment(client, post, comment="Buy now")
    comment = BlogComment.objects.get(comment="Buy now")
    assert (comment.state, comment.reason, comment.needs_recheck) == (
        State.SPAM, "Akismet: spam", False,
    )  # fmt: skip
    assert "Buy now" not in Client().get(post.get_absolute_url()).content.decode()


def test_akismet_receives_the_full_documented_context(client, post, known_reader, akismet):
    post_comment(client, post, comment="Hello there", url="https://ada.example/")
    (sent,) = akismet.calls("comment-check")
    comment = BlogComment.objects.latest("pk")
    assert sent == {
        "endpoint": "comment-check",
        "api_key": "test-key",
        "blog": "http://127.0.0.1:8000",
        "user_ip": "127.0.0.1",
        "user_agent": "Mozilla/5.0 Test",
        "referrer": f"http://testserver{post.get_absolute_url()}",
        "permalink": "http://127.0.0.1:8000" + post.get_absolute_url(),
        "comment_type": "comment",
        "comment_author": "Ada Reader",
        "comment_author_email": "ada@example.com",
        "comment_author_url": "https://ada.example/",
        "comment_content": "Hello there",
        "comment_date_gmt": comment.submit_date.astimezone(UTC).isoformat(),
        "comment_post_modified_gmt": post.updated_at.astimezone(UTC).isoformat(),
        "blog_lang": "en",
        "blog_charset": "UTF-8",
        "honeypot_field_name": "honeypot",
    }
    assert comment.state == State.PUBLIC and comment.verdict == Verdict.HAM
    # Kept with the comment, so that submit-spam/ham later send what the check saw.
    assert comment.spam_check_params["user_agent"] == "Mozilla/5.0 Test"
    assert comment.spam_check_params["referrer"] == f"http://testserver{post.get_absolute_url()}"


def test_a_reply_is_sent_as_comment_type_reply(client, post, known_reader, akismet):
    post_comment(client, post, reply_to=known_reader.pk)
    assert akismet.calls("comment-check")[0]["comment_type"] == "reply"


def test_akismet_spam_goes_to_the_spam_queue(client, post, known_reader, akismet):
    akismet.answer = "true"
    post_comment(client, post)
    comment = BlogComment.objects.latest("pk")
    assert (comment.state, comment.verdict, comment.blatant) == (State.SPAM, Verdict.SPAM, False)
    assert comment.reason == "Akismet: spam"


def test_akismet_discard_is_blatant_spam_with_its_pro_tip(client, post, known_reader, akismet):
    akismet.answer, akismet.headers = "true", {"X-akismet-pro-tip": "discard"}
    post_comment(client, post)
    comment = BlogComment.objects.latest("pk")
    assert (comment.state, comment.verdict, comment.pro_tip) == (State.SPAM, "discard", "discard")
    assert comment.blatant


class DiscardingClient(akismet.TestSyncClient):
    comment_check_response = akismet.CheckResponse.DISCARD


class DiscardingChecker(AkismetChecker):
    client_class = DiscardingClient


def test_the_akismet_packages_own_test_client_is_honoured(client, post, known_reader, settings):
    settings.AKISMET_API_KEY = "test-key"
    settings.SPAM_CHECKER = f"{__name__}.DiscardingChecker"
    post_comment(client, post)
    comment = BlogComment.objects.latest("pk")
    assert (comment.verdict, comment.pro_tip, comment.blatant) == (Verdict.DISCARD, "discard", True)


FAILURES = [
    httpx.ReadTimeout("timed out"),
    httpx.ConnectError("connection refused"),
    httpx.Response(503, text="Service Unavailable"),
    httpx.Response(200, text="invalid", headers={"X-akismet-debug-help": "Bad key"}),
    httpx.Response(200, text="perhaps"),
]


@pytest.mark.parametrize("failure", FAILURES, ids=["timeout", "connect", "5xx", "badkey", "odd"])
def test_akismet_failing_holds_the_comment_for_recheck(
    client, post, known_reader, akismet, failure
):
    """The worker's check fails: the comment stays held for the recheck job."""
    akismet.answer = failure
    response = post_comment(client, post, comment="Keep me safe")
    assert response.status_code == 302
    comment = BlogComment.objects.latest("pk")
    assert comment.comment == "Keep me safe"
    assert (comment.state, comment.reason) == (State.HELD, "spam check pending")
    assert comment.needs_recheck and comment.verdict == Verdict.ERROR
    assert comment.recheck_failures == 1 and comment.next_recheck_at is not None
    assert "Keep me safe" not in Client().get(post.get_absolute_url()).content.decode()


def test_recheck_moves_pending_comments_on_once_akismet_answers(
    client, post, known_reader, akismet, settings
):
    settings.AKISMET_BREAKER_FAILURES = 100  # the breaker has its own test
    akismet.answer = httpx.ConnectError("down")
    post_comment(client, post, comment="ham later")
    post_comment(client, post, comment="spam later", name="Spammer", email="s@example.com")
    call_command("recheck_comments")  # still down: nothing moves, nothing lost
    assert BlogComment.objects.filter(needs_recheck=True).count() == 2

    akismet.answer = lambda sent: "true" if sent["comment_content"] == "spam later" else "false"
    akismet.requests.clear()
    call_command("recheck_comments")
    ham = BlogComment.objects.get(comment="ham later")
    spam = BlogComment.objects.get(comment="spam later")
    assert (ham.state, ham.needs_recheck) == (State.PUBLIC, False)
    assert (spam.state, spam.needs_recheck) == (State.SPAM, False)
    assert [r["recheck_reason"] for r in akismet.requests] == ["recheck_queue"] * 2
    assert ham.history.filter(action="rechecked").exists()
    akismet.requests.clear()
    call_command("recheck_comments")  # idempotent: nothing left to do
    assert akismet.requests == []


def test_recheck_keeps_policy_holds(client, post, akismet):
    akismet.answer = httpx.ConnectError("down")
    post_comment(client, post, name="Newcomer", email="new@example.com")
    akismet.answer = "false"
    call_command("recheck_comments")
    comment = BlogComment.objects.get(user_name="Newcomer")
    assert comment.state == State.HELD
    assert comment.reason == "policy: first comment from this commenter"
    assert not comment.needs_recheck


def test_moderators_are_published_at_once_without_asking_akismet(client, post, akismet, moderator):
    """Akismet answers "ham" to an administrator, so it is not asked at all; the
    offline checker still is (instant), with the administrator role."""
    client.force_login(moderator)
    data = comment_data(post, comment="From the moderator")
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(POST_URL, data)
    comment = BlogComment.objects.latest("pk")
    assert comment.state == State.PUBLIC and not comment.needs_recheck
    assert akismet.calls("comment-check") == []
    assert comment.spam_check_params["user_role"] == "administrator"
    assert {
        "step": "spam checker",
        "result": "pass",
        "reason": "not asked: posted by a moderator",
    } in comment.screening


def test_offline_checker_treats_administrators_as_ham():
    from comments.spam import OfflineChecker

    checker = OfflineChecker()
    spam = {"comment_author": "akismet-guaranteed-spam"}
    assert checker.check(spam).verdict == Verdict.SPAM
    assert checker.check({**spam, "user_role": "administrator"}).verdict == Verdict.HAM
    email = {"comment_author_email": "akismet-guaranteed-spam@example.com"}
    assert checker.check(email).verdict == Verdict.SPAM


def test_rate_limit_holds_a_flood_from_one_address(client, post, known_reader, settings):
    settings.COMMENTS_RATE_LIMIT, settings.COMMENTS_RATE_WINDOW_MINUTES = 3, 10
    for n in range(4):
        post_comment(client, post, comment=f"flood {n}")
    states = list(
        BlogComment.objects.filter(comment__startswith="flood").values_list("state", "reason")
    )
    assert states[:3] == [(State.PUBLIC, "passed screening")] * 3
    assert states[3][0] == State.HELD
    assert states[3][1].startswith("rate limit: over 3 comments")


@pytest.mark.parametrize(
    ("kind", "value", "fields"),
    [
        ("word", "casino", {"comment": "Visit my CASINO"}),
        ("email", "bad@example.com", {"email": "Bad@Example.com"}),
        ("domain", "spam.example", {"url": "https://www.spam.example/x"}),
        ("domain", "spam.example", {"email": "me@spam.example"}),
        ("ip", "127.0.0.0/8", {}),
    ],
)
def test_blocklist_holds_or_marks_spam(client, post, known_reader, kind, value, fields):
    entry = BlocklistEntry.objects.create(kind=kind, value=value, action="hold")
    post_comment(client, post, **fields)
    held = BlogComment.objects.latest("pk")
    assert held.state == State.HELD
    assert held.reason == f"blocklist: {kind} “{value}”"
    entry.action = "spam"
    entry.save()
    post_comment(client, post, **{**fields, "comment": fields.get("comment", "x") + " again"})
    assert BlogComment.objects.latest("pk").state == State.SPAM


def test_blocklist_does_not_match_innocent_comments(client, post, known_reader):
    BlocklistEntry.objects.create(kind="domain", value="spam.example")
    BlocklistEntry.objects.create(kind="ip", value="10.0.0.0/8")
    post_comment(client, post, url="https://notspam.example/")
    assert BlogComment.objects.latest("pk").state == State.PUBLIC


def test_too_many_links_are_held(client, post, known_reader, settings):
    settings.COMMENTS_MAX_LINKS = 2
    post_comment(client, post, comment="a https://a.example b http://b.example c www.c.example")
    comment = BlogComment.objects.latest("pk")
    assert comment.state == State.HELD
    assert comment.reason == "policy: 3 links (more than 2)"


def test_logged_in_reader_policy_uses_their_account(client, post):
    user = UserFactory()
    CommentFactory(post=post, user=user, user_name="whatever", user_email="old@example.com")
    client.force_login(user)
    post_comment(client, post, comment="me again")
    assert BlogComment.objects.latest("pk").state == State.PUBLIC


def test_purge_removes_old_blatant_spam_only(settings, time_machine):
    from datetime import timedelta

    from django.utils import timezone

    settings.COMMENTS_BLATANT_SPAM_DAYS = 15
    old = timezone.now() - timedelta(days=16)
    blatant = CommentFactory(state=State.SPAM, blatant=True, submit_date=old)
    recent_blatant = CommentFactory(state=State.SPAM, blatant=True)
    plain_spam = CommentFactory(state=State.SPAM, submit_date=old)
    call_command("purge_comments")
    remaining = set(BlogComment.objects.values_list("pk", flat=True))
    assert blatant.pk not in remaining
    assert {recent_blatant.pk, plain_spam.pk} <= remaining
    call_command("purge_comments")  # idempotent
    assert set(BlogComment.objects.values_list("pk", flat=True)) == remaining


def test_a_comment_checked_by_the_worker_still_waits_for_its_email_confirmation(
    client, post, known_reader, akismet, settings, mailoutbox
):
    """The confirmation request goes out once Akismet has answered (never for spam),
    and confirming gives the comment the verdict's state."""
    settings.COMMENTS_XTD_CONFIRM_EMAIL = True
    post_comment(client, post, comment="Confirm me", email="ada@example.com")
    akismet.answer = "true"
    post_comment(client, post, comment="Spam me", name="Spammer", email="s@example.com")

    ham = BlogComment.objects.get(comment="Confirm me")
    assert (ham.state, ham.awaiting_confirmation, ham.state_after_confirmation) == (
        State.HELD, True, State.PUBLIC,
    )  # fmt: skip
    spam = BlogComment.objects.get(comment="Spam me")
    assert (spam.state, spam.awaiting_confirmation) == (State.SPAM, False)
    (request,) = [m for m in mailoutbox if "confirm" in m.body.lower()]
    assert request.to == ["ada@example.com"]
    link = request.body.split("a week:\n\n")[1].split()[0].removeprefix("http://127.0.0.1:8000")
    Client().get(link)
    ham.refresh_from_db()
    assert (ham.state, ham.awaiting_confirmation) == (State.PUBLIC, False)
