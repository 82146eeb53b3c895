"""The worker's site-wide jobs: sending the outbox (core/outbox.py). Huey finds this
module by its name (huey.contrib.djhuey imports each app's `tasks`)."""

from pathlib import Path

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import content_version, outbox


@db_task()
def send_outbox():
    """Queued after each commit that queues mail."""
    send_and_plan_retry()


def send_and_plan_retry():
    """Send what is due; if a send failed, wake up again when the first retry is
    due rather than at the next sweep."""
    if outbox.send_due_mail().failed and (delay := outbox.next_retry_in()) is not None:
        send_outbox.schedule(delay=delay + 0.5)


@db_periodic_task(crontab(minute="*"))
def sweep_outbox():
    """Every minute, whatever is due: retries, and mail whose task was lost (queue
    down when it was queued, worker killed mid-batch)."""
    outbox.give_up_on_abandoned()
    send_and_plan_retry()


@db_periodic_task(crontab(minute="*"))
def replay_lost_version_bumps():
    """Content-version bumps that missed the cache while it was away, for the web
    processes that did not see the outage themselves (core/content_version.py)."""
    content_version.replay_lost_bumps(everyone=True)


@db_periodic_task(crontab(hour="4", minute="10"))
def forget_sent_mail():
    outbox.forget_sent_mail()


@db_periodic_task(crontab(minute="*"))
def heartbeat():
    """Touch WORKER_HEARTBEAT_FILE, if set: the container's healthcheck reads its age."""
    if settings.WORKER_HEARTBEAT_FILE:
        Path(settings.WORKER_HEARTBEAT_FILE).touch()
