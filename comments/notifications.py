"""Mail about comments. The views call `comment_posted` / `comment_published` after
the commit; they only queue a task (comments/tasks.py). The worker then looks up who
gets what and puts the mails in the outbox (core/outbox.py), which sends them: the
commenter's request never waits for a mail server, and mail that cannot be sent
now is sent later."""

import functools
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django_comments_xtd import signed

from core.outbox import queue_mails
from core.site_url import site_url

from . import paging
from .models import MODERATE_PERMISSION, MODERATORS_GROUP, BlogComment, State

logger = logging.getLogger(__name__)
CONFIRM_SALT = "comments.confirm"
MODERATION_LINK_SALT = "comments.moderation-link"
# The one-click decisions a moderation mail offers, by the comment's state.
LINK_ACTIONS = {
    State.HELD: ("approve", "spam", "delete"),
    State.PUBLIC: ("spam", "delete"),
}


def never_fails(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except Exception:
            logger.exception("Could not queue the mail work of %s", function.__name__)
            return None

    return wrapper


@never_fails
def comment_posted(comment_id):
    """A comment was saved: its mails will be worked out and sent by the worker."""
    from .tasks import send_comment_notices  # the tasks module imports this one

    send_comment_notices(comment_id, "posted")


@never_fails
def comment_published(comment_id):
    """A held comment became public: now its followers hear of it."""
    from .tasks import send_comment_notices

    send_comment_notices(comment_id, "published")


def send_notices(comment_id, event):
    """In the worker: queue the mails one event on one comment calls for. Each is
    keyed by comment, event and address, so doing it twice queues nothing new."""
    comment = BlogComment.objects.filter(pk=comment_id).first()
    if comment is None:
        return  # deleted meanwhile: nobody needs to hear of it
    if event == "posted" and comment.awaiting_confirmation:
        mails = [confirmation_request(comment)]
    else:
        mails = []
        if event == "published" or comment.state == State.PUBLIC:
            mails += follow_up_mails(comment)
        mails += moderator_mails(comment)
    keys = [f"comment-{event}:{comment.pk}:{kind}:{message.to[0]}" for kind, message in mails]
    queue_mails([message for _, message in mails], keys=keys)


def follow_up_mails(comment):
    """("follow-up", mail) for each earlier commenter on the post who asked for
    follow-ups, except the author of this comment; as django-comments-xtd's
    notify_comment_followers words them, with its one-click mute link."""
    earlier = (
        BlogComment.objects.filter(
            content_type=comment.content_type,
            object_pk=comment.object_pk,
            is_public=True,
            followup=True,
        )
        .exclude(user_email=comment.user_email)
        .exclude(pk=comment.pk)
    )
    followers = {}
    for follower in earlier.order_by("submit_date", "pk").select_related(None):
        followers.setdefault(follower.user_email, follower)
    post = comment.content_object
    comment_url = paging.comment_location(post, comment.pk, comment.thread_id)
    mails = []
    for email, follower in sorted(followers.items()):
        key = signed.dumps(follower, compress=True, extra_key=settings.COMMENTS_XTD_SALT)
        context = {
            "user_name": follower.user_name,
            "comment": comment,
            "content_object": post,
            "comment_url": comment_url,
            "mute_url": reverse("comments-xtd-mute", args=[key.decode()]),
            "site": comment.site,
        }
        body = render_to_string("django_comments_xtd/email_followup_comment.txt", context)
        message = EmailMessage(
            "new comment posted", body, settings.COMMENTS_XTD_FROM_EMAIL, [email]
        )
        mails.append(("follow-up", message))
    return mails


def moderator_mails(comment):
    """("moderators", mail) for each recipient: a moderator's mail carries one-click
    links made for them; the post's author, if not a moderator, gets the notice
    without links."""
    wanted = settings.COMMENTS_NOTIFY_MODERATORS
    if wanted == "none" or comment.state == State.SPAM:
        return []
    if wanted == "held" and comment.state != State.HELD:
        return []
    post = comment.content_object
    what = "held for moderation" if comment.state == State.HELD else "published"
    subject = f"[{settings.SITE_NAME}] Comment {what} on “{post.title}”"
    mails = []
    for email, user in mail_recipients(comment, post):
        context = {
            "comment": comment,
            "post": post,
            "SITE_URL": site_url(),
            "links": moderation_links(comment, user) if user else [],
            "link_days": settings.COMMENTS_MODERATION_LINK_DAYS,
        }
        body = render_to_string("comments/email/moderators.txt", context)
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
        mails.append(("moderators", message))
    return mails


def mail_recipients(comment, post):
    """(email, user or None) pairs: the moderators (with their user, for the links)
    and the post's author (a page has none); never the commenter, never an address
    twice."""
    author = post.author if hasattr(type(post), "author") else None
    users = [*moderators(), *([author] if author else [])]
    recipients = {}
    for user in users:
        email = user.email
        if not email or email == comment.user_email or email in recipients:
            continue
        can_moderate = user.is_active and user.has_perm(MODERATE_PERMISSION)
        recipients[email] = user if can_moderate else None
    return sorted(recipients.items())


def moderators():
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return users.filter(Q(groups__name=MODERATORS_GROUP) | Q(is_superuser=True)).distinct()


def confirmation_token(comment):
    return signing.dumps(comment.pk, salt=CONFIRM_SALT)


def comment_from_token(token, max_age_days=7):
    comment_id = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age_days * 86400)
    return BlogComment.objects.get(pk=comment_id)


def confirmation_request(comment):
    """("confirm", mail): the link that publishes an anonymous commenter's comment."""
    url = site_url() + reverse("comments:confirm", args=[confirmation_token(comment)])
    context = {"comment": comment, "post": comment.content_object, "url": url}
    body = render_to_string("comments/email/confirm.txt", context)
    subject = f"[{settings.SITE_NAME}] Please confirm your comment"
    return "confirm", EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [comment.user_email])


@dataclass(frozen=True)
class ModerationLink:
    """What a signed link in the moderation mail says: this action on this comment,
    offered to this moderator while the comment was in this state."""

    comment_id: int
    action: str
    moderator_id: int
    state: str

    @property
    def token(self):
        payload = {"c": self.comment_id, "a": self.action, "m": self.moderator_id, "s": self.state}
        return signing.dumps(payload, salt=MODERATION_LINK_SALT, compress=True)

    @property
    def url(self):
        return site_url() + reverse("comments:moderate", args=[self.token])

    @classmethod
    def from_token(cls, token):
        """The link a token stands for; BadSignature (or its SignatureExpired) if it
        was changed or is older than COMMENTS_MODERATION_LINK_DAYS."""
        max_age = settings.COMMENTS_MODERATION_LINK_DAYS * 86400
        payload = signing.loads(token, salt=MODERATION_LINK_SALT, max_age=max_age)
        try:
            link = cls(int(payload["c"]), payload["a"], int(payload["m"]), payload["s"])
        except (KeyError, TypeError, ValueError) as exc:
            raise signing.BadSignature("Malformed moderation link") from exc
        if link.action not in LINK_ACTIONS[State.HELD]:
            raise signing.BadSignature("Unknown moderation action")
        return link

    def decided(self, comment):
        """Whether someone (or something) changed the comment since the mail went out."""
        return comment.is_removed or comment.state != self.state


def moderation_links(comment, user):
    return [
        ModerationLink(comment.pk, action, user.pk, comment.state)
        for action in LINK_ACTIONS.get(comment.state, ())
    ]
