"""A post that goes live is announced to its followers by the worker, after the
commit (the series part saved in the same admin form exists by then). Scheduled
posts are announced by the worker's minute tick when their time comes."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


def announce_when_live(sender, instance, raw=False, **kwargs):
    if raw or not instance.is_public:
        return
    window = timedelta(hours=settings.FOLLOW_NOTICE_WINDOW_HOURS)
    if instance.published_at < timezone.now() - window:
        return  # an old or backdated post: not news
    transaction.on_commit(lambda: enqueue_announcement(instance.pk))


def enqueue_announcement(post_id):
    from .tasks import announce_post

    try:
        announce_post(post_id)
    except Exception:
        # The post is saved; the worker's minute tick announces it anyway.
        logger.exception("Could not queue the announcement of post %s", post_id)
