"""The outbox: every mail the site sends goes through here.

`queue_mail(message)` stores the mail as a row in the same transaction as the change
that caused it, and asks the worker to send it once that transaction commits. The
row, not the queued task, is what says the mail must go out: Huey takes a task off
the queue before running it, so a worker killed mid-task would lose the task, but
never the row. The worker's every-minute sweep (core/tasks.py) sends whatever is
still due, so a lost task or a dead worker only delays a mail.

Each mail goes out once. Over SMTP it is marked sent, in its own small UPDATE, when
the server has the whole message but before the dot that ends it
(core/smtp_delivery.py): a worker killed before the dot leaves a message the server
drops and the outbox sends again after its lease; only a kill in the microseconds
between the UPDATE and the dot loses a mail. A connection that breaks after the dot,
before the server's answer, is the one case of a mail sent twice (it is retried);
both copies carry the Message-ID fixed when the mail was queued, so mail clients fold
them. Every write after a claim checks the claim's token (`held`), so a worker that
overran its lease changes nothing another worker has claimed since.

A failed send waits OUTBOX_RETRY_SECONDS * 2**(attempts-1) (capped at six hours)
before the next try; after OUTBOX_MAX_ATTEMPTS the mail is marked failed and kept
for the operator (in the admin's Outgoing mails)."""

import logging
import smtplib
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import make_msgid
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import OutgoingMail

logger = logging.getLogger(__name__)
Status = OutgoingMail.Status
MAX_RETRY_DELAY = timedelta(hours=6)
# Refusals that concern one mail; any other error means the server is in trouble,
# and the rest of the batch waits instead of timing out one after the other.
ONE_MAIL_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
)


def queue_mail(message, *, key=None):
    """Queue a django EmailMessage (or EmailMultiAlternatives) to be sent by the
    worker after the current transaction commits. `key`, if given, names the mail:
    a second mail with the same key is dropped (queued once, whatever happens to the
    caller afterwards). Headers such as List-Unsubscribe travel with the message."""
    queue_mails([message], keys=None if key is None else [key])


def queue_mails(messages, *, keys=None):
    """queue_mail for many messages at once: one INSERT per thousand, one task."""
    messages = list(messages)
    keys = list(keys) if keys is not None else [None] * len(messages)
    if len(keys) != len(messages):
        raise ValueError("queue_mails needs one key per message")
    rows = [row_for(message, key) for message, key in zip(messages, keys, strict=True)]
    if not rows:
        return
    OutgoingMail.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=any(keys))
    transaction.on_commit(enqueue_sending, robust=True)


class OutboxBackend(BaseEmailBackend):
    """A mail backend for code that sends mail itself (Django's error reports to
    ADMINS, see LOGGING): the mail goes into the outbox instead of to a server."""

    def send_messages(self, email_messages):
        messages = list(email_messages)
        try:
            queue_mails(messages)
        except Exception:
            if not self.fail_silently:
                raise
            logger.exception("Could not queue %s mails", len(messages))
            return 0
        return len(messages)


def row_for(message, key=None):
    if message.attachments:
        raise ValueError("The outbox carries no attachments")
    headers = dict(message.extra_headers)
    # Fixed now, so a mail sent twice (see above) is recognisably one mail.
    if not any(name.lower() == "message-id" for name in headers):
        headers["Message-ID"] = make_msgid(domain=DNS_NAME)
    return OutgoingMail(
        next_attempt_at=timezone.now(),
        dedupe_key=key,
        subject=str(message.subject),
        body=str(message.body),
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        headers=headers,
        alternatives=[[str(content), mimetype] for content, mimetype in message.alternatives]
        if isinstance(message, EmailMultiAlternatives)
        else [],
    )


def enqueue_sending():
    from .tasks import send_outbox  # the tasks module imports this one

    send_outbox()


def message_for(row):
    cls = EmailMultiAlternatives if row.alternatives else EmailMessage
    message = cls(
        row.subject,
        row.body,
        row.from_email,
        row.to,
        row.bcc,
        cc=row.cc,
        reply_to=row.reply_to,
        headers=row.headers,
    )
    for content, mimetype in row.alternatives:
        message.attach_alternative(content, mimetype)
    return message


def due():
    return OutgoingMail.objects.filter(
        status=Status.PENDING,
        next_attempt_at__lte=timezone.now(),
        attempts__lt=settings.OUTBOX_MAX_ATTEMPTS,
    )


def claim(limit):
    """Take up to `limit` due mails for this worker: each is pushed one lease ahead
    (so no other worker takes it meanwhile) and counts one attempt. On Postgres the
    rows other workers are claiming are skipped; on SQLite, where writes take turns,
    the claim token tells which rows this worker's UPDATE really got."""
    token = uuid.uuid4().hex
    lease_end = timezone.now() + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    with transaction.atomic():
        ids = list(
            due()
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        due().filter(pk__in=ids).update(
            next_attempt_at=lease_end, attempts=F("attempts") + 1, claimed_by=token
        )
    return list(OutgoingMail.objects.filter(pk__in=ids, claimed_by=token).order_by("pk"))


def retry_delay(attempts):
    delay = timedelta(seconds=settings.OUTBOX_RETRY_SECONDS * 2 ** max(attempts - 1, 0))
    return min(delay, MAX_RETRY_DELAY)


@dataclass
class Sending:
    sent: int = 0
    failed: int = 0


def send_due_mail(batch_size=None):
    """Send every due mail, a batch at a time over one SMTP connection. Never raises
    for a failed send: the mail waits for its retry."""
    batch_size = batch_size or settings.OUTBOX_BATCH_SIZE
    result = Sending()
    while batch := claim(batch_size):
        server_failed = send_batch(batch, result)
        if server_failed:
            break
    return result


def next_retry_in():
    """Seconds until the earliest pending mail is due again, or None."""
    pending = OutgoingMail.objects.filter(
        status=Status.PENDING, attempts__lt=settings.OUTBOX_MAX_ATTEMPTS
    )
    when = pending.order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first()
    return None if when is None else max((when - timezone.now()).total_seconds(), 0)


PLAIN_SMTP = "django.core.mail.backends.smtp.EmailBackend"


def delivery_connection():
    """The configured mail backend; Django's SMTP one is swapped for its twin that
    records each mail at the last moment before the server may deliver it."""
    backend = settings.EMAIL_BACKEND
    if backend == PLAIN_SMTP:
        backend = "core.smtp_delivery.EmailBackend"
    return get_connection(backend, fail_silently=False)


class ClaimLost(Exception):
    """This worker's lease on a mail ended and another worker claimed it."""


def held(row):
    """The mail, as long as this worker's claim on it holds (status still pending,
    claim token unchanged): every write after the claim goes through here, so a
    worker that overran its lease changes nothing another worker now owns."""
    return OutgoingMail.objects.filter(pk=row.pk, claimed_by=row.claimed_by, status=Status.PENDING)


def send_batch(rows, result):
    """Send claimed mails in order; return whether the server failed (the rest of
    the batch then waits)."""
    connection = delivery_connection()
    try:
        for index, row in enumerate(rows):
            try:
                connection.open()  # once: later calls see it open and do nothing
                send_one(connection, row)
            except ClaimLost:
                # Overran the lease: the rest of the batch may be taken too.
                logger.warning("Mail %s was taken over by another worker", row.pk)
                release(rows[index + 1 :], timezone.now(), "")
                return False
            except Exception as error:
                result.failed += 1
                record_failure(row, error)
                if isinstance(error, ONE_MAIL_ERRORS):
                    continue
                release(
                    rows[index + 1 :],
                    timezone.now() + retry_delay(row.attempts),
                    "Not tried: the mail server failed on an earlier mail of the batch.",
                )
                return True
            result.sent += 1
    finally:
        try:
            connection.close()
        except Exception:  # closing a broken connection may fail too
            logger.debug("Closing the mail connection failed", exc_info=True)
    return False


def send_one(connection, row):
    def record():
        # Alone, at once (autocommit): nothing else may widen the window.
        if not held(row).update(status=Status.SENT, sent_at=timezone.now(), last_error=""):
            raise ClaimLost(row.pk)

    if hasattr(connection, "send_recorded"):
        # Over SMTP, recorded just before the end of data (core/smtp_delivery.py); a
        # lost claim there abandons the message, which the server then drops.
        connection.send_recorded(message_for(row), record)
    else:
        # Files, console, memory: nothing is half sent; record first, so a lost
        # claim sends nothing.
        record()
        connection.send_messages([message_for(row)])


def record_failure(row, error):
    gave_up = row.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    last_error = f"{type(error).__name__}: {error}"[:2000]
    # A mail recorded as sent whose end of data the server then refused is not sent.
    recorded = OutgoingMail.objects.filter(pk=row.pk, claimed_by=row.claimed_by)
    recorded.exclude(status=Status.FAILED).update(
        next_attempt_at=timezone.now() + retry_delay(row.attempts),
        last_error=last_error,
        status=Status.FAILED if gave_up else Status.PENDING,
        sent_at=None,
    )
    log = logger.error if gave_up else logger.warning
    log(
        "Mail %s to %s failed (attempt %s of %s): %s",
        row.pk,
        ", ".join(row.to),
        row.attempts,
        settings.OUTBOX_MAX_ATTEMPTS,
        last_error,
    )


def release(rows, when, note):
    """Mails of a batch left untried: due again at `when`, the attempt they were
    charged given back; those another worker has claimed meanwhile are left alone."""
    for row in rows:
        held(row).update(next_attempt_at=when, attempts=F("attempts") - 1, last_error=note)


def give_up_on_abandoned():
    """A mail whose last attempt was claimed by a worker that died never comes due
    again (it has no attempts left): mark it failed, so the operator sees it."""
    return OutgoingMail.objects.filter(
        status=Status.PENDING,
        next_attempt_at__lte=timezone.now(),
        attempts__gte=settings.OUTBOX_MAX_ATTEMPTS,
    ).update(status=Status.FAILED, last_error="The worker sending it stopped; no attempts left.")


def forget_sent_mail():
    """Sent mail holds readers' addresses: kept OUTBOX_KEEP_DAYS for the operator to
    look at, then deleted."""
    cutoff = timezone.now() - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    deleted, _ = OutgoingMail.objects.filter(status=Status.SENT, sent_at__lt=cutoff).delete()
    return deleted
