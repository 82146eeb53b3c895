"""The comments' work for the worker. Huey finds this module by its name.

Each task takes ids, not objects, and reads the comment afresh: a task may run
minutes after it was queued, in another process."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from . import maintenance, moderation, notifications
from .models import BlogComment


@db_task(retries=3, retry_delay=30, retry_backoff=2)
def send_comment_notices(comment_id, event):
    """Follow-ups, moderator notices or the confirmation request for one comment:
    the look-ups of who gets what happen here, not in the commenter's request. The
    mails are queued with keys, so a retried task queues none twice."""
    notifications.send_notices(comment_id, event)


@db_task()
def check_comment(comment_id):
    """The spam check a new comment's request left to the worker (the checker calls
    the network), then the verdict: published, kept held, or spam. Not retried here:
    a comment whose check failed waits, held, for the recheck job."""
    maintenance.check_held(comment_id)


@db_task(retries=5, retry_delay=60, retry_backoff=2, context=True)
def report_spam_decision(comment_id, method, task=None):
    """submit-spam / submit-ham to the checker; retried (1, 2, 4, 8, 16 minutes)
    while the checker is unavailable. A deleted comment has nothing to report."""
    comment = BlogComment.objects.filter(pk=comment_id).first()
    if comment is None:
        return
    # The last try records the failure and stops; earlier ones raise to be retried.
    last_try = task is None or not task.retries or HUEY.immediate
    moderation.report_to_checker(comment, method, raise_on_failure=not last_try)


def every_recheck_interval(when):
    """Every COMMENTS_RECHECK_MINUTES minutes, read when asked (a crontab would fix
    the setting's value when this module is imported)."""
    return (when.hour * 60 + when.minute) % max(settings.COMMENTS_RECHECK_MINUTES, 1) == 0


@db_periodic_task(every_recheck_interval)
def recheck_pending_comments():
    """Held "spam check pending" comments, each on its own backoff."""
    maintenance.recheck_pending()


@db_periodic_task(crontab(hour="3", minute="17"))
def purge_comments():
    """Old blatant spam and old IP addresses."""
    maintenance.purge_expired()
