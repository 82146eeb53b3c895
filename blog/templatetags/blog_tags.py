"""Template tags for what every page shows around its content.

Each tag costs one query, whatever the size of the blog.
"""

import json

from django import template
from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from blog.links import resolve_internal_links
from blog.models import Category, Page, Post, Status
from comments.models import BlogComment

register = template.Library()


def published_posts_filter(prefix="posts__"):
    return Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}published_at__lte": timezone.now()})


@register.simple_tag
def menu_pages():
    return list(Page.objects.published().filter(show_in_menu=True).only("title", "slug"))


@register.simple_tag
def categories_with_counts():
    return list(
        Category.objects.annotate(post_count=Count("posts", filter=published_posts_filter()))
        .filter(post_count__gt=0)
        .order_by("name")
    )


@register.simple_tag
def monthly_archives():
    return list(
        Post.objects.published()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(post_count=Count("pk"))
        .order_by("-month")
    )


@register.simple_tag
def recent_posts(count=5):
    return list(Post.objects.published().only("title", "slug", "published_at")[:count])


@register.simple_tag
def site_url():
    """The site's public address, for absolute links in mail."""
    return settings.SITE_URL


@register.filter
def internal_links(html):
    """A post body with its [[post:ID]] links resolved (one query)."""
    return resolve_internal_links(html)


@register.simple_tag(takes_context=True)
def post_structured_data(context, post, categories=()):
    """JSON-LD for a post: a BlogPosting and its breadcrumb trail."""
    site = settings.SITE_URL
    url = site + post.get_absolute_url()
    author = post.author.get_full_name() or post.author.get_username()
    posting = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title[:110],
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": post.published_at.isoformat() if post.published_at else None,
        "dateModified": post.updated_at.isoformat(),
        "wordCount": post.word_count,
        "description": post.summary,
        "author": {"@type": "Person", "name": author},
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME, "url": site + "/"},
    }
    trail = [("Home", site + "/")]
    if categories:
        trail.append((categories[0].name, site + categories[0].get_absolute_url()))
    trail.append((post.title, url))
    breadcrumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": link}
            for n, (name, link) in enumerate(trail, start=1)
        ],
    }
    return json_ld([posting, breadcrumbs])


def json_ld(data):
    """A <script type="application/ld+json"> that no text inside can break out of."""
    text = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def recent_comments(count=5):
    """The newest public comments with their posts: two queries."""
    comments = (
        BlogComment.objects.public()
        .filter(content_type__app_label="blog", content_type__model="post")
        .select_related(None)
        .only("user_name", "object_pk", "content_type_id", "submit_date", "site_id")
        .order_by("-submit_date")[:count]
    )
    comments = list(comments)
    posts = Post.objects.published().in_bulk([int(c.object_pk) for c in comments])
    return [(c, posts[int(c.object_pk)]) for c in comments if int(c.object_pk) in posts]
