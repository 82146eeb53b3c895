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
from .models import BlogComment, CommentHistory, State, Verdict
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
        outcome = check_held(pk, checker, pending)
        if outcome is not None:
            result.moved += outcome
            result.failed += not outcome
    if ids:
        logger.info(
            "Rechecked %s held comments: %s moved on, %s still pending.",
            result.checked,
            result.moved,
            result.failed,
        )
    return result


def check_held(pk, checker=None, pending=None):
    """Ask the checker about the held comment `pk` whose check is pending (left by
    its request to the worker, comments/tasks.py `check_comment`) or failed, and
    apply the verdict. Returns True when it moved on, False when the checker did not
    answer (it waits for the recheck job, longer after each failure), None when
    there was nothing to check (another run has it, or it moved on meanwhile)."""
    checker = checker or get_spam_checker()
    pending = pending_rechecks(respect_backoff=False) if pending is None else pending
    with transaction.atomic():
        comment = (
            pending.select_related(None).select_for_update(skip_locked=True)
            .filter(pk=pk).first()
        )  # fmt: skip
        if comment is None:
            return None
        # Its request left the first check to the worker: its mail waited for it too.
        first = comment.verdict == Verdict.PENDING
        if not recheck(comment, checker, recheck_reason=None if first else "recheck_queue"):
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
            if first:  # held until the checker answers: moderators hear of it now
                transaction.on_commit(lambda: notifications.comment_posted(pk), robust=True)
            return False
        keep_waiting_for_confirmation(comment)
        comment.recheck_failures, comment.next_recheck_at = 0, None
        comment.save()
        CommentHistory.objects.create(
            comment=comment, action="spam checked" if first else "rechecked",
            from_state=State.HELD, to_state=comment.state, note=comment.reason,
        )  # fmt: skip
        if first:
            # The mail its request would have queued had the verdict been known then.
            transaction.on_commit(lambda: notifications.comment_posted(pk), robust=True)
        elif comment.state == State.PUBLIC:
            # Published only now: its thread's followers hear of it now.
            transaction.on_commit(lambda: notifications.comment_published(pk), robust=True)
    return True


def keep_waiting_for_confirmation(comment):
    """A comment whose writer has not yet confirmed their email stays held; the
    verdict is what confirming will give it. Spam needs no confirmation (and gets
    no mail asking for one)."""
    if not comment.awaiting_confirmation:
        return
    if comment.state == State.SPAM:
        comment.awaiting_confirmation, comment.state_after_confirmation = False, ""
    else:
        comment.state_after_confirmation, comment.state = comment.state, State.HELD


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
