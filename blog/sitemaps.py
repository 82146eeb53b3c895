"""/sitemap.xml: posts, pages, categories, series and guides, with last-modified dates."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.utils import timezone

from .models import Category, Page, Post, Status


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
        public = Q(posts__status=Status.PUBLISHED, posts__published_at__lte=timezone.now())
        return (
            Category.objects.annotate(latest=Max("posts__published_at", filter=public))
            .filter(latest__isnull=False)
            .order_by("pk")
        )

    def lastmod(self, category):
        return category.latest
