"""Moving out and back in loses nothing: the theme unit test export is imported, this
blog is exported with export_wxr, everything is deleted, and the export is imported
again; posts, pages, authors, terms, comments and series parts must come back field
for field.

What does not survive, and why:
- Database ids: WordPress numbers posts, pages and attachments in one sequence, so the
  export gives pages and images ids above the posts' (wordpress/export.py).
- Comments' spam-checker records (verdict, screening steps, Akismet pro-tip, history):
  WXR has no place for them; the state (public 1, held 0, spam, trash) does survive.
- Comments on pages and attachments as image-library entries come across as far as
  the importer takes them (pages' comments and media are their own import steps).
- Images (blog.Image) are written as attachment items with their URLs, and a post's
  featured image as `_thumbnail_id`; importing them back is the media import's work
  (`--media-dir`, `--fetch-media`). A featured image's own alt text for one post
  (`featured_image_alt`) has no place in WXR and is not written.
- Guides, volumes and postings, author profiles (bio, avatar): WordPress has no such
  thing, so the export leaves them out.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from blog.models import Category, Page, Post, Tag
from comments.models import BlogComment
from series.models import Series, SeriesPart
from wordpress.models import ImportedItem

THEME_FILE = Path(__file__).resolve().parent.parent / "data" / "wp-theme-unit-test.xml"

pytestmark = pytest.mark.django_db

POST_FIELDS = ["title", "body", "excerpt", "status", "published_at", "created_at",
               "updated_at", "comments_open", "sticky"]  # fmt: skip
PAGE_FIELDS = ["title", "body", "status", "published_at", "created_at", "updated_at",
               "menu_order", "show_in_menu"]  # fmt: skip
COMMENT_FIELDS = ["user_name", "user_email", "user_url", "comment", "submit_date",
                  "ip_address", "user_agent", "state", "is_removed", "is_public", "level",
                  "reason"]  # fmt: skip


def comments_of(entry):
    """An entry's comments in thread order; a reply names its parent by position."""
    rows = list(BlogComment.objects.for_model(entry).order_by("thread_id", "order"))
    position = {c.pk: n for n, c in enumerate(rows)}
    return [
        {**{f: getattr(c, f) for f in COMMENT_FIELDS}, "parent": position.get(c.parent_id)}
        for c in rows
    ]


def snapshot():
    posts = {
        p.slug: {
            **{f: getattr(p, f) for f in POST_FIELDS},
            "author": p.author.username,
            "categories": sorted(c.slug for c in p.categories.all()),
            "tags": sorted(t.slug for t in p.tags.all()),
            "comments": comments_of(p),
        }
        for p in Post.objects.select_related("author")
    }
    pages = {
        p.slug: {**{f: getattr(p, f) for f in PAGE_FIELDS}, "comments": comments_of(p)}
        for p in Page.objects.all()
    }
    users = get_user_model().objects.filter(posts__isnull=False).distinct()
    return {
        "posts": posts,
        "pages": pages,
        "authors": {u.username: (u.email, u.first_name, u.last_name) for u in users},
        "categories": {
            c.slug: (c.name, c.description, c.parent.slug if c.parent else None)
            for c in Category.objects.select_related("parent")
        },
        "tags": {t.slug: t.name for t in Tag.objects.all()},
        "series": {s.slug: (s.title, s.description) for s in Series.objects.all()},
        "parts": {
            p.post.slug: (p.series.slug, p.number)
            for p in SeriesPart.objects.select_related("post", "series")
        },
    }


def assert_same(before, after, path=()):
    """Field by field, so a failure names the one field that did not survive."""
    if isinstance(before, dict) and isinstance(after, dict):
        assert after.keys() == before.keys(), path
        for key, value in before.items():
            assert_same(value, after[key], (*path, key))
    elif isinstance(before, list) and isinstance(after, list):
        assert len(after) == len(before), path
        for n, (old, new) in enumerate(zip(before, after, strict=True)):
            assert_same(old, new, (*path, n))
    else:
        assert after == before, path


def delete_everything():
    BlogComment.objects.all().delete()
    Series.objects.all().delete()
    Post.objects.all().delete()
    Page.objects.all().delete()
    Category.objects.all().delete()
    Tag.objects.all().delete()
    ImportedItem.objects.all().delete()
    get_user_model().objects.all().delete()


def test_import_export_import_keeps_every_field(tmp_path):
    call_command(
        "import_wxr", str(THEME_FILE), "--series-from-category", "markup", stdout=StringIO()
    )
    before = snapshot()
    assert (
        before["parts"] and before["posts"] and any(p["comments"] for p in before["posts"].values())
    )

    exported = tmp_path / "moving-out.xml"
    call_command("export_wxr", "-o", str(exported))
    delete_everything()
    assert not Post.objects.exists()
    call_command("import_wxr", str(exported), stdout=StringIO())
    after = snapshot()

    assert_same(before, after)
    # A second import of the same export changes nothing.
    call_command("import_wxr", str(exported), stdout=StringIO())
    assert snapshot() == after
