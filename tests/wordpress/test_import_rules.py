"""Each rule of the WordPress import, on small hand-made exports."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command

from blog.models import Category, Page, Post, Status, Tag
from comments.models import BlogComment, State
from series.models import Series, SeriesPart
from tests.factories import PostFactory, UserFactory
from tests.wordpress.wxr_files import SITE, category, comment, counts, import_text, item, wxr
from wordpress.models import ImportedItem

pytestmark = pytest.mark.django_db


def everything_count():
    models = (Post, Page, Category, Tag, BlogComment, ImportedItem, get_user_model())
    return sum(model.objects.count() for model in models)


def test_post_fields_and_excerpt_from_the_more_tag(tmp_path):
    content = "First <b>words</b>.\nStill first.\n\n<!--more-->\n\nThe rest."
    import_text(tmp_path, wxr(item(10, title="Hello &amp; welcome", content=content)))
    post = Post.objects.get()
    assert (post.title, post.slug, post.status) == ("Hello & welcome", "post-10", Status.PUBLISHED)
    assert post.body == "<p>First <b>words</b>.<br>\nStill first.</p>\n<p>The rest.</p>"
    assert post.excerpt == "First words. Still first."
    assert post.published_at.isoformat() == "2020-01-01T11:00:00+00:00"
    assert post.author.username == "ann" and not post.author.has_usable_password()
    assert post.author.get_full_name() == "Ann Author"
    identity = ImportedItem.objects.get(wp_type="post")
    assert (identity.site, identity.wp_id, identity.content_object) == (SITE, "10", post)
    assert identity.guid == f"{SITE}/?p=10"


def test_status_mapping(tmp_path):
    password = "<wp:post_password>secret</wp:post_password>"
    out = import_text(
        tmp_path,
        wxr(
            item(1, status="draft", date_gmt="0000-00-00 00:00:00"),
            item(2, status="pending"),
            item(3, status="private"),
            item(4, status="future", date_gmt="2999-01-01 00:00:00"),
            item(5, status="trash"),
            item(6, status="publish", extra=password.replace("secret", "x")),
        ),
    )
    # The item's own <wp:post_password> comes first and is empty; a second one wins nothing.
    states = dict(Post.objects.values_list("slug", "status"))
    assert states == {
        "post-1": "draft", "post-2": "draft", "post-3": "draft", "post-4": "published",
        "post-6": "published",
    }  # fmt: skip
    assert Post.objects.get(slug="post-1").published_at is None
    assert Post.objects.get(slug="post-4").is_scheduled
    assert "item post 3 “A post”: private in WordPress; kept unpublished" in out
    assert "item post 5 “A post”: in WordPress's trash; not imported" in out


def test_password_protected_post_is_kept_unpublished(tmp_path):
    text = wxr(item(7)).replace(
        "<wp:post_password></wp:post_password>", "<wp:post_password>pw</wp:post_password>"
    )
    out = import_text(tmp_path, text)
    assert Post.objects.get().status == Status.DRAFT
    assert "password-protected in WordPress; kept unpublished" in out


def test_zero_dates_fall_back_and_are_reported(tmp_path, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    out = import_text(
        tmp_path,
        wxr(
            item(1, date="2020-06-01 12:00:00", date_gmt="0000-00-00 00:00:00"),
            item(2, date="0000-00-00 00:00:00", date_gmt="0000-00-00 00:00:00"),
        ),
    )
    local = Post.objects.get(slug="post-1").published_at
    assert local.isoformat() == "2020-06-01T10:00:00+00:00"  # noon in Berlin, summer time
    from_rss = Post.objects.get(slug="post-2").published_at
    assert from_rss.isoformat() == "2020-01-01T11:00:00+00:00"  # the item's pubDate
    assert "no GMT date (0000-00-00 00:00:00); used the local date 2020-06-01 12:00:00" in out
    assert "used Wed, 01 Jan 2020 11:00:00 +0000" in out


def test_categories_with_hierarchy_and_undeclared_terms(tmp_path):
    terms = (
        '<category domain="category" nicename="child"><![CDATA[Child]]></category>'
        '<category domain="category" nicename="never-declared"><![CDATA[Surprise]]></category>'
        '<category domain="post_tag" nicename="loose-tag"><![CDATA[Loose &amp; free]]></category>'
    )
    out = import_text(
        tmp_path,
        wxr(
            category("child", "Child", parent="parent"),
            category("parent", "Parent", description="Top <b>level</b>"),
            item(1, terms=terms),
        ),
    )
    child, parent = Category.objects.get(slug="child"), Category.objects.get(slug="parent")
    assert child.parent == parent and parent.description == "Top level"
    post = Post.objects.get()
    assert {c.slug for c in post.categories.all()} == {"child", "never-declared"}
    assert [t.name for t in post.tags.all()] == ["Loose & free"]
    assert "item category never-declared “Surprise”: used by items but not declared" in out
    assert "item tag loose-tag “Loose & free”: used by items but not declared" in out


def test_author_map_merges_into_an_existing_account(tmp_path):
    mara = UserFactory(username="mara")
    import_text(tmp_path, wxr(item(1)), "--author-map", "ann=mara")
    assert Post.objects.get().author == mara
    assert not get_user_model().objects.filter(username="ann").exists()


def test_author_map_to_a_missing_user_is_refused(tmp_path):
    with pytest.raises(CommandError, match="there is no user “nobody”"):
        import_text(tmp_path, wxr(item(1)), "--author-map", "ann=nobody")
    assert not Post.objects.exists()


def test_slug_taken_by_another_post_is_made_unique(tmp_path):
    PostFactory(slug="hello")
    out = import_text(tmp_path, wxr(item(1, slug="hello"), item(2, slug="")))
    assert Post.objects.filter(slug="hello-2").exists()
    assert "slug “hello” is taken by another post; imported as “hello-2”" in out
    assert Post.objects.filter(slug="a-post").exists()  # no slug: one from the title
    assert "no slug; made “a-post”" in out


def test_page_slugs_and_menu(tmp_path):
    import_text(
        tmp_path,
        wxr(
            item(1, title="About", slug="about", post_type="page"),
            item(2, title="Team", slug="team", post_type="page", parent=1),
            item(3, title="Feed", slug="feed", post_type="page"),
        ),
    )
    pages = {p.title: p for p in Page.objects.all()}
    assert pages["About"].show_in_menu and not pages["Team"].show_in_menu
    assert pages["Feed"].slug == "feed-2"  # /feed/ belongs to the site


def comments_post(*comments_xml, **kwargs):
    return wxr(item(1, comments="".join(comments_xml), **kwargs))


def test_comment_threads_states_and_fields(tmp_path, akismet):
    out = import_text(
        tmp_path,
        comments_post(
            comment(3, "Reply to two", parent=2),  # the reply comes first in the file
            comment(2, "<p>Top</p><p>level</p>"),
            comment(4, "Held", approved="0"),
            comment(5, "Spam", approved="spam"),
            comment(6, "Binned", approved="trash"),
            comment(7, "Orphan", parent=99),
        ),
    )
    by_text = {c.comment: c for c in BlogComment.objects.all()}
    top, reply = by_text["Top\n\nlevel"], by_text["Reply to two"]
    assert reply.parent_id == top.pk and reply.thread_id == top.pk and reply.level == 1
    assert by_text["Held"].state == State.HELD
    assert by_text["Spam"].state == State.SPAM
    assert by_text["Binned"].is_removed
    assert by_text["Orphan"].parent_id == by_text["Orphan"].pk  # top-level
    assert "replies to comment 99, which is not in the file; made top-level" in out
    assert top.user_name == "Reader" and top.ip_address == "192.0.2.7"
    assert top.user_url == "http://reader.example.org/"
    assert top.submit_date.isoformat() == "2020-01-02T09:00:00+00:00"
    assert top.reason == "imported from WordPress"
    assert akismet.requests == [] and mail.outbox == []


def test_pings_are_kept_or_skipped_by_flag(tmp_path):
    text = comments_post(comment(2, "Ping", kind="pingback"), comment(3, "Track", kind="trackback"))
    import_text(tmp_path, text, "--skip-pings")
    assert not BlogComment.objects.exists()
    import_text(tmp_path, text)
    assert sorted(BlogComment.objects.values_list("reason", flat=True)) == [
        "imported from WordPress (pingback)",
        "imported from WordPress (trackback)",
    ]


def test_trash_can_be_skipped_and_replies_to_it_stay(tmp_path):
    text = comments_post(comment(2, "Binned", approved="trash"), comment(3, "Reply", parent=2))
    out = import_text(tmp_path, text, "--skip-trash")
    assert list(BlogComment.objects.values_list("comment", flat=True)) == ["Reply"]
    assert "replies to comment 2, which was skipped; made top-level" in out


def test_deep_replies_are_flattened_to_the_deepest_level(tmp_path):
    # COMMENTS_MAX_DEPTH is 5: a comment and four levels of replies.
    chain = [comment(n, f"depth {n}", parent=n - 1) for n in range(1, 8)]
    out = import_text(tmp_path, comments_post(*reversed(chain)))
    saved = list(BlogComment.objects.order_by("thread_id", "order"))
    assert [c.comment for c in saved] == [f"depth {n}" for n in range(1, 8)]
    assert [c.level for c in saved] == [0, 1, 2, 3, 4, 4, 4]
    assert {c.parent_id for c in saved[4:]} == {saved[3].pk}
    assert "item comment 6 “A post”: (on post 1) nested deeper than COMMENTS_MAX_DEPTH (5)" in out


def test_comments_on_pages_are_imported_like_a_posts(tmp_path):
    out = import_text(tmp_path, wxr(item(1, post_type="page", comments=comment(2))))
    (saved,) = BlogComment.objects.all()
    assert saved.content_object == Page.objects.get()
    assert "on a page skipped" not in out


def test_series_from_title(tmp_path):
    title = "Offering a unique value proposition as an employee {n}: senior {n}"
    PostFactory(slug="taken")
    out = import_text(
        tmp_path,
        wxr(
            item(1, title=title.format(n=22)),
            item(2, title=title.format(n=23)),
            item(3, title="Not a series"),
        ),
        "--series-from-title",
    )
    series = Series.objects.get()
    assert series.title == "Offering a unique value proposition as an employee"
    assert list(series.parts.values_list("number", "post__slug")) == [
        (22, "post-1"),
        (23, "post-2"),
    ]
    assert "“Offering a unique value proposition as an employee”: part 22-23" in out


def test_series_number_taken_is_reported_and_skipped(tmp_path):
    series = Series.objects.create(title="Notes", slug="notes")
    SeriesPart.objects.create(series=series, post=PostFactory(title="Old one"), number=2)
    out = import_text(tmp_path, wxr(item(1, title="Notes 2: again")), "--series-from-title")
    assert not SeriesPart.objects.filter(post__slug="post-1").exists()
    assert "part 2 of “Notes” is already “Old one”; not filed" in out


def test_series_from_category_in_date_order(tmp_path):
    terms = '<category domain="category" nicename="diary"><![CDATA[Diary]]></category>'
    import_text(
        tmp_path,
        wxr(
            category("diary", "Diary"),
            item(1, terms=terms, date_gmt="2020-03-01 00:00:00"),
            item(2, terms=terms, date_gmt="2020-01-01 00:00:00"),
            item(3, date_gmt="2020-02-01 00:00:00"),
        ),
        "--series-from-category",
        "Diary",
    )
    series = Series.objects.get(slug="diary")
    assert list(series.parts.values_list("post__slug", flat=True)) == ["post-2", "post-1"]


def test_same_ids_from_another_site_are_other_objects(tmp_path):
    import_text(tmp_path, wxr(item(1, slug="one")))
    import_text(tmp_path, wxr(item(1, slug="other"), site="https://second.example.org"))
    assert Post.objects.count() == 2
    assert ImportedItem.objects.filter(wp_type="post", wp_id="1").count() == 2


def test_second_run_updates_in_place(tmp_path):
    import_text(tmp_path, wxr(item(1, title="First title", comments=comment(2))))
    out = import_text(tmp_path, wxr(item(1, title="Better title", comments=comment(2, "Edited"))))
    assert Post.objects.get().title == "Better title"
    assert BlogComment.objects.get().comment == "Edited"
    assert counts(out)["posts"] == (0, 1, 0, 0)


def test_a_broken_item_is_reported_and_the_rest_imported(tmp_path):
    nameless = '<category domain="category" nicename=""></category>'
    out = import_text(tmp_path, wxr(item(1, terms=nameless), item(2)))
    assert list(Post.objects.values_list("slug", flat=True)) == ["post-2"]
    assert "item post 1 “A post”: not imported: ValueError: a term without a slug or name" in out
    assert counts(out)["posts"] == (1, 0, 0, 1)


def test_dry_run_writes_nothing(tmp_path):
    out = import_text(tmp_path, wxr(category("c", "C"), item(1, comments=comment(2))), "--dry-run")
    assert everything_count() == 0
    assert "dry run: nothing written" in out
    assert counts(out)["posts"] == (1, 0, 0, 0)


XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>&secret;</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>
<wp:status>publish</wp:status></item></channel></rss>"""

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>&lol3;</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>
<wp:status>publish</wp:status></item></channel></rss>"""


@pytest.mark.parametrize("hostile", [XXE, LAUGHS], ids=["external-entity", "billion-laughs"])
def test_hostile_files_are_refused_and_nothing_is_written(tmp_path, hostile):
    with pytest.raises(CommandError, match=r"refused as unsafe.*Nothing was imported"):
        import_text(tmp_path, hostile)
    assert everything_count() == 0


def test_truncated_file_keeps_the_items_before_the_break(tmp_path):
    whole = wxr(item(1), item(2), item(3))
    cut = whole[: whole.index("<item>", whole.index("<wp:post_id>2</wp:post_id>")) + 60]
    path = tmp_path / "cut.xml"
    path.write_text(cut)
    out = StringIO()
    with pytest.raises(CommandError, match=r"ends early, at line .*looks truncated"):
        call_command("import_wxr", str(path), stdout=out)
    assert list(Post.objects.values_list("slug", flat=True).order_by("slug")) == [
        "post-1",
        "post-2",
    ]
    assert counts(out.getvalue())["posts"] == (2, 0, 0, 0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<html><body>Hello</body></html>", "not a WordPress export: it is not an RSS file"),
        ("<rss><channel><title>x</title></channel></rss>", "no wp:wxr_version"),
        ("not xml at all", "not well-formed XML at line 1"),
    ],
)
def test_files_that_are_not_exports_are_refused(tmp_path, text, message):
    with pytest.raises(CommandError, match=message):
        import_text(tmp_path, text)
    assert everything_count() == 0


def test_control_characters_that_xml_forbids_are_dropped(tmp_path):
    import_text(tmp_path, wxr(item(1, title="Bell\x07 and tab\tok")))
    assert Post.objects.get().title == "Bell and tab ok"


def test_wxr_1_0_without_authors_or_nicenames(tmp_path):
    old = wxr(item(1)).replace("export/1.2/", "export/1.0/").replace(">1.2<", ">1.0<")
    old = old.replace(
        "<wp:is_sticky>0</wp:is_sticky>",
        "<category><![CDATA[Essays]]></category>"
        '<category domain="category" nicename="essays"><![CDATA[Essays]]></category>'
        '<category domain="tag"><![CDATA[Long Reads]]></category>',
    )
    old = old[: old.index("<wp:author>")] + old[old.index("</wp:author>") + 12 :]
    out = import_text(tmp_path, old)
    post = Post.objects.get()
    assert [c.slug for c in post.categories.all()] == ["essays"]
    assert [t.slug for t in post.tags.all()] == ["long-reads"]
    assert post.author.username == "ann"
    assert "(WXR 1.0)" in out
