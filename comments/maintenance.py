"""The comments' periodic jobs, run by the worker (comments/tasks.py) and, by hand,
by the `recheck_comments` and `purge_comments` commands."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import notifications, rate_limit
from .models import BlogComment, CommentHistory, State
from .privacy import forget_old_addresses
from .screening import recheck
from .spam import get_spam_checker

logger = logging.getLogger(__name__)
MAX_RECHECK_DELAY = timedelta(days=1)
# The job runs every RECHECK minutes; a comment due "in 10 minutes" must be taken by
# the run 10 minutes from now, not the one after.
SLACK = timedelta(minutes=1)


@dataclass
class RecheckResult:
    checked: int = 0
    moved: int = 0
    failed: int = 0


def recheck_delay(failures):
    minutes = settings.COMMENTS_RECHECK_MINUTES * 2 ** max(failures - 1, 0)
    return min(timedelta(minutes=minutes), MAX_RECHECK_DELAY)


def pending_rechecks(now=None, *, respect_backoff=True):
    pending = BlogComment.objects.filter(state=State.HELD, needs_recheck=True)
    if respect_backoff:
        now = now or timezone.now()
        pending = pending.filter(Q(next_recheck_at__isnull=True) | Q(next_recheck_at__lte=now))
    return pending


def recheck_pending(limit=500, *, respect_backoff=True):
    """Run held "spam check pending" comments through the checker again. Each is
    locked while checked (two runs never check one comment twice); one still
    unanswered waits twice as long before its next try."""
    checker = get_spam_checker()
    pending = pending_rechecks(respect_backoff=respect_backoff)
    ids = list(pending.order_by("submit_date").values_list("pk", flat=True)[:limit])
    result = RecheckResult(checked=len(ids))
    for pk in ids:
        with transaction.atomic():
            comment = (
                pending.select_related(None).select_for_update(skip_locked=True)
                .filter(pk=pk).first()
            )  # fmt: skip
            if comment is None:
                continue  # another run has it, or it moved on meanwhile
            if not recheck(comment, checker):
                result.failed += 1
                comment.recheck_failures += 1
                comment.next_recheck_at = (
                    timezone.now() + recheck_delay(comment.recheck_failures) - SLACK
                )
                comment.save(
                    update_fields=[
                        "verdict", "screening", "spam_check_params",
                        "recheck_failures", "next_recheck_at",
                    ]
                )  # fmt: skip
                continue
            comment.recheck_failures, comment.next_recheck_at = 0, None
            comment.save()
            CommentHistory.objects.create(
                comment=comment, action="rechecked", from_state=State.HELD,
                to_state=comment.state, note=comment.reason,
            )  # fmt: skip
            if comment.state == State.PUBLIC:
                # Published only now: its thread's followers hear of it now.
                transaction.on_commit(
                    lambda pk=comment.pk: notifications.comment_published(pk), robust=True
                )
            result.moved += 1
    if ids:
        logger.info(
            "Rechecked %s held comments: %s moved on, %s still pending.",
            result.checked,
            result.moved,
            result.failed,
        )
    return result


@dataclass
class PurgeResult:
    purged: int
    forgotten: int


def purge_expired():
    """Delete blatant spam older than COMMENTS_BLATANT_SPAM_DAYS (without replies) and
    erase IP addresses older than COMMENTS_IP_RETENTION_DAYS."""
    expired = BlogComment.objects.expired_blatant_spam().filter(nested_count=0)
    ids = list(expired.values_list("pk", flat=True))
    # Through the ORM, so the xtd and django_comments parent rows go too.
    BlogComment.objects.filter(pk__in=ids).delete()
    result = PurgeResult(purged=len(ids), forgotten=forget_old_addresses())
    rate_limit.forget_expired()  # addresses kept no longer than their rate window
    logger.info(
        "Purged %s blatant spam comments; erased the IP addresses of %s comments.",
        result.purged,
        result.forgotten,
    )
    return result
