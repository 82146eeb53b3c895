"""Mail about comments. Called after the commit; a failure is logged, never raised,
so a comment is never lost or answered with an error because mail is down."""

import functools
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage, get_connection, send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django_comments_xtd.views import notify_comment_followers

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
            logger.exception("Comment mail failed in %s", function.__name__)
            return None

    return wrapper


@never_fails
def comment_posted(comment_id):
    comment = BlogComment.objects.get(pk=comment_id)
    if comment.awaiting_confirmation:
        send_confirmation_request(comment)
        return
    if comment.state == State.PUBLIC:
        notify_comment_followers(comment)
    notify_moderators(comment)


@never_fails
def comment_published(comment_id):
    """A held comment became public: now its followers hear of it."""
    comment = BlogComment.objects.get(pk=comment_id)
    notify_comment_followers(comment)
    notify_moderators(comment)


def notify_moderators(comment):
    """One mail per recipient: a moderator's mail carries one-click links made for
    them; the post's author, if not a moderator, gets the notice without links."""
    wanted = settings.COMMENTS_NOTIFY_MODERATORS
    if wanted == "none" or comment.state == State.SPAM:
        return
    if wanted == "held" and comment.state != State.HELD:
        return
    post = comment.content_object
    what = "held for moderation" if comment.state == State.HELD else "published"
    subject = f"[{settings.SITE_NAME}] Comment {what} on “{post.title}”"
    mails = []
    for email, user in mail_recipients(comment, post):
        context = {
            "comment": comment,
            "post": post,
            "SITE_URL": settings.SITE_URL,
            "links": moderation_links(comment, user) if user else [],
            "link_days": settings.COMMENTS_MODERATION_LINK_DAYS,
        }
        body = render_to_string("comments/email/moderators.txt", context)
        mails.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email]))
    if mails:
        get_connection().send_messages(mails)


def mail_recipients(comment, post):
    """(email, user or None) pairs: the moderators (with their user, for the links)
    and the post's author; never the commenter, never an address twice."""
    users = [*moderators(), post.author]
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


def send_confirmation_request(comment):
    url = settings.SITE_URL + reverse("comments:confirm", args=[confirmation_token(comment)])
    context = {"comment": comment, "post": comment.content_object, "url": url}
    body = render_to_string("comments/email/confirm.txt", context)
    subject = f"[{settings.SITE_NAME}] Please confirm your comment"
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [comment.user_email])


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
        return settings.SITE_URL + reverse("comments:moderate", args=[self.token])

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
