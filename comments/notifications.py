"""Mail about comments. Called after the commit; a failure is logged, never raised,
so a comment is never lost or answered with an error because mail is down."""

import functools
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django_comments_xtd.views import notify_comment_followers

from .models import MODERATORS_GROUP, BlogComment, State

logger = logging.getLogger(__name__)
CONFIRM_SALT = "comments.confirm"


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
    wanted = settings.COMMENTS_NOTIFY_MODERATORS
    if wanted == "none" or comment.state == State.SPAM:
        return
    if wanted == "held" and comment.state != State.HELD:
        return
    post = comment.content_object
    recipients = {post.author.email} | moderator_emails()
    recipients.discard("")
    recipients.discard(comment.user_email)
    if not recipients:
        return
    context = {"comment": comment, "post": post, "SITE_URL": settings.SITE_URL}
    what = "held for moderation" if comment.state == State.HELD else "published"
    subject = f"[{settings.SITE_NAME}] Comment {what} on “{post.title}”"
    body = render_to_string("comments/email/moderators.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, sorted(recipients))


def moderator_emails():
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    moderators = users.filter(Q(groups__name=MODERATORS_GROUP) | Q(is_superuser=True))
    return set(moderators.values_list("email", flat=True))


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
