"""Readers who follow a series (or every new post) by email.

A `Subscription` is one address following one series, or all new posts when it
has no series. It is pending until its address confirms the mailed link (double
opt-in); nothing else is ever sent to a pending one. When a post goes live it is
`Announcement`-ed once, and each follower gets a `Notice` row: the unique
(subscription, post) pair is what guarantees one mail per follower, however often
the post is saved or the worker restarts.
"""

from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Now
from django.utils import timezone


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def ask(self, email, series, ip_address):
        """The address's subscription to the series (None: all new posts), pending
        until confirmed; asking again changes nothing but sends the link again."""
        subscription, _created = self.get_or_create(
            email=normalize_email(email), series=series, defaults={"ip_address": ip_address}
        )
        return subscription

    def of(self, email):
        return self.filter(email=normalize_email(email))

    def with_sent_count(self):
        return self.annotate(sent_count=Count("notices", filter=Q(notices__sent_at__isnull=False)))

    def following(self, series_id):
        """Confirmed followers of the series, and of all new posts; an address that
        follows both is counted once, through its series subscription."""
        followers = self.confirmed()
        if series_id is None:
            return followers.filter(series__isnull=True)
        series_followers = followers.filter(series_id=series_id)
        return followers.filter(
            Q(series_id=series_id)
            | Q(series__isnull=True) & ~Q(email__in=series_followers.values("email"))
        )


def normalize_email(email):
    # Addresses are compared case-insensitively: one person, one subscription.
    return email.strip().lower()


class Subscription(models.Model):
    email = models.EmailField(max_length=254)
    series = models.ForeignKey(
        "series.Series",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        help_text="Empty: every new post.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Where the request came from, kept as evidence of consent (personal data:
    # exported and erased with the rest).
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["email", "series"]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "series"],
                condition=Q(series__isnull=False),
                name="subscription_unique_per_series",
                violation_error_message="This address already follows this series.",
            ),
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(series__isnull=True),
                name="subscription_unique_all_posts",
                violation_error_message="This address already follows all new posts.",
            ),
        ]
        indexes = [models.Index(fields=["series", "confirmed_at"], name="subscription_series_idx")]

    def __str__(self):
        return f"{self.email} → {self.topic}"

    @property
    def topic(self):
        return f"“{self.series}”" if self.series_id else "all new posts"

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    def confirm(self):
        if self.confirmed_at is None:
            self.confirmed_at = timezone.now()
            self.save(update_fields=["confirmed_at"])


class Announcement(models.Model):
    """A post whose followers have been given their notices (once per post)."""

    post = models.OneToOneField(
        "blog.Post", primary_key=True, on_delete=models.CASCADE, related_name="announcement"
    )
    created_at = models.DateTimeField(db_default=Now())

    def __str__(self):
        return f"Announcement of {self.post_id}"


class Notice(models.Model):
    """One follower's mail about one post: sent_at is set in the transaction that
    hands the mail to the outbox, so a restarted batch skips it."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="notices")
    post = models.ForeignKey("blog.Post", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(db_default=Now())
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "post"],
                name="notice_once_per_post",
                violation_error_message="This follower already has a notice of this post.",
            )
        ]
        indexes = [
            models.Index(
                fields=["post", "id"], condition=Q(sent_at__isnull=True), name="notice_unsent_idx"
            )
        ]

    def __str__(self):
        return f"Notice of post {self.post_id} to {self.subscription_id}"
