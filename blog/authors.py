"""How the blog names the people who write it.

Lists of posts fetch each author's profile with the author
(`select_related("author__profile")`), so naming them costs no query per post.
"""

from django.urls import reverse

from core.site_url import site_url


def profile_of(user):
    """The user's author profile, or None (without a query when it was fetched
    with the user, even as a missing one)."""
    if user is None or user.pk is None:
        return None
    return getattr(user, "profile", None)  # a missing profile raises AttributeError


def display_name(user):
    """The name readers see: the profile's display name, else the full name, else
    the username."""
    profile = profile_of(user)
    if profile is not None and profile.display_name.strip():
        return profile.display_name.strip()
    return user.get_full_name() or user.get_username()


def author_url(user):
    return reverse("blog:author", kwargs={"username": user.get_username()})


def avatar_url(user):
    """The address of the author's small square picture, or "" without one."""
    profile = profile_of(user)
    if profile is not None and profile.avatar_square:
        return profile.avatar_square.url
    return ""


def person_json_ld(user):
    """schema.org Person for an author: name, author page and picture (absolute)."""
    site = site_url()
    person = {"@type": "Person", "name": display_name(user), "url": site + author_url(user)}
    if image := avatar_url(user):
        person["image"] = image if "://" in image else site + image
    profile = profile_of(user)
    if profile is not None and profile.website:
        person["sameAs"] = profile.website
    return person
