"""Demo series and guide for `seed_demo`: a long series, and a guide of two volumes
(postings 1-310 and 311 on) that lists the series as a group among standalone posts."""

import re

from blog.models import Post
from series.models import Guide, GuideVolume, Series, SeriesPart

PART_NUMBER = re.compile(r" (\d+): ")


def seed_series_and_guide(series_title):
    if Series.objects.exists() or Guide.objects.exists():
        return
    series = Series.objects.create(
        title=series_title,
        slug="leading-from-the-middle",
        description=(
            "<p>A long series on leading a team and an organisation as one of its "
            "working members: decisions, ownership, trust and growing the next leaders.</p>"
        ),
    )
    posts = Post.objects.filter(title__startswith=f"{series_title} ")
    SeriesPart.objects.bulk_create(
        SeriesPart(series=series, post=post, number=int(PART_NUMBER.search(post.title).group(1)))
        for post in posts
        if PART_NUMBER.search(post.title)
    )
    guide = Guide.objects.create(
        title="Guide to Careers and Leadership",
        slug="careers-and-leadership",
        introduction=(
            "<p>Every posting on careers, job search and leadership, numbered in the order "
            "they appeared. Series are listed as a group, part by part.</p>"
        ),
    )
    GuideVolume.objects.bulk_create(
        [
            GuideVolume(guide=guide, number=1, first_number=1),
            GuideVolume(guide=guide, number=2, first_number=311),
        ]
    )
    standalone = list(
        Post.objects.published().filter(series_part__isnull=True).order_by("published_at")
    )
    guide.add_posts(standalone[:310])
    guide.add_series(series)
    guide.add_posts(standalone[310:])
