"""Telling followers that a post is out, in batches, exactly once each.

announce(post) → plan_notices: one INSERT … SELECT gives every follower a Notice
row (the unique (subscription, post) pair makes it idempotent), whatever their
number. send_batch: the worker sends the next FOLLOW_BATCH_SIZE unsent notices; each
row is claimed (sent_at set, only if still empty) in the transaction that hands its
mail to the outbox, so a batch run twice, or again after a crash, skips sent rows.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Value
from django.utils import timezone

from blog.models import Post
from core.outbox import queue_mail

from .follow_mail import notice_message
from .models import SeriesPart
from .subscriptions import Announcement, Notice, Subscription

logger = logging.getLogger(__name__)


def part_of(post_id):
    return SeriesPart.objects.filter(post_id=post_id).select_related("series").first()


@transaction.atomic
def announce(post_id):
    """Plan the notices of a post that is live; False if it is not, or was already."""
    post = Post.objects.published().filter(pk=post_id).only("pk").first()
    if post is None:
        return False
    _announcement, created = Announcement.objects.get_or_create(post=post)
    if not created:
        return False
    part = part_of(post_id)
    planned = plan_notices(post_id, part.series_id if part else None)
    logger.info("Post %s announced to %s followers", post_id, planned)
    return True


def plan_notices(post_id, series_id):
    """One Notice per follower, in one statement, however many followers there are."""
    followers = (
        Subscription.objects.following(series_id)
        .order_by()
        .annotate(post_ref=Value(post_id))
        .values_list("pk", "post_ref")
    )
    select, params = followers.query.sql_with_params()
    table = Notice._meta.db_table
    with connection.cursor() as cursor:
        # Django has no INSERT … SELECT; both Postgres and SQLite take this one.
        cursor.execute(
            f"INSERT INTO {table} (subscription_id, post_id) {select} ON CONFLICT DO NOTHING",
            params,
        )
        return cursor.rowcount


def send_batch(post_id, size=None):
    """Send the next batch of a post's unsent notices; True if more may remain."""
    size = size or settings.FOLLOW_BATCH_SIZE
    post = Post.objects.published().filter(pk=post_id).first()
    if post is None:  # unpublished since it was announced: tell nobody
        Notice.objects.filter(post_id=post_id, sent_at__isnull=True).delete()
        return False
    part = part_of(post_id)
    notices = list(
        Notice.objects.filter(post_id=post_id, sent_at__isnull=True)
        .select_related("subscription__series")
        .order_by("pk")[:size]
    )
    for notice in notices:
        with transaction.atomic():
            claimed = Notice.objects.filter(pk=notice.pk, sent_at__isnull=True).update(
                sent_at=timezone.now()
            )
            if claimed:  # not sent meanwhile by another run of this batch
                queue_mail(
                    notice_message(notice.subscription, post, part),
                    key=f"series-notice:{post.pk}:{notice.subscription_id}",
                )
    return len(notices) == size


def due_posts():
    """Posts that went live recently (scheduled ones whose time came) and have not
    been announced. Older posts (imports, backdated ones) are never announced."""
    since = timezone.now() - timedelta(hours=settings.FOLLOW_NOTICE_WINDOW_HOURS)
    return list(
        Post.objects.published()
        .filter(published_at__gte=since)
        .exclude(Exists(Announcement.objects.filter(post=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )


def stalled_posts(quiet_minutes=2, *, all_unsent=False):
    """Posts with unsent notices whose sending seems to have stopped (a worker died
    mid-batch): none of their notices was sent in the last few minutes."""
    unsent = Notice.objects.filter(sent_at__isnull=True)
    if not all_unsent:
        recent = Notice.objects.filter(
            post_id=OuterRef("post_id"),
            sent_at__gte=timezone.now() - timedelta(minutes=quiet_minutes),
        )
        unsent = unsent.exclude(Exists(recent))
    return list(unsent.order_by().values_list("post_id", flat=True).distinct())
