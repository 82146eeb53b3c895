"""The WordPress theme unit test export, imported end to end.

The file (WXR 1.2) holds 58 posts, 21 pages, 68 categories (one declared twice),
110 declared tags plus 4 that only items use, 37 attachments, 70 menu items and 33
comments: 28 on posts (a thread ten deep, 2 pingbacks, 2 trackbacks, one held) and
5 on pages. The counts are also taken from the file with the standard library, so
the test says what the file really contains.
"""

from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from defusedxml import ElementTree as ET
from django.core import mail
from django.core.management import call_command

from blog.models import Category, Page, Post, Status, Tag
from comments.models import BlogComment, State
from tests.wordpress.wxr_files import counts
from wordpress.models import ImportedItem

# WordPress's official theme unit test export (GPL), kept with the tests so they run anywhere.
THEME_FILE = Path(__file__).resolve().parent.parent / "data" / "wp-theme-unit-test.xml"
WP = "{https://wordpress.org/export/1.2/}"

pytestmark = pytest.mark.django_db


def file_facts():
    """What the file holds, read with ElementTree, independently of the importer."""
    channel = ET.parse(THEME_FILE).getroot().find("channel")
    items = channel.findall("item")
    types = Counter(i.findtext(f"{WP}post_type") for i in items)
    declared_tags = {t.findtext(f"{WP}tag_slug") for t in channel.findall(f"{WP}tag")}
    item_terms = [c for i in items for c in i.findall("category")]
    used_tags = {c.get("nicename") for c in item_terms if c.get("domain") == "post_tag"}
    categories = {c.findtext(f"{WP}category_nicename") for c in channel.findall(f"{WP}category")}
    comments = Counter(
        i.findtext(f"{WP}post_type") for i in items for _ in i.findall(f"{WP}comment")
    )
    return {
        "posts": types["post"],
        "pages": types["page"],
        "attachments": types["attachment"],
        "categories": len(categories),
        "tags": len(declared_tags | used_tags),
        "comments on posts": comments["post"],
        "comments on pages": comments["page"],
    }


def run_import(*args):
    out = StringIO()
    call_command("import_wxr", str(THEME_FILE), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def imported():
    return run_import()


def test_the_file_holds_what_the_issue_says():
    assert file_facts() == {
        "posts": 58, "pages": 21, "attachments": 37, "categories": 68, "tags": 114,
        "comments on posts": 28, "comments on pages": 5,
    }  # fmt: skip


def test_every_post_page_term_and_comment_arrives(imported):
    facts = file_facts()
    assert Post.objects.count() == facts["posts"]
    assert Page.objects.count() == facts["pages"]
    assert Category.objects.count() == facts["categories"]
    assert Tag.objects.count() == facts["tags"]
    # Pages take comments: those on pages arrive too.
    assert BlogComment.objects.count() == facts["comments on posts"] + facts["comments on pages"]
    assert ImportedItem.objects.filter(wp_type="attachment").count() == facts["attachments"]
    table = counts(imported)
    assert table["posts"] == (58, 0, 0, 0)
    assert table["comments"] == (33, 0, 0, 0)


def test_fields_statuses_and_filing(imported):
    post = Post.objects.get(slug="template-comments")
    assert post.title == "Template: Comments"
    assert post.author.username == "themedemos"
    assert post.published_at.isoformat() == "2012-01-03T17:11:37+00:00"
    assert post.is_public and post.comments_open
    assert {c.slug for c in post.categories.all()} == {"classic", "template-2", "uncategorized"}
    assert {t.slug for t in post.tags.all()} == {"comments-2", "template"}
    assert Category.objects.get(slug="child-2").parent.slug == "child-1"
    assert Category.objects.get(slug="child-1").parent.slug == "parent"
    assert Post.objects.filter(status=Status.PUBLISHED).count() == 56  # 55 + 1 scheduled
    assert Post.objects.get(slug="template-sticky").sticky


def test_password_protected_post_is_unpublished_and_reported(imported):
    post = Post.objects.get(slug="template-password-protected")
    assert post.status == Status.DRAFT
    assert "password-protected in WordPress; kept unpublished" in imported


def test_future_post_is_scheduled(imported):
    post = Post.objects.get(title="Scheduled")
    assert post.is_scheduled
    assert post.published_at.year == 2030


def test_html_and_empty_titles_become_plain_text(imported):
    assert Post.objects.filter(title="Markup: Title With Markup").exists()
    assert Post.objects.get(slug="edge-case-no-title").title == "Edge case no title"
    assert "title had HTML; kept as plain text" in imported
    assert Post.objects.get(slug="edge-case-no-content").body == ""


def test_ten_deep_thread_keeps_every_comment_in_order(imported):
    chain = list(BlogComment.objects.filter(comment__startswith="Comment Depth").order_by("order"))
    assert [c.comment.split()[2] for c in chain] == [f"{n:02d}" for n in range(1, 11)]
    assert len({c.thread_id for c in chain}) == 1
    # Five levels (COMMENTS_MAX_DEPTH); replies 6-10 follow at the deepest level.
    assert [c.level for c in chain] == [0, 1, 2, 3, 4, 4, 4, 4, 4, 4]
    assert [c.parent_id for c in chain[1:5]] == [c.pk for c in chain[:4]]
    assert {c.parent_id for c in chain[5:]} == {chain[3].pk}
    assert imported.count("nested deeper than COMMENTS_MAX_DEPTH") == 5


def test_comment_fields_and_states(imported):
    first = BlogComment.objects.get(comment__startswith="Comment Depth 01")
    assert first.user_name == "John Κώστας Doe Τάδε"
    assert first.user_email == "example@example.org"
    assert first.user_url == "http://example.org/"
    assert first.submit_date.isoformat() == "2013-03-14T14:57:01+00:00"
    assert first.reason == "imported from WordPress"
    assert BlogComment.objects.filter(state=State.HELD).count() == 3  # two on pages
    assert BlogComment.objects.filter(reason__endswith="(pingback)").count() == 2
    assert BlogComment.objects.filter(reason__endswith="(trackback)").count() == 2
    assert not mail.outbox  # imported comments notify nobody


def test_second_run_changes_nothing(imported):
    before = {m: m.objects.count() for m in (Post, Page, Category, Tag, BlogComment, ImportedItem)}
    again = run_import()
    assert {m: m.objects.count() for m in before} == before
    for kind, (created, updated, _unchanged, _skipped) in counts(again).items():
        assert (created, updated) == (0, 0), kind


def test_imported_posts_and_pages_render(imported, client):
    for post in Post.objects.published():
        response = client.get(post.get_absolute_url())
        assert response.status_code == 200, post.slug
    for page in Page.objects.published():
        assert client.get(page.get_absolute_url()).status_code == 200, page.slug
    html = client.get(Post.objects.get(slug="template-comments").get_absolute_url()).content
    assert b"Comment Depth 10" in html


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/?p=1148", "/2012/01/03/template-comments/"),
        ("/?page_id=155", "/page-with-comments/"),
        ("/?p=155", "/page-with-comments/"),
        ("/about/page-with-comments/", "/page-with-comments/"),
        ("/level-1/level-2/level-3/", "/level-3/"),
        ("/?attachment_id=1045", "/2010/08/08/post-format-image/"),
        ("/2010/09/10/post-format-gallery/canola2/", "/2010/09/10/post-format-gallery/"),
        ("/?feed=rss2", "/feed/"),
        ("/?feed=atom", "/feed/atom/"),
    ],
)
def test_old_links_redirect_permanently(imported, client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_old_links_never_reveal_unpublished_posts(imported, client):
    assert client.get("/?p=1168").status_code == 200  # the home page, no redirect
    assert client.get("/?p=1164").status_code == 200


def test_imported_items_are_listed_in_the_admin(imported, admin_client):
    response = admin_client.get("/admin/wordpress/importeditem/?wp_type__exact=comment")
    assert response.status_code == 200
    assert "33 imported items" in response.content.decode()


def test_sticky_post_leads_the_home_page(imported, client):
    posts = client.get("/").context["posts"]
    assert posts[0].slug == "template-sticky"
    assert posts[1].published_at > posts[2].published_at  # then newest first
