"""Subscriptions as personal data, for the moderators' export and erase tools
(registered in blog.extensions; comments' privacy page calls them)."""

from .subscriptions import Subscription


def export(email):
    return [
        {
            "follows": subscription.series.title if subscription.series else "all new posts",
            "email": subscription.email,
            "asked": subscription.created_at.isoformat(),
            "confirmed": subscription.confirmed_at.isoformat()
            if subscription.confirmed_at
            else None,
            "ip_address": subscription.ip_address,
            "mails_sent": subscription.sent_count,
        }
        for subscription in Subscription.objects.of(email)
        .select_related("series")
        .with_sent_count()
    ]


def erase(email):
    """Subscriptions are deleted, with the record of what was sent."""
    _total, by_model = Subscription.objects.of(email).delete()
    return by_model.get(Subscription._meta.label, 0)
