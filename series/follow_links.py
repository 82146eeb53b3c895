"""Signed links in follow mail: nothing personal in the URL but the signature's
subject, and nothing that works once tampered with.

- confirm: a subscription id, valid for FOLLOW_CONFIRM_DAYS;
- unsubscribe: a subscription id, valid for ever (RFC 8058 asks that it keep working);
- manage: an address, valid for ever, listing every subscription of that address.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from core.site_url import site_url

CONFIRM_SALT = "series.follow.confirm"
UNSUBSCRIBE_SALT = "series.follow.unsubscribe"
MANAGE_SALT = "series.follow.manage"


class BadLink(Exception):
    """The link was altered, cut short, or has expired."""


def absolute(path):
    return site_url() + path


def confirm_url(subscription):
    token = signing.dumps(subscription.pk, salt=CONFIRM_SALT)
    return absolute(reverse("series:follow_confirm", kwargs={"token": token}))


def unsubscribe_url(subscription):
    token = signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT)
    return absolute(reverse("series:follow_unsubscribe", kwargs={"token": token}))


def manage_url(email):
    token = signing.dumps(email, salt=MANAGE_SALT)
    return absolute(reverse("series:follow_manage", kwargs={"token": token}))


def _load(token, salt, max_age=None):
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature too
        raise BadLink(str(exc)) from exc


def subscription_to_confirm(token):
    return _load(token, CONFIRM_SALT, max_age=settings.FOLLOW_CONFIRM_DAYS * 86400)


def subscription_to_unsubscribe(token):
    return _load(token, UNSUBSCRIBE_SALT)


def email_to_manage(token):
    return _load(token, MANAGE_SALT)
