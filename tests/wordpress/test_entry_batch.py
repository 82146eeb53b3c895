"""New posts and pages are written a batch at a time (wordpress/entry_batch.py); the
rows must come out as the one-by-one path (still used for re-imports, and when a
batch fails) makes them, a broken item must only lose itself, and the queries must
not grow with the number of posts."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext

from blog.models import Page, Post
from comments.models import BlogComment
from series.models import SeriesPart
from tests.wordpress.test_round_trip import THEME_FILE, delete_everything, snapshot
from tests.wordpress.wxr_files import category, comment, counts, import_text, item, wxr
from wordpress import entry_batch
from wordpress.models import ImportedItem

pytestmark = pytest.mark.django_db


def one_by_one(monkeypatch):
    monkeypatch.setattr(entry_batch, "can_bulk_insert", lambda: False)


def rows():
    """Everything the import writes, beyond what the round trip compares."""
    found = snapshot()
    for slug, post in found["posts"].items():
        row = Post.objects.get(slug=slug)
        post |= {"body_text": row.body_text, "word_count": row.word_count}
        if connection.vendor == "postgresql":
            post["search_vector"] = str(row.search_vector)
    found["identities"] = sorted(
        (i.wp_type, i.wp_id, i.guid, i.old_path, i.old_url, i.content_type and i.content_type.model,
         str(i.content_object) if i.content_object else None)
        for i in ImportedItem.objects.select_related("content_type")
    )  # fmt: skip
    return found


def import_theme_file(*args):
    out = StringIO()
    call_command("import_wxr", str(THEME_FILE), "--series-from-category", "markup", *args,
                 stdout=out)  # fmt: skip
    return out.getvalue()


def report_lines(out):
    """The summary's counts and problems, in any order (a batch reports a slug later)."""
    return counts(out), sorted(line for line in out.splitlines() if line.startswith("  "))


def test_the_theme_file_batched_gives_the_rows_one_by_one_gives(monkeypatch):
    with monkeypatch.context() as patch:
        one_by_one(patch)
        single_out = import_theme_file()
    single = rows()
    delete_everything()
    batched_out = import_theme_file()
    assert rows() == single
    assert report_lines(batched_out) == report_lines(single_out)
    # And a second run of the batched import still creates nothing.
    again = counts(import_theme_file())
    assert all(created == 0 for created, *_ in again.values())


def series_file(first, last):
    return wxr(
        category("news", "News"),
        *(
            item(n, title=f"Notes {n}: a part", slug="same" if n % 10 == 0 else None,
                 terms='<category domain="category" nicename="news">News</category>'
                 '<category domain="post_tag" nicename="t">T</category>',
                 comments=comment(n * 10, parent=0) + comment(n * 10 + 1, parent=n * 10))
            for n in range(first, last + 1)
        ),
    )  # fmt: skip


def test_series_parts_slugs_and_threads_come_out_as_one_by_one(tmp_path, monkeypatch):
    text = series_file(1, 30)
    with monkeypatch.context() as patch:
        one_by_one(patch)
        single_out = import_text(tmp_path, text, "--series-from-title")
    single = rows()
    delete_everything()
    batched_out = import_text(tmp_path, text, "--series-from-title")
    assert rows() == single
    assert report_lines(batched_out) == report_lines(single_out)
    # Three posts wanted the slug "same": one has it, the others are numbered.
    same = Post.objects.filter(slug__startswith="same").values_list("slug", flat=True)
    assert sorted(same) == ["same", "same-2", "same-3"]
    assert SeriesPart.objects.count() == 30
    assert BlogComment.objects.filter(level=1).count() == 30


def test_a_part_number_taken_in_the_same_batch_is_reported_as_one_by_one(tmp_path):
    out = import_text(
        tmp_path, wxr(item(1, title="Notes 4: one"), item(2, title="Notes 4: two")),
        "--series-from-title",
    )  # fmt: skip
    assert SeriesPart.objects.get().post.slug == "post-1"
    assert "part 4 of “Notes” is already “Notes 4: one”; not filed" in out


def test_a_broken_item_in_a_batch_is_skipped_and_the_rest_lands(tmp_path):
    nameless = '<category domain="category" nicename=""></category>'
    out = import_text(tmp_path, wxr(item(1), item(2, terms=nameless), item(3), page(4)))
    assert sorted(Post.objects.values_list("slug", flat=True)) == ["post-1", "post-3"]
    assert Page.objects.get().slug == "post-4"
    assert "item post 2 “A post”: not imported: ValueError: a term without a slug or name" in out
    assert counts(out)["posts"] == (2, 0, 0, 1)


def page(wp_id):
    return item(wp_id, title="A page", post_type="page", comments=comment(wp_id * 10))


def test_a_batch_the_database_refuses_is_written_one_by_one(tmp_path, monkeypatch):
    # A row the database refuses fails the batch's INSERT; written again one at a
    # time, only that item is lost.
    prepare_body = Post.prepare_body

    def refuse_bad(post):
        if post.title == "Bad":
            raise IntegrityError("refused")
        prepare_body(post)

    monkeypatch.setattr(Post, "prepare_body", refuse_bad)
    out = import_text(
        tmp_path, wxr(item(1, comments=comment(11)), item(2, title="Bad"), item(3), page(4))
    )
    assert sorted(Post.objects.values_list("slug", flat=True)) == ["post-1", "post-3"]
    assert "item post 2 “Bad”: not imported: IntegrityError: refused" in out
    assert counts(out)["posts"] == (2, 0, 0, 1)
    assert counts(out)["comments"][0] == 2
    assert BlogComment.objects.count() == 2
    assert ImportedItem.objects.filter(wp_type="post").count() == 2


def test_importing_more_posts_costs_no_more_queries(tmp_path):
    def queries(first, last):
        with CaptureQueriesContext(connection) as captured:
            out = import_text(tmp_path, series_file(first, last), "--series-from-title")
        assert counts(out)["posts"][0] == last - first + 1
        return len(captured)

    queries(1, 2)  # the first run creates the author, the terms and the series
    fifty, hundred = queries(101, 150), queries(201, 300)
    if connection.vendor == "postgresql":
        assert hundred == fifty
    else:  # SQLite splits a multi-row INSERT at 999 parameters: one more now and then
        assert hundred <= fifty + 3
    assert hundred < 60  # one by one, it was about 16 a post


def test_the_batch_does_what_the_rows_receivers_would():
    # Rows written in bulk send no post_save: entry_batch.write_all does, once a
    # batch, what these receivers do. A new receiver must be added there too.
    def receivers(model):
        return sorted(r.__name__ for r in post_save._live_receivers(model)[0])

    assert receivers(Post) == ["announce_when_live", "bump_content_version"]
    assert receivers(Page) == ["bump_content_version"]
