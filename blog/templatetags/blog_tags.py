"""Template tags for what every page shows around its content.

Each tag costs one query, whatever the size of the blog.
"""

from django import template
from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from blog.links import resolve_internal_links
from blog.models import Category, Page, Post, Status

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
