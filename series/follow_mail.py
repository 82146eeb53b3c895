"""The two mails a follower gets: the confirmation request, and one notice per new
part. Both carry RFC 8058 one-click unsubscribe headers and a link to manage every
subscription of the address. They go through the outbox, never from a request."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from core.outbox import queue_mail
from core.site_url import site_url

from .follow_links import confirm_url, manage_url, unsubscribe_url


def follow_message(subscription, subject, template, context):
    unsubscribe = unsubscribe_url(subscription)
    context = {
        **context,
        "subscription": subscription,
        "unsubscribe_url": unsubscribe,
        "manage_url": manage_url(subscription.email),
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": site_url(),
    }
    return EmailMessage(
        subject=subject,
        body=render_to_string(template, context),
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # Tells auto-responders not to answer (RFC 3834).
            "Auto-Submitted": "auto-generated",
        },
    )


def queue_confirmation(subscription):
    subject = f"Confirm: email me {describe(subscription)}"
    queue_mail(
        follow_message(
            subscription,
            subject,
            "series/follow/email/confirm.txt",
            {"confirm_url": confirm_url(subscription), "days": settings.FOLLOW_CONFIRM_DAYS},
        )
    )


def notice_message(subscription, post, part):
    if part is not None:
        subject = f"Part {part.number} of “{part.series}”: {post.title}"
    else:
        subject = f"New post: {post.title}"
    return follow_message(
        subscription,
        subject,
        "series/follow/email/notice.txt",
        {"post": post, "part": part, "post_url": site_url() + post.get_absolute_url()},
    )


def describe(subscription):
    if subscription.series_id:
        return f"the next parts of “{subscription.series}”"
    return f"new posts on {settings.SITE_NAME}"
