"""The outbox (core/outbox.py): mail is a row written with the change that caused
it, sent by the worker after the commit, retried with backoff, never lost."""

import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from core import outbox
from core.models import OutgoingMail

pytestmark = pytest.mark.django_db
Status = OutgoingMail.Status


def notice(to="reader@example.com", **kwargs):
    return EmailMessage("Part 23 is out", "Read it here.", "blog@example.com", [to], **kwargs)


@pytest.fixture
def closed_port():
    """A port nobody listens on: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_down(settings, closed_port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 1


def test_mail_goes_out_after_the_commit_with_its_headers(django_capture_on_commit_callbacks):
    unsubscribe = {"List-Unsubscribe": "<https://blog.example.org/u/x/>"}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        outbox.queue_mail(notice(headers=unsubscribe))
        assert mail.outbox == []  # nothing before the commit
        assert OutgoingMail.objects.get().status == Status.PENDING
    assert len(callbacks) == 1
    (sent,) = mail.outbox
    assert (sent.subject, sent.body, sent.to) == (
        "Part 23 is out",
        "Read it here.",
        ["reader@example.com"],
    )
    message = sent.message()
    assert message["List-Unsubscribe"] == "<https://blog.example.org/u/x/>"
    row = OutgoingMail.objects.get()
    assert row.status == Status.SENT and row.sent_at and row.attempts == 1
    # The Message-ID was fixed when queued, so a copy sent twice is one mail.
    assert message["Message-ID"] == row.headers["Message-ID"]


def test_nothing_is_sent_when_the_change_is_rolled_back(django_capture_on_commit_callbacks):
    def failing_change():
        with transaction.atomic():
            outbox.queue_mail(notice())
            raise RuntimeError("the change failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failing_change()
    assert mail.outbox == [] and not OutgoingMail.objects.exists()


def test_html_alternative_travels_too(django_capture_on_commit_callbacks):
    message = EmailMultiAlternatives("Hi", "plain", "blog@example.com", ["a@example.com"])
    message.attach_alternative("<p>rich</p>", "text/html")
    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue_mail(message)
    (sent,) = mail.outbox
    assert sent.alternatives[0][0] == "<p>rich</p>"


def test_attachments_are_refused_clearly():
    message = notice()
    message.attach("a.txt", "text", "text/plain")
    with pytest.raises(ValueError, match="no attachments"):
        outbox.queue_mail(message)


def test_a_key_queues_a_mail_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue_mail(notice(), key="series-notice:1:1")
        outbox.queue_mail(notice(), key="series-notice:1:1")
        outbox.queue_mails(
            [notice("b@example.com"), notice("c@example.com")],
            keys=["series-notice:1:1", "series-notice:1:2"],
        )
    assert sorted(m.to[0] for m in mail.outbox) == ["c@example.com", "reader@example.com"]


def test_many_mails_one_insert_one_task(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    messages = [notice(f"r{i}@example.com") for i in range(50)]
    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(1):
        outbox.queue_mails(messages)
    assert len(callbacks) == 1 and OutgoingMail.objects.count() == 50


def test_failed_send_waits_longer_each_time_then_gives_up(
    settings, smtp_down, caplog, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS, settings.OUTBOX_RETRY_SECONDS = 3, 60
    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue_mail(notice())  # the send is tried after the commit, and fails
    row = OutgoingMail.objects.get()
    delays = []
    for _ in range(2):
        row.refresh_from_db()
        assert row.status == Status.PENDING and "ConnectionRefusedError" in row.last_error
        delays.append(round((row.next_attempt_at - timezone.now()).total_seconds()))
        # Not due yet: the sweep leaves it alone.
        assert outbox.send_due_mail().sent == 0
        OutgoingMail.objects.update(next_attempt_at=timezone.now())
        outbox.send_due_mail()
    assert delays == [60, 120]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 3)
    assert "failed (attempt 3 of 3)" in caplog.text


def test_queued_mail_waits_out_a_dead_server_and_then_goes(
    settings, smtp_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue_mails([notice("a@example.com"), notice("b@example.com")])
    # The server failed on the first: the second was not tried, nor charged an attempt.
    first, second = OutgoingMail.objects.order_by("pk")
    assert (first.attempts, second.attempts) == (1, 0)
    assert "earlier mail" in second.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    assert outbox.send_due_mail().sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.com", "b@example.com"]


def test_a_claimed_mail_is_not_taken_twice_until_its_lease_ends(settings):
    settings.OUTBOX_LEASE_SECONDS = 600
    OutgoingMail.objects.bulk_create(
        [outbox.row_for(notice(f"r{i}@example.com")) for i in range(3)]
    )
    first = outbox.claim(2)
    second = outbox.claim(10)
    assert len(first) == 2 and len(second) == 1
    assert outbox.claim(10) == []
    # The worker holding the first two died: when their lease ends, they are due again.
    OutgoingMail.objects.filter(pk__in=[row.pk for row in first]).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    assert {row.pk for row in outbox.claim(10)} == {row.pk for row in first}


def test_abandoned_last_attempt_is_marked_failed(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    row = outbox.row_for(notice())
    row.attempts, row.next_attempt_at = 2, timezone.now()
    row.save()
    assert outbox.give_up_on_abandoned() == 1
    row.refresh_from_db()
    assert row.status == Status.FAILED


def test_sent_mail_is_forgotten_after_a_while(settings):
    settings.OUTBOX_KEEP_DAYS = 7
    old, recent, pending = (outbox.row_for(notice()) for _ in range(3))
    old.status = recent.status = Status.SENT
    old.sent_at = timezone.now() - timedelta(days=8)
    recent.sent_at = timezone.now() - timedelta(days=6)
    OutgoingMail.objects.bulk_create([old, recent, pending])
    assert outbox.forget_sent_mail() == 1
    assert OutgoingMail.objects.count() == 2


def test_the_worker_heartbeat_touches_its_file(settings, tmp_path):
    from core.tasks import heartbeat

    settings.WORKER_HEARTBEAT_FILE = str(tmp_path / "beat")
    heartbeat.call_local()
    assert (tmp_path / "beat").exists()


def test_the_operator_reads_the_outbox_and_sends_failed_mail_again(
    admin_client, django_capture_on_commit_callbacks
):
    failed, sent = outbox.row_for(notice("gone@example.com")), outbox.row_for(notice())
    failed.status, failed.attempts, failed.last_error = Status.FAILED, 10, "SMTPDataError: 554"
    sent.status, sent.sent_at = Status.SENT, timezone.now()
    OutgoingMail.objects.bulk_create([failed, sent])
    page = admin_client.get("/admin/core/outgoingmail/").content.decode()
    assert "failed after 10 attempts" in page and "SMTPDataError: 554" in page
    assert "to gone@example.com" in page and "Select outgoing mail to view" in page
    ids = list(OutgoingMail.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/core/outgoingmail/",
            {"action": "retry_now", "_selected_action": ids},
            follow=True,
        )
    assert "1 mails will be sent again" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["gone@example.com"]]
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {Status.SENT}


def test_a_mail_refused_at_its_end_of_data_is_not_counted_sent(settings, smtp_servers):
    """Recorded as sent just before the end of data; the server's refusal then
    un-records it, and the mail waits for its retry."""
    server = smtp_servers()
    server.inbox.reply = "554 5.7.1 Message rejected"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    OutgoingMail.objects.bulk_create([outbox.row_for(notice("a@example.com"))])
    assert outbox.send_due_mail().failed == 1
    row = OutgoingMail.objects.get()
    assert (row.status, row.sent_at, row.attempts) == (Status.PENDING, None, 1)
    assert "SMTPDataError" in row.last_error and "rejected" in row.last_error

    server.inbox.reply = "250 OK"
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    assert outbox.send_due_mail().sent == 1
    assert server.inbox.recipients == ["a@example.com"]
    row.refresh_from_db()
    assert row.status == Status.SENT and row.sent_at


@pytest.mark.parametrize("backend", ["memory", "smtp"])
def test_a_worker_that_overran_its_lease_sends_nothing_twice(backend, settings, smtp_servers):
    if backend == "smtp":
        server = smtp_servers()
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    OutgoingMail.objects.bulk_create(
        [outbox.row_for(notice(f"r{i}@example.com")) for i in range(3)]
    )
    slow = outbox.claim(10)
    # Its lease ends while it is still busy: another worker claims the same mails.
    OutgoingMail.objects.update(next_attempt_at=timezone.now())
    fresh = outbox.claim(10)
    result = outbox.Sending()
    outbox.send_batch(slow, result)  # the slow worker wakes up: nothing is its own now
    assert result.sent == 0
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {Status.PENDING}
    outbox.send_batch(fresh, result)
    assert result.sent == 3
    received = (
        server.inbox.recipients if backend == "smtp" else sorted(m.to[0] for m in mail.outbox)
    )
    assert received == ["r0@example.com", "r1@example.com", "r2@example.com"]
