"""Work the worker does for followers (Huey finds this module by its name)."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import notices

logger = logging.getLogger(__name__)
# The first tick of a worker process resumes every unsent notice: a worker that
# restarts after a crash picks up the batch it was killed in.
_started = {"resumed": False}


@db_task()
def announce_post(post_id):
    if notices.announce(post_id):
        send_notices(post_id)


@db_task(retries=5, retry_delay=60)
def send_notices(post_id):
    """One batch; the next batch is a task of its own, so memory stays bounded."""
    if notices.send_batch(post_id):
        send_notices(post_id)


@db_periodic_task(crontab(minute="*"))
def follow_tick():
    """Every minute: announce posts whose scheduled time came; resume stalled sends."""
    announced = notices.due_posts()
    for post_id in announced:
        announce_post.call_local(post_id)
    for post_id in notices.stalled_posts(all_unsent=not _started["resumed"]):
        if post_id not in announced:  # those have just started sending
            logger.info("Resuming the notices of post %s", post_id)
            send_notices(post_id)
    _started["resumed"] = True
