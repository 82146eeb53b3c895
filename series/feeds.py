from blog.feeds import ObjectPostsFeed, rss_and_atom

from .models import Guide, Series


class SeriesFeed(ObjectPostsFeed):
    model = Series

    def description(self, series):
        return f"New parts of “{series.title}”"

    def posts_of(self, posts, series):
        return posts.filter(series_part__series=series)

    def item_title(self, post):
        return f"Part {post.series_part.number}: {post.title or '(untitled)'}"

    def items(self, series):
        return super().items(series).select_related("series_part")


class GuideFeed(ObjectPostsFeed):
    model = Guide

    def description(self, guide):
        return f"New postings in “{guide.title}”"

    def posts_of(self, posts, guide):
        return posts.filter(postings__guide=guide)


SeriesPartsFeed, AtomSeriesPartsFeed = rss_and_atom(SeriesFeed)
GuidePostingsFeed, AtomGuidePostingsFeed = rss_and_atom(GuideFeed)
