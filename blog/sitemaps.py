"""/sitemap.xml: posts, pages, categories, series and guides, with last-modified dates."""

from dataclasses import replace
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.contrib.sitemaps import views
from django.db.models import Max

from core.site_url import site_url

from .models import Category, Page, Post, published_q


class Sitemap(DjangoSitemap):
    """Locations at site_url(), not at the sites framework's record."""

    def get_domain(self, site=None):
        return urlsplit(site_url()).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(site_url()).scheme


def sitemap_index(request, sitemaps):
    """/sitemap.xml: Django's index, its locations at site_url() too."""
    response = views.index(request, sitemaps)
    response.context_data["sitemaps"] = [
        replace(
            item,
            location=site_url() + urlsplit(item.location)._replace(netloc="", scheme="").geturl(),
        )
        for item in response.context_data["sitemaps"]
    ]
    return response


class PostSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Post.objects.published().only("slug", "published_at", "updated_at").order_by("pk")

    def lastmod(self, post):
        return max(post.updated_at, post.published_at)


class PageSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return Page.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, page):
        return page.updated_at


class CategorySitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return (
            Category.objects.annotate(
                latest=Max("posts__published_at", filter=published_q("posts__"))
            )
            .filter(latest__isnull=False)
            .order_by("pk")
        )

    def lastmod(self, category):
        return category.latest
