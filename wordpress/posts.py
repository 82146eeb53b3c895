"""Posts and pages: title, slug, body, excerpt, state, dates, author and filing."""

import re
from dataclasses import dataclass

from django.db.models import Q

from blog.models import RESERVED_PAGE_SLUGS, Page, Post, Status

from . import comment_threads, series_rules
from .addresses import clean_slug, old_path
from .content import plain_text, render_body
from .dates import best_date

TITLE_LENGTH = 300
HTML_TAG = re.compile(r"</?[a-zA-Z]")
MODELS = {"post": Post, "page": Page}


@dataclass
class State:
    status: str
    published_at: object
    note: str = ""


def import_item(importer, item):
    """Create or update the post or page of a WordPress item, then its comments."""
    kind, report = item.post_type, importer.report
    model = MODELS[kind]

    def problem(message):
        report.problem(kind, item.wp_id, plain_text(item.title), message)

    state = item_state(item, importer.now)
    if state is None:
        report.count(f"{kind}s", "skipped")
        report.count("comments", "skipped", len(item.comments))
        if item.status == "trash":
            problem("in WordPress's trash; not imported")
        return
    title = item_title(item, problem)
    if state.note:
        problem(state.note)
    identity = importer.identities.find(kind, item.wp_id, item.guid[:500])
    obj = importer.identities.target(identity, model)
    body = render_body(item.content)
    body.html = importer.media.local_body(body.html, item.wp_id)
    for note in dict.fromkeys(body.notes):  # ten galleries: one note
        problem(note)
    values = {
        "title": title,
        "slug": unique_slug(model, item, title, obj, problem),
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
    obj, outcome = save_item(obj, model, values, terms)
    if outcome != "unchanged":
        keep_wordpress_dates(model, obj, item)
    importer.identities.record(
        kind, item.wp_id, obj, known=identity, guid=item.guid[:500], old_path=old_path(item.link)
    )
    report.count(f"{kind}s", outcome)
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


def unique_slug(model, item, title, obj, problem):
    """The WordPress slug, or one from the title, made unique among `model`'s objects."""
    base = clean_slug(item.slug) or clean_slug(title) or f"{item.post_type}-{item.wp_id}"
    if not clean_slug(item.slug):
        problem(f"no slug; made “{base}”")
    others = model.objects.exclude(pk=obj.pk) if obj else model.objects.all()
    reserved = model is Page and (base in RESERVED_PAGE_SLUGS or base.isdigit())
    if not reserved and not others.filter(slug=base).exists():
        return base
    taken = set(others.filter(Q(slug=base) | Q(slug__startswith=f"{base}-")).values_list("slug"))
    taken = {slug for (slug,) in taken}
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    slug = f"{base[:190]}-{number}"
    why = "is used by the site itself" if reserved else f"is taken by another {item.post_type}"
    problem(f"slug “{base}” {why}; imported as “{slug}”")
    return slug


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
