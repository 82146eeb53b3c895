"""Template tags for what every page shows around its content.

Each tag costs one query, whatever the size of the blog.
"""

import json

from django import template
from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from blog.authors import display_name as user_display_name
from blog.authors import person_json_ld
from blog.extensions import slot_templates
from blog.models import Category, Page, Post, published_q
from core import site_url as site_address

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context, name):
    """What other apps placed in this slot of the page (see blog/extensions.py),
    rendered with the page's context."""
    engine = context.template.engine
    rendered = [engine.get_template(template).render(context) for template in slot_templates(name)]
    return mark_safe("".join(rendered))  # noqa: S308 (each template escapes its own output)


@register.filter
def display_name(user):
    return user_display_name(user)


@register.simple_tag
def menu_pages():
    return list(Page.objects.published().filter(show_in_menu=True).only("title", "slug"))


@register.simple_tag
def categories_with_counts():
    return list(
        Category.objects.annotate(post_count=Count("posts", filter=published_q("posts__")))
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
    """The site's address, for absolute links in mail."""
    return site_address.site_url()


@register.filter
def internal_links(html):
    """A post body with its [[post:ID]] links resolved (one query)."""
    return Post.objects.published().render_links(html)


@register.simple_tag(takes_context=True)
def post_structured_data(context, post):
    """JSON-LD for a post: a BlogPosting and its breadcrumb trail."""
    site = site_address.site_url()
    url = site + post.get_absolute_url()
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
        "author": person_json_ld(post.author),
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME, "url": site + "/"},
    }
    if post.featured_image:
        card = post.featured_image.card
        posting["image"] = {
            "@type": "ImageObject",
            "url": site + card["url"],
            "width": card["width"],
            "height": card["height"],
        }
    trail = [("Home", site + "/")]
    if categories := list(post.categories.all()):
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
