"""Screening: what a new comment passes through before it is saved.

honeypot → rate limit → blocklist → spam checker (Akismet) → policy.
Each step records its outcome and reason on the comment. A spam outcome ends
screening; a hold is remembered and screening goes on, so the spam checker
still classifies held comments for the moderators.

A checker that calls the network (`remote`, Akismet) is not asked in the request:
the comment is stored held, "spam check pending" (its writer sees it at once), and
the worker asks the checker after the commit (comments/maintenance.py
`check_held`), then publishes it or not. A slow or dead Akismet then never holds a
web worker. The offline checker is instant and in-process, so it is asked at once.
"""

import logging
import re
from dataclasses import dataclass
from datetime import UTC
from functools import partial

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db.models import Exists, Q, Subquery, Value

from .models import MODERATE_PERMISSION, BlocklistEntry, BlogComment, State, Verdict
from .rate_limit import count_comment
from .spam import SpamCheckUnavailable, get_spam_checker, spam_checker_class

logger = logging.getLogger(__name__)

PASS, HOLD, SPAM = "pass", "hold", "spam"
SPAM_CHECK_PENDING = "spam check pending"
LINK_PATTERN = re.compile(r"https?://|www\.", re.IGNORECASE)


@dataclass(frozen=True)
class Facts:
    """What screening asks the database about a new comment, read in one query
    (`annotate_facts`), with the post the comment is for."""

    duplicate_id: int | None = None  # the same comment sent before, today
    duplicate_state: str | None = None
    commenter_approved: bool = False  # the commenter has a public comment here
    can_moderate: bool = False

    @classmethod
    def of(cls, row):
        """The facts `annotate_facts` put on a row."""
        return cls(**{name: getattr(row, f"screening_{name}") for name in cls.__annotations__})


def annotate_facts(queryset, comment, user):
    """`queryset` with the Facts of the unsaved `comment` as scalar subqueries, so
    that the query that loads the post answers screening's questions too."""
    duplicates = duplicates_of(comment).order_by("pk")
    facts = {
        "duplicate_id": Subquery(duplicates.values("pk")[:1]),
        "duplicate_state": Subquery(duplicates.values("state")[:1]),
        "commenter_approved": Exists(approved_comments_of(comment)),
        "can_moderate": moderator_expression(user),
    }
    return queryset.annotate(**{f"screening_{name}": value for name, value in facts.items()})


def duplicates_of(comment):
    """The same text from the same commenter on the same post the same day: a double
    submit, or a spammer trying again."""
    return BlogComment.objects.select_related(None).filter(
        content_type_id=comment.content_type_id,
        object_pk=comment.object_pk,
        user_name=comment.user_name,
        user_email=comment.user_email,
        comment=comment.comment,
        submit_date__date=comment.submit_date.date(),
        is_removed=False,
    )


def moderator_expression(user):
    """Whether `user` may moderate, as ModelBackend's has_perm answers, in SQL."""
    if not (user.is_authenticated and user.is_active):
        return Value(False)
    if user.is_superuser:
        return Value(True)
    app_label, codename = MODERATE_PERMISSION.split(".")
    granted = Permission.objects.filter(
        Q(user=user) | Q(group__user=user), content_type__app_label=app_label, codename=codename
    )
    return Exists(granted)


def screen(comment, post, request, *, honeypot="", facts=None):
    """Give an unsaved `comment` its state, reasons and spam-check record. `facts`
    (Facts) spares the queries that would otherwise answer its questions."""
    if facts is None:
        facts = Facts.of(
            annotate_facts(type(post).objects.filter(pk=post.pk), comment, request.user).get()
        )
    comment.screening_facts = facts
    is_moderator = facts.can_moderate
    comment.user_agent = request.META.get("HTTP_USER_AGENT", "")[:1000]
    comment.referrer = request.META.get("HTTP_REFERER", "")[:1000]
    comment.spam_check_params = spam_check_params(comment, post, is_moderator)
    comment.screening = []
    # A remote checker (Akismet) is asked by the worker: not even built here.
    checker_class = spam_checker_class()
    remote = getattr(checker_class, "remote", False)
    checker = None if remote else checker_class()

    if honeypot:
        comment.blatant = True
        return finish(comment, [record(comment, "honeypot", SPAM, "hidden field filled in")])
    record(comment, "honeypot", PASS)
    if is_moderator:
        # Trusted: published at once. An in-process checker still sees it, as an
        # administrator; Akismet would answer "ham" to that, so it is not asked.
        if remote:
            record(comment, "spam checker", PASS, "not asked: posted by a moderator")
        else:
            check_spam(comment, checker)
        comment.state, comment.reason, comment.needs_recheck = (
            State.PUBLIC,
            "posted by a moderator",
            False,
        )
        return
    if remote:
        ask = partial(defer_spam_check, checker_name=checker_class.name)
    else:
        ask = partial(check_spam, checker=checker)
    outcomes = []
    for run_step in (rate_limit, blocklist, ask, policy):
        outcomes.append(run_step(comment))
        if outcomes[-1][0] == SPAM:
            break
    finish(comment, outcomes)


def defer_spam_check(comment, checker_name):
    """Leave the checker's network call to the worker; hold the comment meanwhile."""
    comment.verdict = Verdict.PENDING
    reason = f"{SPAM_CHECK_PENDING}: {checker_name} is asked by the worker"
    return record(comment, "spam checker", HOLD, reason)


def queue_spam_check(comment_id):
    """After the commit: the worker asks the checker. A queue that cannot take the
    task loses nothing: the comment waits, held, for the recheck job."""
    from .tasks import check_comment  # the tasks module imports this one

    try:
        check_comment(comment_id)
    except Exception:
        logger.exception("Could not queue the spam check of comment %s", comment_id)


def finish(comment, outcomes):
    """Set the comment's state from its steps' (result, reason) outcomes."""
    spam = [reason for result, reason in outcomes if result == SPAM]
    holds = [reason for result, reason in outcomes if result == HOLD]
    comment.needs_recheck = not spam and comment.verdict in (Verdict.ERROR, Verdict.PENDING)
    if spam:
        comment.state, comment.reason = State.SPAM, spam[0]
    elif comment.needs_recheck:
        comment.state, comment.reason = State.HELD, SPAM_CHECK_PENDING
    elif holds:
        comment.state, comment.reason = State.HELD, holds[0][:200]
    else:
        comment.state, comment.reason = State.PUBLIC, "passed screening"


def record(comment, name, result, reason=""):
    comment.screening.append({"step": name, "result": result, "reason": reason})
    return result, reason


def rate_limit(comment):
    """Hold what an address sends beyond COMMENTS_RATE_LIMIT in its window. The count
    is one atomic upsert (comments/rate_limit.py), never count-then-insert, so a
    burst of concurrent posts cannot slip past it."""
    limit, minutes = settings.COMMENTS_RATE_LIMIT, settings.COMMENTS_RATE_WINDOW_MINUTES
    if limit and comment.ip_address and count_comment(comment.ip_address) > limit:
        reason = f"rate limit: over {limit} comments from this address in {minutes} minutes"
        return record(comment, "rate limit", HOLD, reason)
    return record(comment, "rate limit", PASS)


BLOCKLIST_CACHE_KEY = "comments:blocklist"
BLOCKLIST_CACHE_SECONDS = 60  # bounds staleness where the cache is per process


def blocklist_entries():
    """The blocklist, from the cache: it changes rarely and every comment reads it.
    Saving or deleting an entry clears it (comments/apps.py)."""
    return cache.get_or_set(
        BLOCKLIST_CACHE_KEY, lambda: list(BlocklistEntry.objects.all()), BLOCKLIST_CACHE_SECONDS
    )


def forget_blocklist(**kwargs):
    cache.delete(BLOCKLIST_CACHE_KEY)


def blocklist(comment):
    for entry in blocklist_entries():
        if entry.matches(comment):
            reason = f"blocklist: {entry.kind} “{entry.value}”"
            result = SPAM if entry.action == BlocklistEntry.Action.SPAM else HOLD
            return record(comment, "blocklist", result, reason)
    return record(comment, "blocklist", PASS)


def check_spam(comment, checker=None):
    """Ask the spam checker and keep its verdict on the comment."""
    checker = checker or get_spam_checker()
    try:
        result = checker.check(comment.spam_check_params)
    except SpamCheckUnavailable as exc:
        logger.warning("Spam check failed, comment held for recheck: %s", exc)
        comment.verdict = Verdict.ERROR
        return record(comment, "spam checker", HOLD, f"{SPAM_CHECK_PENDING} ({exc})"[:200])
    comment.verdict, comment.pro_tip = result.verdict, result.pro_tip
    if result.verdict == Verdict.DISCARD:
        comment.blatant = True
        return record(comment, "spam checker", SPAM, f"{checker.name}: blatant spam")
    if result.verdict == Verdict.SPAM:
        return record(comment, "spam checker", SPAM, f"{checker.name}: spam")
    return record(comment, "spam checker", PASS, f"{checker.name}: not spam")


def policy(comment):
    """WordPress's defaults: first-time commenters and link-heavy comments wait."""
    reasons = []
    facts = getattr(comment, "screening_facts", None)
    approved = facts.commenter_approved if facts else has_approved_comment(comment)
    if not approved:
        reasons.append("policy: first comment from this commenter")
    links = len(LINK_PATTERN.findall(comment.comment))
    if links > settings.COMMENTS_MAX_LINKS:
        reasons.append(f"policy: {links} links (more than {settings.COMMENTS_MAX_LINKS})")
    if reasons:
        return record(comment, "policy", HOLD, "; ".join(reasons))
    return record(comment, "policy", PASS)


def has_approved_comment(comment):
    return approved_comments_of(comment).exists()


def approved_comments_of(comment):
    approved = BlogComment.objects.public().select_related(None)
    if comment.user_id:
        return approved.filter(user_id=comment.user_id)
    return approved.filter(
        user_email__iexact=comment.user_email, user_name__iexact=comment.user_name
    )


def spam_check_params(comment, post, is_moderator):
    """Everything Akismet's comment-check documents, from the comment and request."""
    params = {
        "user_ip": comment.ip_address or "",
        "user_agent": comment.user_agent,
        "referrer": comment.referrer,
        "permalink": settings.SITE_URL + post.get_absolute_url(),
        "comment_type": "reply" if comment.parent_id else "comment",
        "comment_author": comment.user_name,
        "comment_author_email": comment.user_email,
        "comment_author_url": comment.user_url,
        "comment_content": comment.comment,
        "comment_date_gmt": comment.submit_date.astimezone(UTC).isoformat(),
        "comment_post_modified_gmt": post.updated_at.astimezone(UTC).isoformat(),
        "blog_lang": settings.SITE_LANGUAGE,
        "blog_charset": "UTF-8",
        "honeypot_field_name": "honeypot",
    }
    if is_moderator:
        params["user_role"] = "administrator"
    return params


def recheck(comment, checker=None, *, recheck_reason="recheck_queue"):
    """Run a held comment whose spam check is pending or failed through the checker.

    Holds from the rate limit and blocklist stand; the checker and policy run anew.
    Returns True when the checker answered and the comment moved on. A first check
    (left by the request to the worker) is sent without a `recheck_reason`.
    """
    kept = [
        (entry["result"], entry["reason"])
        for entry in comment.screening
        if entry["step"] in ("rate limit", "blocklist") and entry["result"] == HOLD
    ]
    if recheck_reason:
        comment.spam_check_params = {**comment.spam_check_params, "recheck_reason": recheck_reason}
    comment.screening_facts = None  # the policy asks again: approvals may have come since
    outcomes = [*kept, check_spam(comment, checker)]
    if comment.verdict == Verdict.ERROR:
        return False
    if outcomes[-1][0] != SPAM:
        outcomes.append(policy(comment))
    finish(comment, outcomes)
    return True
