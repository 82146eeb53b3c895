"""Comments as django-comments-xtd stores and threads them, plus what screening
and moderation need: a state, the reasons for it, what Akismet was told and said,
and a history of every change."""

import ipaddress
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.html import escape, linebreaks, urlize
from django.utils.safestring import mark_safe
from django_comments_xtd.models import (
    XtdComment,
    XtdCommentManager,
    max_thread_level_for_content_type,
)

from core.text import BidiFreeFields

from . import paging
from .threading import make_room_for_reply

MODERATE_PERMISSION = "comments.change_blogcomment"
MODERATORS_GROUP = "Moderators"


class State(models.TextChoices):
    PUBLIC = "public", "Public"
    HELD = "held", "Held for moderation"
    SPAM = "spam", "Spam"


class Verdict(models.TextChoices):
    """What the spam checker answered."""

    NONE = "", "Not checked"
    HAM = "ham", "Ham"
    SPAM = "spam", "Spam"
    DISCARD = "discard", "Blatant spam (discard)"
    ERROR = "error", "Check failed"
    PENDING = "pending", "Check pending (the worker asks)"


class BlogCommentQuerySet(models.QuerySet):
    def public(self):
        return self.filter(state=State.PUBLIC, is_removed=False)

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj),
            object_pk=str(obj.pk),
            site_id=settings.SITE_ID,
        )

    def count_subquery(self, model, outer="pk", state=State.PUBLIC):
        """Comments in `state` (public unless told) on the `model` row named by the
        outer query's `outer` field; deleted ones never count."""
        counts = (
            self.filter(state=state, is_removed=False)
            .filter(
                content_type=ContentType.objects.get_for_model(model),
                object_pk=Cast(OuterRef(outer), models.CharField()),
            )
            .order_by()
            .values("object_pk")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return models.functions.Coalesce(Subquery(counts), 0)

    def expired_blatant_spam(self):
        cutoff = timezone.now() - timedelta(days=settings.COMMENTS_BLATANT_SPAM_DAYS)
        return self.filter(state=State.SPAM, blatant=True, submit_date__lt=cutoff)


class BlogCommentManager(XtdCommentManager.from_queryset(BlogCommentQuerySet)):
    pass


class BlogComment(BidiFreeFields, XtdComment):
    bidi_free_fields = ("user_name", "user_email", "user_url")
    state = models.CharField(max_length=10, choices=State.choices, default=State.HELD)
    reason = models.CharField(
        max_length=200, blank=True, help_text="Why the comment is in its state."
    )
    screening = models.JSONField(
        default=list, blank=True, help_text="Each screening step with its outcome and reason."
    )
    verdict = models.CharField(
        "spam checker verdict", max_length=10, choices=Verdict.choices, blank=True
    )
    pro_tip = models.CharField("Akismet pro-tip", max_length=20, blank=True)
    blatant = models.BooleanField(
        default=False, help_text="Akismet's discard verdict: purged after a while."
    )
    needs_recheck = models.BooleanField(
        default=False,
        help_text="The spam check is pending or failed; the worker checks it (again).",
    )
    # The worker's re-checks of a comment whose spam check failed wait longer after
    # each failure (comments/maintenance.py).
    recheck_failures = models.PositiveSmallIntegerField(default=0)
    next_recheck_at = models.DateTimeField(null=True, blank=True)
    awaiting_confirmation = models.BooleanField(default=False)
    state_after_confirmation = models.CharField(max_length=10, choices=State.choices, blank=True)
    # What the spam check saw, so that submit-spam/ham later sends the same.
    user_agent = models.TextField(blank=True)
    referrer = models.TextField(blank=True)
    spam_check_params = models.JSONField(default=dict, blank=True)
    comment_html = models.TextField(editable=False, blank=True)
    # The picture of the account a signed-in reader commented with (comments/avatars.py).
    avatar_url = models.URLField(max_length=500, blank=True, editable=False)

    objects = BlogCommentManager()

    class Meta:
        verbose_name = "comment"
        ordering = ["thread_id", "order"]
        # Multi-table inheritance: only this table's own fields can be indexed
        # here; django_comments and xtd index object_pk, submit_date, thread and order.
        indexes = [models.Index(fields=["state", "blatant"], name="comment_state_idx")]

    def __str__(self):
        return f"{self.name}: {self.comment[:50]}"

    # The comment replied to, when the caller has loaded it (the form has): placing
    # the reply then needs no query for it.
    parent_comment = None

    @classmethod
    def from_db(cls, db, field_names, values):
        comment = super().from_db(db, field_names, values)
        comment.remember_visibility()
        return comment

    def refresh_from_db(self, using=None, fields=None, **kwargs):
        super().refresh_from_db(using=using, fields=fields, **kwargs)
        if fields is None or {"state", "is_removed"} & set(fields):
            self.remember_visibility()

    def remember_visibility(self):
        """Whether readers saw it as stored, so that a save knows which cached pages
        it makes stale (`comments/visibility.py`); unknown if those fields were deferred."""
        deferred = self.get_deferred_fields()
        known = not ({"state", "is_removed"} & deferred)
        self.public_when_loaded = (
            (self.state == State.PUBLIC and not self.is_removed) if known else None
        )

    def save(self, *args, **kwargs):
        self.strip_bidi_fields()  # here: an insert does not reach BidiFreeFields.save
        # Rendered once, on save: plain text, escaped, links made safe.
        self.comment_html = render_comment_text(self.comment)
        self.is_public = self.state == State.PUBLIC
        if self.pk is None:
            self.insert(*args, **kwargs)
        else:
            super().save(*args, **kwargs)

    def insert(self, *args, **kwargs):
        """One insert per table, threading included (comments/threading.py); xtd's own
        save inserts, then computes the thread with a query per ancestor and updates
        every table again."""
        try:
            with transaction.atomic(savepoint=False):
                if self.parent_id:
                    parent = self.parent_comment or XtdComment.norel_objects.get(pk=self.parent_id)
                    content_type = ContentType.objects.get_for_id(self.content_type_id)
                    max_level = max_thread_level_for_content_type(content_type)
                    make_room_for_reply(self, parent, max_level)
                else:
                    self._starts_thread = True
                super(XtdComment, self).save(*args, **kwargs)  # skips xtd's second save
        finally:
            self._starts_thread = False
        if not isinstance(self.order, int):
            # Computed by the database at insert: read again only if asked for.
            del self.__dict__["order"]

    def _save_table(self, raw=False, cls=None, *args, **kwargs):
        # A new thread is named after its first comment, whose id exists once the
        # django_comments row is in: xtd's row gets it in its insert, not an update.
        if cls is XtdComment and getattr(self, "_starts_thread", False):
            self.thread_id = self.parent_id = self.comment_ptr_id
        return super()._save_table(raw, cls, *args, **kwargs)

    def get_absolute_url(self):
        """The comment on the page of comments that shows it (comments/paging.py)."""
        return paging.comment_location(self.content_object, self.pk, self.thread_id)

    @property
    def website(self):
        return safe_website(self.user_url)

    @property
    def anchor(self):
        return f"comment-{self.pk}"


def safe_website(url):
    """The commenter's website, only if it is a plain web address."""
    url = (url or "").strip()
    return url if urlsplit(url).scheme in ("http", "https") else ""


def render_comment_text(text):
    """Plain text to HTML: escaped, URLs linked with rel="nofollow ugc", paragraphs kept."""
    html = urlize(escape(text), trim_url_limit=60, nofollow=True, autoescape=False)
    html = html.replace('rel="nofollow"', 'rel="nofollow ugc"')
    return mark_safe(linebreaks(html, autoescape=False))  # noqa: S308 (escaped above)


class CommentHistory(models.Model):
    """One change of a comment's state: who, when, from what to what, and why."""

    comment = models.ForeignKey(BlogComment, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(max_length=50)
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10, blank=True)
    note = models.CharField(max_length=300, blank=True)
    previous = models.JSONField(
        default=dict, blank=True, help_text="What an edit replaced: field name to old value."
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "comment history"

    def __str__(self):
        who = self.actor or "system"
        return f"{self.at:%Y-%m-%d %H:%M} {who}: {self.action}"


class BlocklistEntry(models.Model):
    """A word, email, domain or IP whose comments are held or marked spam."""

    class Kind(models.TextChoices):
        WORD = "word", "Word or phrase (in name, email, website or text)"
        EMAIL = "email", "Email address"
        DOMAIN = "domain", "Domain (of email or website, subdomains included)"
        IP = "ip", "IP address or network (e.g. 203.0.113.0/24)"

    class Action(models.TextChoices):
        HOLD = "hold", "Hold for moderation"
        SPAM = "spam", "Mark as spam"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(max_length=200)
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.HOLD)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "blocklist entry"
        verbose_name_plural = "blocklist"
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "value"],
                name="blocklist_unique_entry",
                violation_error_message="The blocklist already has this entry.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    def save(self, *args, **kwargs):
        self.value = self.value.strip().lower()
        super().save(*args, **kwargs)

    def clean(self):
        self.value = self.value.strip().lower()
        if self.kind == self.Kind.IP:
            try:
                ipaddress.ip_network(self.value, strict=False)
            except ValueError:
                raise ValidationError({"value": "Enter an IP address or a network."}) from None

    def matches(self, comment):
        """Whether this entry applies to a comment (name, email, URL, text, IP)."""
        value = self.value
        email = (comment.user_email or "").lower()
        if self.kind == self.Kind.WORD:
            haystack = " ".join([comment.user_name, email, comment.user_url, comment.comment])
            return value in haystack.lower()
        if self.kind == self.Kind.EMAIL:
            return email == value
        if self.kind == self.Kind.DOMAIN:
            hosts = [email.rpartition("@")[2], urlsplit(comment.user_url or "").hostname or ""]
            return any(h == value or h.endswith("." + value) for h in hosts if h)
        if self.kind == self.Kind.IP and comment.ip_address:
            try:
                address = ipaddress.ip_address(comment.ip_address)
                return address in ipaddress.ip_network(value, strict=False)
            except ValueError:
                return False
        return False


class RateCounter(models.Model):
    """How many comments one client address sent in its current rate window.

    Bumped by one atomic upsert per comment (comments/rate_limit.py), so concurrent
    posts from one address each get their own number: count-then-insert let a burst
    of 20 publish 6 against a limit of 5. The window starts at the address's first
    comment after the previous window ran out."""

    address = models.CharField(max_length=45, unique=True)  # an IPv4 or IPv6 address
    window_start = models.BigIntegerField()  # Unix seconds: plain SQL on every backend
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["window_start"], name="ratecounter_window_idx")]

    def __str__(self):
        return f"{self.address}: {self.hits} since {self.window_start}"
