"""Personal data of commenters, as WordPress's privacy tools handle it: export
everything stored about an email address, or erase it (anonymise or delete), and
forget IP addresses after COMMENTS_IP_RETENTION_DAYS."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from blog.extensions import personal_data_sources

from .models import BlogComment, CommentHistory

audit = logging.getLogger("comments.audit")
ANONYMOUS = "Anonymous"


def comments_of(email):
    return BlogComment.objects.filter(user_email__iexact=email.strip()).select_related(None)


def export(email):
    """Everything stored about the commenter with this email, JSON-ready."""
    comments = list(comments_of(email).order_by("submit_date"))
    # Keyed by type too: a post and a page may share an id.
    posts = {(c.content_type_id, c.object_pk): c.content_object for c in comments}
    return {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        "comments": [
            {
                "name": c.user_name,
                "email": c.user_email,
                "website": c.user_url,
                "avatar": c.avatar_url,
                "ip_address": c.ip_address,
                "user_agent": c.user_agent,
                "submitted": c.submit_date.isoformat(),
                "text": c.comment,
                "state": "deleted" if c.is_removed else c.state,
                "post": settings.SITE_URL + posts[c.content_type_id, c.object_pk].get_absolute_url()
                if posts[c.content_type_id, c.object_pk]
                else None,
                "follow_up_mail": c.followup,
            }
            for c in comments
        ],
        # What other apps store about the address (series: its subscriptions).
        **{name: export(email) for name, (export, _erase) in personal_data_sources().items()},
    }


@transaction.atomic
def erase(email, *, delete, actor=None):
    """Anonymise the commenter's comments, or delete them (replies stay under a
    placeholder). Returns how many comments were erased."""
    comments = list(comments_of(email))
    for comment in comments:
        comment.user_name, comment.user_email, comment.user_url = ANONYMOUS, "", ""
        comment.ip_address, comment.user_agent, comment.referrer = None, "", ""
        comment.spam_check_params, comment.followup, comment.user = {}, False, None
        comment.avatar_url = ""
        if delete:
            comment.comment, comment.is_removed = "", True
        comment.save()
        CommentHistory.objects.create(
            comment=comment,
            actor=actor,
            action="personal data deleted" if delete else "personal data anonymised",
        )
    # Records other apps keep about the address go whichever way comments go.
    sources = personal_data_sources().items()
    others = {name: erase_them(email) for name, (_export, erase_them) in sources}
    audit.info(
        "personal data erased",
        extra={
            "comments": len(comments),
            "deleted": delete,
            "actor": str(actor or "system"),
            **others,
        },
    )
    return len(comments)


def forget_old_addresses(days=None):
    """Erase IP addresses (and what the spam check kept) of comments older than `days`."""
    days = settings.COMMENTS_IP_RETENTION_DAYS if days is None else days
    if not days:
        return 0
    cutoff = timezone.now() - timedelta(days=days)
    old = BlogComment.objects.filter(submit_date__lt=cutoff).exclude(
        ip_address__isnull=True, user_agent=""
    )
    return old.update(ip_address=None, user_agent="", referrer="", spam_check_params={})
