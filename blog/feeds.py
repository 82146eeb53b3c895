"""RSS 2.0 and Atom feeds, on Django's syndication framework.

Every listing has both: `<listing>/feed/` (RSS) and `<listing>/feed/atom/` (Atom).
Only published posts appear; content carries absolute URLs so feed readers can
follow links and show images.

Titles are escaped once more than XML needs, as WordPress does: many feed readers
render an RSS <title> as HTML, so a commenter named `<img src=x onerror=…>` must
reach them as the text `&lt;img …` (in the XML: `&amp;lt;img …`) and show as typed.
Atom says so outright: its titles carry type="html".
"""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_response_headers
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed

from core.site_url import site_url

from .authors import author_url, display_name
from .models import Category, Post, Tag

RELATIVE_URL = re.compile(r'(\s(?:href|src))="/(?!/)')


def absolute_urls(html):
    """Root-relative links and images in HTML, made absolute with SITE_URL."""
    return RELATIVE_URL.sub(rf'\1="{site_url()}/', html)


HTML_SPECIALS = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def html_title(text):
    """Plain text as HTML text (quotes stay: a title is never an attribute)."""
    return str(text).translate(HTML_SPECIALS)


class HtmlTitles:
    """A feed generator mixin: the feed's title and description and every item's
    title are written as HTML text (see the module's docstring)."""

    def __init__(self, title, link, description, *args, **kwargs):
        super().__init__(html_title(title), link, html_title(description), *args, **kwargs)
        if self.feed.get("subtitle"):
            self.feed["subtitle"] = html_title(self.feed["subtitle"])

    def add_item(self, title, *args, **kwargs):
        super().add_item(html_title(title), *args, **kwargs)


class HtmlTitlesRss201rev2Feed(HtmlTitles, Rss201rev2Feed):
    pass


class HtmlTitlesAtom1Feed(HtmlTitles, Atom1Feed):
    """Atom titles and subtitles say they are HTML: type="html"."""

    def add_root_elements(self, handler):
        super().add_root_elements(TypedHtmlText(handler))

    def add_item_elements(self, handler, item):
        super().add_item_elements(TypedHtmlText(handler), item)


class TypedHtmlText:
    """An XML writer whose <title> and <subtitle> elements carry type="html"."""

    def __init__(self, handler):
        self.handler = handler

    def __getattr__(self, name):
        return getattr(self.handler, name)

    def addQuickElement(self, name, contents=None, attrs=None):
        if name in ("title", "subtitle"):
            attrs = {**(attrs or {}), "type": "html"}
        self.handler.addQuickElement(name, contents, attrs)


def rss_and_atom(feed_class):
    """The RSS feed class and its Atom twin."""
    atom = type(f"Atom{feed_class.__name__}", (feed_class,), {"feed_type": HtmlTitlesAtom1Feed})
    atom.subtitle = feed_class.description
    return feed_class, atom


class BaseFeed(Feed):
    """What every feed shares. Django sets Last-Modified from the newest item and
    ConditionalGetMiddleware adds the ETag and answers repeats with 304."""

    feed_type = HtmlTitlesRss201rev2Feed
    language = settings.LANGUAGE_CODE

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        patch_response_headers(response, cache_timeout=300)
        return response

    def get_feed(self, obj, request):
        # Links are absolute from site_url() (Django would use the Site record's
        # domain for relative ones); rel="self" is where the feed was fetched.
        feed = super().get_feed(obj, request)
        feed.feed["feed_url"] = site_url() + request.path
        return feed

    def item_link(self, item):
        return site_url() + item.get_absolute_url()


class PostFeed(BaseFeed):
    """The newest published posts of a listing."""

    title = settings.SITE_NAME
    description = settings.SITE_TAGLINE or settings.SITE_NAME

    def posts(self, obj):
        return Post.objects.published()

    def items(self, obj):
        posts = self.posts(obj).select_related("author__profile", "featured_image")
        posts = posts.prefetch_related("categories")
        return posts.order_by("-published_at", "-pk")[: settings.FEED_ITEMS]

    def link(self, obj):
        return site_url() + (obj.get_absolute_url() if obj is not None else "/")

    def item_title(self, post):
        return post.title or "(untitled)"

    def item_description(self, post):
        if settings.FEED_FULL_CONTENT:
            return absolute_urls(Post.objects.published().render_links(post.body))
        return post.summary

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        return max(post.updated_at, post.published_at)

    def item_author_name(self, post):
        return display_name(post.author)

    def item_author_link(self, post):
        return site_url() + author_url(post.author)

    def item_categories(self, post):
        return [category.name for category in post.categories.all()]

    def item_enclosures(self, post):
        """The featured image: an RSS <enclosure>, an Atom link rel="enclosure"."""
        if post.featured_image is None:
            return []
        card = post.featured_image.card
        return [Enclosure(site_url() + card["url"], str(card["bytes"]), card["type"])]

    def item_guid(self, post):
        # Stable through slug changes, like WordPress's ?p= guid.
        return f"{site_url()}/?p={post.pk}"

    item_guid_is_permalink = False


class ObjectPostsFeed(PostFeed):
    """The posts of one category, tag, author, series or guide, found by `lookup`
    in the URL; `posts_of(obj)` picks them from the published posts."""

    model = None
    lookup = "slug"

    def get_object(self, request, **kwargs):
        return get_object_or_404(self.get_queryset(), **{self.lookup: kwargs[self.lookup]})

    def get_queryset(self):
        return self.model._default_manager.all()

    def name(self, obj):
        return str(obj)

    def title(self, obj):
        return f"{settings.SITE_NAME} » {self.name(obj)}"

    def posts(self, obj):
        return self.posts_of(Post.objects.published(), obj)

    def posts_of(self, posts, obj):
        raise NotImplementedError


class CategoryFeed(ObjectPostsFeed):
    model = Category

    def posts_of(self, posts, category):
        return posts.in_categories(category.descendant_ids())


class TagFeed(ObjectPostsFeed):
    model = Tag

    def posts_of(self, posts, tag):
        return posts.filter(tags=tag)


class AuthorFeed(ObjectPostsFeed):
    model = get_user_model()
    lookup = "username"

    def get_queryset(self):
        return super().get_queryset().select_related("profile")

    def name(self, author):
        return display_name(author)

    def link(self, author):
        return site_url() + reverse("blog:author", kwargs={"username": author.get_username()})

    def posts_of(self, posts, author):
        return posts.filter(author=author)


LatestPostsFeed, AtomLatestPostsFeed = rss_and_atom(PostFeed)
CategoryPostsFeed, AtomCategoryPostsFeed = rss_and_atom(CategoryFeed)
TagPostsFeed, AtomTagPostsFeed = rss_and_atom(TagFeed)
AuthorPostsFeed, AtomAuthorPostsFeed = rss_and_atom(AuthorFeed)
