"""Moderation: the `CommentModerator` registered for posts and pages, and the moderators'
actions on comments (approve, spam, not spam, delete), each recorded in the
comment's history and, for spam decisions, reported back to the spam checker."""

import logging

from django.conf import settings
from django.db import transaction
from django_comments_xtd.moderation import XtdCommentModerator, moderator

from blog.models import Page, Post

from . import notifications
from .models import BlogComment, CommentHistory, State
from .spam import SpamCheckUnavailable, get_spam_checker

logger = logging.getLogger(__name__)
audit = logging.getLogger("comments.audit")


class PostModerator(XtdCommentModerator):
    """Comments on posts and pages: open per entry, closed automatically N days
    after its publication."""

    enable_field = "comments_open"
    auto_close_field = "published_at"

    @property
    def close_after(self):
        return settings.COMMENTS_CLOSE_AFTER_DAYS or None

    def comments_open(self, post):
        return post.is_public and self.allow(None, post, None)


# The entries readers may comment on, by their form's content_type ("blog.post").
COMMENTABLE = {model._meta.label_lower: model for model in (Post, Page)}
moderator.register(list(COMMENTABLE.values()), PostModerator)
post_moderator = moderator._registry[Post]


def moderator_for(entry):
    """The moderator of a post or a page (the same rules for both)."""
    return moderator._registry[type(entry)]


# action: (label, target state, what to tell the spam checker)
ACTIONS = {
    "approve": ("approved", State.PUBLIC, None),
    "spam": ("marked spam", State.SPAM, "submit_spam"),
    "not_spam": ("marked not spam", State.HELD, "submit_ham"),
    "delete": ("deleted", None, None),
    "restore": ("restored", None, None),
}

# What undo puts back: the fields a decision changes.
SNAPSHOT_FIELDS = ["state", "is_removed", "reason", "needs_recheck"]


def snapshot(comment):
    return {field: getattr(comment, field) for field in SNAPSHOT_FIELDS}


def moderate(comment, action, actor, note=""):
    """Apply a moderator's decision to one comment; return whether it changed."""
    return decide(comment, action, actor, note) is not None


def decide(comment, action, actor, note=""):
    """Apply a moderator's decision to one comment; return its history entry, or
    None when there was nothing to change."""
    label, to_state, report = ACTIONS[action]
    from_state = "removed" if action == "restore" else comment.state
    if action == "delete":
        if comment.is_removed:
            return None
        comment.is_removed = True
    elif action == "restore":
        if not comment.is_removed:
            return None
        comment.is_removed = False
    else:
        if from_state == to_state and not comment.is_removed:
            return None
        if action == "approve" and from_state == State.SPAM:
            report = "submit_ham"  # teach the checker about its false positive
        comment.state, comment.is_removed = to_state, False
        comment.needs_recheck = False
        comment.reason = f"{label} by {actor.get_username()}" if actor else label
    with transaction.atomic():
        comment.save()
        entry = CommentHistory.objects.create(
            comment=comment,
            actor=actor,
            action=label,
            from_state=from_state,
            to_state=comment.state if action != "delete" else "removed",
            note=note,
        )
        if report and comment.spam_check_params:
            queue_report(comment, report)
        published = comment.state == State.PUBLIC and from_state != State.PUBLIC
        if published and action not in ("delete", "restore"):
            transaction.on_commit(lambda: notifications.comment_published(comment.pk))
    audit.info(
        "comment moderated",
        extra={
            "comment": comment.pk,
            "action": action,
            "from_state": from_state,
            "to_state": comment.state,
            "actor": actor.get_username() if actor else "system",
        },
    )
    return entry


def undo(comment, entry, before, actor):
    """Put back what `entry` (a decision on `comment`) changed, given the snapshot
    taken before it; recorded in the history like any decision. Return whether it
    was undone: not when another decision came after it."""
    latest = comment.history.exclude(actor=None).order_by("-at", "-pk").first()
    if latest is None or latest.pk != entry.pk:
        return False
    undone_state = comment.state
    for field in SNAPSHOT_FIELDS:
        setattr(comment, field, before[field])
    # A spam decision was reported to the checker: tell it the comment was ham after all.
    report = "submit_ham" if undone_state == State.SPAM and comment.state != State.SPAM else None
    with transaction.atomic():
        comment.save()
        CommentHistory.objects.create(
            comment=comment,
            actor=actor,
            action="undone",
            from_state=entry.to_state,
            to_state="removed" if comment.is_removed else comment.state,
            note=f"undid “{entry.action}”",
        )
        if report and comment.spam_check_params:
            queue_report(comment, report)
    audit.info(
        "comment moderation undone",
        extra={
            "comment": comment.pk,
            "action": "undo",
            "undid": entry.action,
            "to_state": comment.state,
            "actor": actor.get_username() if actor else "system",
        },
    )
    return True


def empty_spam(actor):
    """Delete every spam comment; one with replies is marked deleted instead, so its
    replies keep their place. Return how many went."""
    spam = BlogComment.objects.filter(state=State.SPAM)
    with transaction.atomic():
        kept = list(spam.filter(nested_count__gt=0, is_removed=False))
        for comment in kept:
            decide(comment, "delete", actor, note="spam emptied (has replies)")
        ids = list(spam.filter(nested_count=0).values_list("pk", flat=True))
        # Through the ORM, so the xtd and django_comments parent rows go too.
        BlogComment.objects.filter(pk__in=ids).delete()
    audit.info(
        "spam emptied",
        extra={
            "action": "empty_spam",
            "deleted": len(ids),
            "kept_for_replies": len(kept),
            "actor": actor.get_username() if actor else "system",
        },
    )
    return len(ids) + len(kept)


def queue_report(comment, method):
    """After the commit, the worker tells the checker (report_to_checker)."""
    from .tasks import report_spam_decision  # the tasks module imports this one

    transaction.on_commit(lambda: report_spam_decision(comment.pk, method), robust=True)


def report_to_checker(comment, method, *, raise_on_failure=False):
    """Send submit-spam or submit-ham with what the original check saw; record it.
    A failure is recorded too, then raised if asked (the worker's task retries)."""
    checker = get_spam_checker()
    action = method.replace("_", "-")
    try:
        getattr(checker, method)(comment.spam_check_params)
    except SpamCheckUnavailable as exc:
        logger.warning("Could not %s comment %s: %s", method, comment.pk, exc)
        retry = " (will retry)" if raise_on_failure else ""
        note = f"{action} failed: {exc}"[: 300 - len(retry)] + retry
        CommentHistory.objects.create(comment=comment, action=action, note=note)
        if raise_on_failure:
            raise
        return
    CommentHistory.objects.create(
        comment=comment, action=action, note=f"{action} sent to {checker.name}"
    )


def moderate_many(queryset, action, actor):
    """Apply one decision to many comments; return how many changed."""
    changed = 0
    for comment in queryset.select_related(None):
        changed += moderate(comment, action, actor)
    return changed
