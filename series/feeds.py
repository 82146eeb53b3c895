from django.conf import settings
from django.shortcuts import get_object_or_404

from blog.feeds import PostFeed, rss_and_atom
from blog.models import Post

from .models import Guide, Series


class SeriesFeed(PostFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Series, slug=slug)

    def title(self, series):
        return f"{settings.SITE_NAME} » {series.title}"

    def description(self, series):
        return f"New parts of “{series.title}”"

    def posts(self, series):
        return Post.objects.published().filter(series_part__series=series)

    def item_title(self, post):
        return f"Part {post.series_part.number}: {post.title or '(untitled)'}"

    def items(self, series):
        return super().items(series).select_related("series_part")


class GuideFeed(PostFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Guide, slug=slug)

    def title(self, guide):
        return f"{settings.SITE_NAME} » {guide.title}"

    def description(self, guide):
        return f"New postings in “{guide.title}”"

    def posts(self, guide):
        return Post.objects.published().filter(postings__guide=guide)


SeriesPartsFeed, AtomSeriesPartsFeed = rss_and_atom(SeriesFeed)
GuidePostingsFeed, AtomGuidePostingsFeed = rss_and_atom(GuideFeed)
