"""Where WordPress's query links (`/?p=12`, `/?cat=3&feed=rss2`, `/?m=202405&paged=2`)
point now.

A query names at most one thing (a post, a page, an attachment, a category, a tag,
an author or a date archive), and may ask for its feed (`feed=`) or a page of its
list (`paged=`). A thing that is named but unknown, or not public, answers None, as
does a query naming nothing: the home page then answers as it always did, so a
draft's id reveals nothing. Every id goes through `parse_id`; every slug through
`clean_slug`."""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from blog.authors import author_url
from blog.models import Category, Page, Post, Tag
from core.ids import DIGITS, MAX_BIGINT, parse_id

from .addresses import clean_slug
from .feeds_of import feed_of, site_feed
from .models import ImportedItem, first_public_url

NOT_NAMED = object()  # the query names nothing: only a feed, or nothing known


def query_target(params):
    """The new address for a WordPress query link's parameters, or None."""
    target, is_listing = named_target(params)
    if target is None:
        return None
    if "feed" in params:
        kind = params["feed"]
        if target is NOT_NAMED:
            return site_feed(kind)
        return feed_of(target, kind) or site_feed(kind)
    page = parse_id(params.get("paged"))
    if target is NOT_NAMED:  # only ?paged= is the home page's own list
        return f"{reverse('blog:home')}?page={page}" if page and page > 1 else None
    if is_listing and page and page > 1:
        return f"{target}?page={page}"
    return target


def named_target(params):
    """(address or None, whether it is a list of posts); (NOT_NAMED, True) when the
    query names nothing."""
    for name, (find, is_listing) in NAMED.items():
        if name in params:
            return find(params[name]), is_listing
    return NOT_NAMED, True


def imported(*wp_types):
    return lambda value: ImportedItem.objects.public_url(wp_types, value)


def by_old_id(wp_type, model, url=None):
    """An object recorded under its old numeric id (`?cat=3`), of `model` only."""

    def find(value):
        number = parse_id(value, maximum=MAX_BIGINT)
        if number is None:
            return None
        items = ImportedItem.objects.filter(
            wp_type=wp_type,
            wp_id=str(number),
            content_type=ContentType.objects.get_for_model(model),
        )
        if url is None:
            return first_public_url(items)
        item = items.order_by("-pk").first()
        target = item and model._default_manager.filter(pk=item.object_id).first()
        return url(target) if target else None

    return find


def by_slug(model):
    def find(value):
        # ?tag=a,b and ?tag=a+b list several; ?category_name=parent/child nests.
        first = value.replace("+", ",").replace(" ", ",").split(",")[0]
        slug = clean_slug(first.rstrip("/").rsplit("/", 1)[-1])
        found = model.objects.filter(slug=slug).first() if slug else None
        return found.get_absolute_url() if found else None

    return find


def by_published_slug(model):
    """`?name=hello` (a post) or `?pagename=parent/about` (a page), if readers may see it."""

    def find(value):
        slug = clean_slug(value.rstrip("/").rsplit("/", 1)[-1])
        found = model.objects.published().filter(slug=slug).first() if slug else None
        return found.get_absolute_url() if found else None

    return find


def by_username(value):
    user = get_user_model().objects.filter(username=value[:150]).first()
    return author_url(user) if user else None


def date_archive(value):
    """`?m=2024`, `?m=202405` or `?m=20240517` as the year, month or day archive."""
    if len(value) not in (4, 6, 8) or not DIGITS.fullmatch(value):
        return None
    parts = {"year": value[:4], "month": value[4:6], "day": value[6:8]}
    try:
        date(int(parts["year"]), int(parts["month"] or 1), int(parts["day"] or 1))
    except ValueError:
        return None
    kwargs = {name: part for name, part in parts.items() if part}
    name = {1: "blog:archive_year", 2: "blog:archive_month", 3: "blog:archive_day"}[len(kwargs)]
    return reverse(name, kwargs=kwargs)


# The parameter that names a thing, how to find it, and whether it is a list of posts.
# The first one present wins, as in WordPress's own order.
NAMED = {
    "p": (imported("post", "page", "attachment"), False),
    "page_id": (imported("page"), False),
    "attachment_id": (imported("attachment"), False),
    "name": (by_published_slug(Post), False),
    "pagename": (by_published_slug(Page), False),
    "cat": (by_old_id(ImportedItem.Type.TERM_ID, Category), True),
    "category_name": (by_slug(Category), True),
    "tag_id": (by_old_id(ImportedItem.Type.TERM_ID, Tag), True),
    "tag": (by_slug(Tag), True),
    "author": (by_old_id(ImportedItem.Type.AUTHOR_ID, get_user_model(), url=author_url), True),
    "author_name": (by_username, True),
    "m": (date_archive, True),
}
