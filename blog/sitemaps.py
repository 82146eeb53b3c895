"""/sitemap.xml: posts, pages, categories, series and guides, with last-modified dates."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from .models import Category, Page, Post, published_q


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
