"""Likes as personal data, for the moderators' export and erase tools (registered
in blog.extensions; comments' privacy page calls them). Only a signed-in reader's
likes name a person, through their account's email address; an anonymous like
holds nothing but a hashed random browser token."""

from django.conf import settings

from .models import Like


def export(email):
    return [
        {
            "post": like.post.title,
            "url": settings.SITE_URL + like.post.get_absolute_url(),
            "account": like.user.get_username(),
            "liked": like.created.isoformat(),
        }
        for like in Like.objects.of_email(email).select_related("post", "user").order_by("created")
    ]


def erase(email):
    _total, by_model = Like.objects.of_email(email).delete()
    return by_model.get(Like._meta.label, 0)
