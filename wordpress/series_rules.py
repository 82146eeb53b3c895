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
    note_category_series(importer, item, post)


def note_category_series(importer, item, post):
    wanted = {clean_slug(name) for name in importer.options.series_from_categories}
    for term in item.terms:
        slug = clean_slug(term.slug) or clean_slug(term.name)
        if term.taxonomy == "category" and slug in wanted:
            date = post.published_at or post.created_at
            importer.category_series.setdefault(slug, []).append((date, post.pk, item.wp_id))


def file_new_posts(importer, filed):
    """file_post for [(item, post)] created in this batch, in a few queries: a new
    post is part of no series yet, so only the numbers its series already uses (or
    earlier posts of the batch take) are checked. Parts without a number (the next
    free one) or from `series` terms are filed one by one, as file_post does."""
    claims = []  # (wp id, series title, post, number)
    for item, post in filed:
        match = importer.options.series_from_title and SERIES_TITLE.match(post.title)
        if any(term.taxonomy == SERIES_TAXONOMY for term in item.terms) or (
            match and int(match["number"]) == 0
        ):
            for item, post in filed:
                file_post(importer, item, post)
            return
        if match:
            claims.append((item.wp_id, match["series"], post, int(match["number"])))
    file_numbered_parts(importer, claims)
    for item, post in filed:
        note_category_series(importer, item, post)


def file_numbered_parts(importer, claims):
    report = importer.report
    slugs = {series_slug(title) for _, title, _, _ in claims}
    series = {s.slug: s for s in Series.objects.filter(slug__in=slugs)} if claims else {}
    for _, title, _, _ in claims:
        slug = series_slug(title)
        if slug not in series:
            series[slug] = Series.objects.create(title=title, slug=slug)
    parts = SeriesPart.objects.filter(
        series__in=list(series.values()), number__in={number for *_, number in claims}
    )
    taken = {(s, n): t for s, n, t in parts.values_list("series_id", "number", "post__title")}
    new = []
    for wp_id, title, post, number in claims:
        part_of = series[series_slug(title)]
        if (part_of.pk, number) in taken:
            number_taken(report, wp_id, post, number, part_of, taken[part_of.pk, number])
            continue
        taken[part_of.pk, number] = post.title
        new.append(SeriesPart(series=part_of, post=post, number=number))
        report.count("series parts", "created")
        report.part_filed(part_of.title, number)
    SeriesPart.objects.bulk_create(new)
    # What SeriesPart.save does for a new part: guides listing the whole series list it.
    for part_of in {part.series for part in new}:
        posts = [part.post for part in new if part.series is part_of]
        for link in part_of.guide_links.select_related("guide"):
            link.guide.append(posts)


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
        series = Series.objects.filter(slug=series_slug(title)).first()
    if series is None:
        series = Series.objects.create(title=title, slug=series_slug(title))
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
        number_taken(report, wp_id, post, number, series, taken.post.title)
        return
    outcome = "updated" if part else "created"
    part = part or SeriesPart(series=series, post=post)
    part.number = number
    part.save()
    report.count("series parts", outcome)
    report.part_filed(series.title, part.number)


def series_slug(title):
    return slugify(title, allow_unicode=True)[:200]


def number_taken(report, wp_id, post, number, series, other_title):
    message = f"part {number} of “{series}” is already “{other_title}”; not filed"
    report.problem("post", wp_id, post.title, message)
    report.count("series parts", "skipped")
