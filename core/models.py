from django.db import models


class OutgoingMail(models.Model):
    """One mail waiting in (or gone through) the outbox, core/outbox.py. The database,
    not the task queue, is what says a mail must go out: a lost task or a killed
    worker only delays it."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        SENT = "sent", "sent"
        FAILED = "failed", "failed"  # gave up after OUTBOX_MAX_ATTEMPTS

    status = models.CharField(max_length=8, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    # Due when pending and this time has come. A worker claiming the mail pushes it
    # one lease ahead, so a worker that dies mid-send hands it on when the lease ends.
    next_attempt_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    # The worker's claim that took it last (core.outbox.claim).
    claimed_by = models.CharField(max_length=32, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # A caller's own name for this mail ("series-notice:12:345"): queued once, whatever
    # happens to the caller afterwards (saved again, restarted mid-batch).
    dedupe_key = models.CharField(max_length=400, null=True, blank=True, unique=True)
    # The message itself, as django.core.mail.EmailMessage takes it.
    subject = models.TextField()
    body = models.TextField()
    from_email = models.CharField(max_length=254)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list)
    bcc = models.JSONField(default=list)
    reply_to = models.JSONField(default=list)
    headers = models.JSONField(default=dict)
    # [[content, mimetype], ...], e.g. an HTML version.
    alternatives = models.JSONField(default=list)

    class Meta:
        verbose_name = "outgoing mail"
        verbose_name_plural = "outgoing mails"
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="outbox_due_idx",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)} ({self.status})"


class LostVersionBump(models.Model):
    """A content-version bump (core/content_version.py) that could not reach the
    cache (Redis away or its breaker open). Kept here, where it cannot be lost, and
    replayed once the cache answers again, so that a page cached before the outage
    is not served stale after it."""

    key = models.CharField(max_length=200)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "lost version bump"

    def __str__(self):
        return f"{self.key} at {self.at:%Y-%m-%d %H:%M:%S}"
