"""Posts and pages: title, slug, body, excerpt, state, dates, author and filing."""

import re
from dataclasses import dataclass

from django.db.models import Q

from blog.models import RESERVED_PAGE_SLUGS, Page, Post, Status

from . import comment_threads, series_rules
from .addresses import clean_slug, old_path
from .content import plain_text, render_body
from .dates import best_date
from .identity import UNKNOWN

TITLE_LENGTH = 300
HTML_TAG = re.compile(r"</?[a-zA-Z]")
MODELS = {"post": Post, "page": Page}


@dataclass
class State:
    status: str
    published_at: object
    note: str = ""


@dataclass
class Entry:
    """A post or page built from its item: everything but its slug and row."""

    item: object
    model: type
    values: dict
    terms: tuple | None  # (category pks, tag pks) of a post

    def problem(self, report, message):
        item = self.item
        report.problem(item.post_type, item.wp_id, plain_text(item.title), message)


def import_item(importer, item):
    """Create or update the post or page of a WordPress item, then its comments."""
    if (entry := build(importer, item)) is not None:
        write(importer, entry)


def build(importer, item):
    """The entry of an item, or None when it is not imported. Queries nothing but a
    new author's or a new term's rows: what a batch writes later is not known yet."""
    kind, report = item.post_type, importer.report

    def problem(message):
        report.problem(kind, item.wp_id, plain_text(item.title), message)

    state = item_state(item, importer.now)
    if state is None:
        report.count(f"{kind}s", "skipped")
        report.count("comments", "skipped", len(item.comments))
        if item.status == "trash":
            problem("in WordPress's trash; not imported")
        return None
    title = item_title(item, problem)
    if state.note:
        problem(state.note)
    body = render_body(item.content)
    body.html = importer.media.local_body(body.html, item.wp_id)
    for note in dict.fromkeys(body.notes):  # ten galleries: one note
        problem(note)
    values = {
        "title": title,
        "body": body.html,
        "status": state.status,
        "published_at": state.published_at,
        "comments_open": item.comment_status == "open",
    }
    if kind == "post":
        values |= {
            "author": importer.user_for(item.creator),
            "excerpt": plain_text(item.excerpt) or body.teaser,
            "sticky": item.sticky,
        }
    else:
        # Only top-level pages go in the navigation, as WordPress's page menus do.
        in_menu = item.parent_wp_id in ("", "0") and item.meta.get("_show_in_menu") != "0"
        values |= {"menu_order": item.menu_order, "show_in_menu": in_menu}
    terms = importer.term_ids(item) if kind == "post" else None
    return Entry(item, MODELS[kind], values, terms)


def write(importer, entry, identity=UNKNOWN):
    """Write one entry (`identity`: its ImportedItem, when already looked up)."""
    item, model, kind = entry.item, entry.model, entry.item.post_type
    if identity is UNKNOWN:
        identity = importer.identities.find(kind, item.wp_id, item.guid[:500])
    obj = importer.identities.target(identity, model)

    def problem(message):
        entry.problem(importer.report, message)

    slug = unique_slug(model, item, entry.values["title"], obj, problem)
    obj, outcome = save_item(obj, model, {**entry.values, "slug": slug}, entry.terms)
    if outcome != "unchanged":
        keep_wordpress_dates(model, obj, item)
    importer.identities.record(
        kind, item.wp_id, obj, known=identity, guid=item.guid[:500], old_path=old_path(item.link)
    )
    importer.report.count(f"{kind}s", outcome)
    # Pages take comments as posts do, threads and states intact.
    comment_threads.import_comments(importer, item, obj)
    importer.media.saw_entry(item, obj)
    if kind == "post":
        series_rules.file_post(importer, item, obj)


def item_title(item, problem):
    title = plain_text(item.title)
    if HTML_TAG.search(item.title):
        problem("title had HTML; kept as plain text")
    if not title:
        words = plain_text(item.slug.replace("-", " ")) if not item.slug.isdigit() else ""
        title = words.capitalize() if words else "(untitled)"
        problem(f"no title; titled “{title}”")
    if len(title) > TITLE_LENGTH:
        title = title[: TITLE_LENGTH - 1] + "…"
        problem("title shortened to 300 characters")
    return title


def item_state(item, now):
    """Status and publication time of a post or page, or None to skip it."""
    date, date_note = best_date(item.date_gmt, item.date, item.pub_date)
    if item.status in ("publish", "future"):
        note = date_note
        if date is None:
            date, note = now, f"{date_note}; published at the import time"
        state = State(Status.PUBLISHED, date, note)
        if item.password:
            state = State(Status.DRAFT, date, "password-protected in WordPress; kept unpublished")
        return state
    if item.status == "private":
        return State(Status.DRAFT, date, "private in WordPress; kept unpublished")
    if item.status in ("draft", "pending"):
        # WordPress leaves the GMT date zero until a draft gets a date of its own.
        return State(Status.DRAFT, date if not date_note else None)
    return None  # trash, auto-draft, inherit: nothing a reader ever saw


def slug_base(item, title, problem):
    base = clean_slug(item.slug) or clean_slug(title) or f"{item.post_type}-{item.wp_id}"
    if not clean_slug(item.slug):
        problem(f"no slug; made “{base}”")
    return base


def unique_slug(model, item, title, obj, problem, batch=None):
    """The WordPress slug, or one from the title, made unique among `model`'s objects
    (`batch`: a posts.SlugBatch, for an entry written with others)."""
    base = slug_base(item, title, problem)
    others = model.objects.exclude(pk=obj.pk) if obj else model.objects.all()
    reserved = model is Page and (base in RESERVED_PAGE_SLUGS or base.isdigit())
    if batch is not None:
        free = base not in batch.taken and base not in batch.used
    else:
        free = not reserved and not others.filter(slug=base).exists()
    if free and not reserved:
        return base
    if batch is not None:
        taken = batch.like(base)
    else:
        taken = others.filter(Q(slug=base) | Q(slug__startswith=f"{base}-"))
        taken = set(taken.values_list("slug", flat=True))
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    slug = f"{base[:190]}-{number}"
    why = "is used by the site itself" if reserved else f"is taken by another {item.post_type}"
    problem(f"slug “{base}” {why}; imported as “{slug}”")
    return slug


class SlugBatch:
    """The slugs a batch of new entries of `model` may not take: the database's
    (asked once for all the entries' bases, once more for each base that is taken)
    and those given to entries before them."""

    def __init__(self, model, bases):
        self.model, self.used, self.known = model, set(), {}
        self.taken = set(model.objects.filter(slug__in=bases).values_list("slug", flat=True))

    def like(self, base):
        if base not in self.known:
            found = self.model.objects.filter(Q(slug=base) | Q(slug__startswith=f"{base}-"))
            self.known[base] = set(found.values_list("slug", flat=True))
        return self.known[base] | self.used


def save_item(obj, model, values, terms):
    """Create or update a post or page and its categories and tags; say which."""
    if obj is None:
        obj = model.objects.create(**values)
        if terms:
            link_new(obj.categories, terms[0])
            link_new(obj.tags, terms[1])
        return obj, "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save()
    if terms:
        for manager, wanted in ((obj.categories, terms[0]), (obj.tags, terms[1])):
            if set(manager.values_list("pk", flat=True)) != set(wanted):
                manager.set(wanted)
                changed.append(manager.prefetch_cache_name)
    return obj, "updated" if changed else "unchanged"


def link_new(manager, pks):
    """A new post's categories or tags in one INSERT: set() would first read the links
    it cannot have yet. (The post's own save has already marked the content changed.)"""
    through = manager.through
    source, target = f"{manager.source_field_name}_id", f"{manager.target_field_name}_id"
    through.objects.bulk_create(
        [through(**{source: manager.instance.pk, target: pk}) for pk in pks]
    )


def keep_wordpress_dates(model, obj, item):
    """Written and last changed as in WordPress, not at the import."""
    created, _ = best_date(item.date_gmt, item.date, item.pub_date)
    modified, _ = best_date(item.modified_gmt, item.modified)
    model.objects.filter(pk=obj.pk).update(
        created_at=created or obj.created_at, updated_at=modified or created or obj.updated_at
    )
