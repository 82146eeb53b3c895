from blog.sitemaps import Sitemap

from .models import Guide, GuideVolume, Posting, Series


class SeriesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Series.objects.with_public_stats().filter(part_count__gt=0).order_by("pk")

    def lastmod(self, series):
        return series.last_date


class GuideSitemap(Sitemap):
    """Every volume of every guide that lists published posts."""

    changefreq = "weekly"

    def items(self):
        guides = Guide.objects.filter(postings__in=Posting.objects.public()).distinct()
        volumes = list(GuideVolume.objects.filter(guide__in=guides).select_related("guide"))
        have_volumes = {v.guide_id for v in volumes}
        first_pages = [
            GuideVolume(guide=g, number=1, first_number=1)
            for g in guides
            if g.pk not in have_volumes
        ]
        return sorted(volumes + first_pages, key=lambda v: (v.guide_id, v.number))

    def location(self, volume):
        return volume.get_absolute_url()
