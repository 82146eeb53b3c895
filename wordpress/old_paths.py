"""Where WordPress's path forms that this blog does not answer point now: a feed
under any listing (`/category/news/feed/rss2/`, `/2024/05/feed/`,
`/comments/feed/`), a page of a listing (`/tag/django/page/3/`), `/index.php`, and
any path an imported item had (a page under its parent, an attachment page, a
permalink of another shape). Asked only once this blog answered 404."""

import re

from django.contrib.auth import get_user_model
from django.urls import Resolver404, resolve, reverse

from blog.models import Category, Tag
from core.ids import parse_id

from .feeds_of import feed_of, site_feed
from .models import ImportedItem

FEED_PATH = re.compile(
    r"(?P<base>/(?:.*/)?)feed/(?:(?P<kind>rss2|rss|rdf|atom|comments-rss2|comments-atom)/)?"
)
PAGED_PATH = re.compile(r"(?P<base>/(?:.*/)?)page/(?P<number>[0-9]+)/?")
# Listings with no feed of their own, whose posts the site's feed carries:
# date archives, and WordPress's feed of every comment.
SITE_FEED_BASES = re.compile(r"/(?:comments/|[0-9]{4}/(?:[0-9]{2}/(?:[0-9]{2}/)?)?)")
LISTINGS = {"home", "category", "tag", "author", "archive_year", "archive_month", "archive_day"}


def path_target(path):
    """The new address for an old path that answered 404 here, or None."""
    for find in (ImportedItem.objects.public_url_for_path, feed_path, paged_path, index_php):
        target = find(path)
        if target and target != path:
            return target
    return None


def feed_path(path):
    match = FEED_PATH.fullmatch(path)
    if not match:
        return None
    base, kind = match["base"], match["kind"]
    # A feed URL that resolves to this very path (a page's comment feed pattern takes
    # any slug) is not a target: the page is missing, so look further.
    if (found := feed_of(base, kind)) and found != path and listing_exists(base):
        return found
    if SITE_FEED_BASES.fullmatch(base):
        return site_feed(kind)
    moved = ImportedItem.objects.public_url_for_path(base)
    return feed_of(moved, kind) if moved else None


def paged_path(path):
    match = PAGED_PATH.fullmatch(path)
    number = parse_id(match["number"]) if match else None
    if number is None or not is_listing(match["base"]):
        return None
    return match["base"] if number == 1 else f"{match['base']}?page={number}"


def is_listing(path):
    match = resolved(path)
    is_list = match is not None and match.namespace == "blog" and match.url_name in LISTINGS
    return is_list and listing_exists(path)


def listing_exists(path):
    """False for a category, tag or author this blog does not have: its feed or its
    later pages would only answer 404 after the redirect."""
    match = resolved(path)
    if match is None or match.namespace != "blog":
        return True
    if match.url_name in ("category", "tag"):
        model = Category if match.url_name == "category" else Tag
        return model.objects.filter(slug=match.kwargs["slug"]).exists()
    if match.url_name == "author":
        return get_user_model().objects.filter(username=match.kwargs["username"]).exists()
    return True


def resolved(path):
    try:
        return resolve(path)
    except Resolver404:
        return None


def index_php(path):
    return reverse("blog:home") if path == "/index.php" else None
