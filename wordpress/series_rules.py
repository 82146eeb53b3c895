"""Series recognised while importing: from titles such as "<series> <N>: <subtitle>"
(--series-from-title), from a category whose posts run in date order
(--series-from-category), or as export_wxr writes them: a `series` term on each part
with its number in the `_series_part` meta."""

import re

from django.utils.text import slugify

from series.models import Series, SeriesPart

from .addresses import clean_slug

SERIES_TAXONOMY = "series"
SERIES_PART_META = "_series_part"
SERIES_TITLE = re.compile(r"^(?P<series>\S.*?)\s+(?P<number>\d{1,5})\s*:\s+\S")


def file_post(importer, item, post):
    """Note a post's series: by its title now, by its category at the end."""
    options = importer.options
    if options.series_from_title and (match := SERIES_TITLE.match(post.title)):
        file_part(importer, item.wp_id, match["series"], post, int(match["number"]))
    for term in item.terms:
        if term.taxonomy == SERIES_TAXONOMY and (series := declare_series(importer, term)):
            number = item.meta.get(SERIES_PART_META, "").strip()
            number = int(number) if number.isdigit() else None
            file_part(importer, item.wp_id, series.title, post, number, series)
            break
    wanted = {clean_slug(name) for name in options.series_from_categories}
    for term in item.terms:
        slug = clean_slug(term.slug) or clean_slug(term.name)
        if term.taxonomy == "category" and slug in wanted:
            date = post.published_at or post.created_at
            importer.category_series.setdefault(slug, []).append((date, post.pk, item.wp_id))


def declare_series(importer, term):
    """The series of a `series` term (export_wxr's), created or updated by its slug."""
    slug = clean_slug(term.slug) or slugify(term.name, allow_unicode=True)[:200]
    if not slug:
        return None
    series = Series.objects.filter(slug=slug).first()
    title = term.name.strip() or (series.title if series else slug)
    if series is None:
        series = Series.objects.create(title=title, slug=slug, description=term.description)
        importer.report.count("series", "created", key=slug)
    elif series.title != title or (term.description and series.description != term.description):
        series.title = title
        series.description = term.description or series.description
        series.save()
        importer.report.count("series", "updated", key=slug)
    else:
        importer.report.count("series", "unchanged", key=slug)
    return series


def file_category_series(importer):
    """File each wanted category's posts as a series, in date order."""
    from blog.models import Category, Post

    for name in importer.options.series_from_categories:
        slug = clean_slug(name)
        members = sorted(importer.category_series.get(slug, []), key=lambda m: (m[0], m[1]))
        category = Category.objects.filter(slug=slug).first()
        if category is None or not members:
            importer.report.problem("category", slug, name, "no posts in it; no series filed")
            continue
        posts = Post.objects.in_bulk([pk for _, pk, _ in members])
        for _, pk, wp_id in members:
            file_part(importer, wp_id, category.name, posts[pk], None)


def file_part(importer, wp_id, title, post, number, series=None):
    """Make `post` part `number` (None: the next free one) of the series `title`."""
    report = importer.report
    if series is None:
        series = Series.objects.filter(slug=slugify(title, allow_unicode=True)[:200]).first()
    if series is None:
        series = Series.objects.create(title=title, slug=slugify(title, allow_unicode=True)[:200])
    part = SeriesPart.objects.filter(post=post).select_related("series").first()
    if part is not None and part.series_id != series.pk:
        report.problem("post", wp_id, post.title, f"already part of “{part.series}”; left there")
        report.count("series parts", "skipped")
        return
    if part is not None and number in (None, part.number):
        report.count("series parts", "unchanged")
        report.part_filed(series.title, part.number)
        return
    taken = series.parts.filter(number=number).exclude(post=post).select_related("post").first()
    if taken is not None:
        report.problem(
            "post", wp_id, post.title,
            f"part {number} of “{series}” is already “{taken.post.title}”; not filed",
        )  # fmt: skip
        report.count("series parts", "skipped")
        return
    outcome = "updated" if part else "created"
    part = part or SeriesPart(series=series, post=post)
    part.number = number
    part.save()
    report.count("series parts", outcome)
    report.part_filed(series.title, part.number)
