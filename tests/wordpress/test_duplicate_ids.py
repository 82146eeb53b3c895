"""Items that repeat a WordPress id (exports joined from two sites, or edited by
hand) are kept apart: an item is its (type, id, guid), as in WordPress's importer."""

import pytest

from blog.models import Page, Post
from comments.models import BlogComment
from tests.wordpress.wxr_files import SITE, comment, counts, import_text, item, wxr
from wordpress.models import ImportedItem

pytestmark = pytest.mark.django_db


def with_guid(text, wp_id, guid):
    return text.replace(
        f'<guid isPermaLink="false">{SITE}/?p={wp_id}</guid>', f"<guid>{guid}</guid>"
    )


def joined_export():
    """Post 7 from two sites, each with its own comment 1 (and a reply on the second)."""
    first = with_guid(
        item(7, "From the first site", slug="first", comments=comment(1, "On the first.")),
        7, "https://one.example.org/?p=7",
    )  # fmt: skip
    second = with_guid(
        item(7, "From the second site", slug="second",
             comments=comment(1, "On the second.") + comment(2, "A reply.", parent=1)),
        7, "https://two.example.org/?p=7",
    )  # fmt: skip
    page = with_guid(item(7, "A page", post_type="page", slug="a-page"), 7, "urn:page-7")
    return wxr(first, second, page)


def test_items_repeating_an_id_are_all_kept_and_reported(tmp_path):
    out = import_text(tmp_path, joined_export())

    assert set(Post.objects.values_list("title", flat=True)) == {
        "From the first site", "From the second site",
    }  # fmt: skip
    assert Page.objects.get().title == "A page"  # same id, another type: never a duplicate
    assert counts(out)["posts"] == (2, 0, 0, 0)
    assert out.count("duplicate id in the file") == 2
    assert "item post 7 “From the first site”: duplicate id in the file" in out
    assert "item post 7 “From the second site”: duplicate id in the file" in out
    # Each post has its own comments, the reply under the right parent.
    first, second = Post.objects.get(slug="first"), Post.objects.get(slug="second")
    assert list(
        BlogComment.objects.filter(object_pk=first.pk).values_list("comment", flat=True)
    ) == ["On the first."]
    reply = BlogComment.objects.get(comment="A reply.")
    assert reply.object_pk == str(second.pk)
    assert BlogComment.objects.get(pk=reply.parent_id).comment == "On the second."
    assert counts(out)["comments"] == (3, 0, 0, 0)


def test_reimporting_a_file_with_repeated_ids_creates_nothing(tmp_path):
    import_text(tmp_path, joined_export())
    items_before = ImportedItem.objects.count()

    out = import_text(tmp_path, joined_export())

    assert counts(out)["posts"] == (0, 0, 2, 0)
    assert counts(out)["comments"] == (0, 0, 3, 0)
    assert Post.objects.count() == 2 and BlogComment.objects.count() == 3
    assert ImportedItem.objects.count() == items_before
    assert out.count("duplicate id in the file") == 2  # the file still says so


def test_the_same_item_twice_is_one_object(tmp_path):
    out = import_text(tmp_path, wxr(item(3, "Old"), item(3, "New")))

    assert list(Post.objects.values_list("title", flat=True)) == ["New"]
    assert "same item (same guid) is twice in the file" in out
    assert "duplicate id in the file" not in out


def test_rows_recorded_before_guids_counted_still_match(tmp_path):
    """An import made before the guid was part of the identity updates in place."""
    import_text(tmp_path, wxr(item(4, "Title", comments=comment(9))))
    ImportedItem.objects.update(guid="")

    out = import_text(tmp_path, wxr(item(4, "Title", comments=comment(9))))

    assert counts(out)["posts"] == (0, 0, 1, 0)
    assert counts(out)["comments"] == (0, 0, 1, 0)
    assert Post.objects.count() == 1 and BlogComment.objects.count() == 1
