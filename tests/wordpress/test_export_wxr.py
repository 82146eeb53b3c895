"""`manage.py export_wxr`: the whole blog as WXR 1.2, streamed, with or without
personal data."""

import tracemalloc
from datetime import timedelta
from io import StringIO

import pytest
from defusedxml import ElementTree as ET
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from bench.discussions import Draft, insert_comments
from blog.models import Page
from comments.models import BlogComment, State
from series.models import SeriesPart
from tests.factories import (
    AuthorProfileFactory,
    CategoryFactory,
    CommentFactory,
    ImageFactory,
    PageFactory,
    PostFactory,
    SeriesFactory,
    TagFactory,
    UserFactory,
    bulk_posts,
)
from wordpress.export import export_chunks

pytestmark = pytest.mark.django_db

WP = "{http://wordpress.org/export/1.2/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"


@pytest.fixture
def blog(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    author = UserFactory(username="mara", email="mara@example.com")
    AuthorProfileFactory(user=author, display_name="Mara L")
    parent = CategoryFactory(name="Work", slug="work")
    child = CategoryFactory(name="Shifts", slug="shifts", parent=parent)
    tag = TagFactory(name="night", slug="night")
    image = ImageFactory(alt="A lamp", caption="The lamp at night")
    post = PostFactory(
        author=author, title="Night shift 1", slug="night-shift-1", categories=[child],
        tags=[tag], featured_image=image,
    )  # fmt: skip
    part = SeriesPart.objects.create(
        series=SeriesFactory(title="Nights", slug="nights"), post=post, number=3
    )
    top = CommentFactory(post=post, user_email="reader@example.com", ip_address="192.0.2.7")
    reply = CommentFactory(post=post, parent=top, comment="A reply ]]> here.")
    held = CommentFactory(post=post, state=State.HELD, comment="Held one.")
    spam = CommentFactory(post=post, state=State.SPAM, comment="Buy now.")
    draft = PostFactory(author=author, draft=True, slug="unfinished")
    page = PageFactory(title="About", slug="about")
    page_comment = BlogComment.objects.create(
        content_type=ContentType.objects.get_for_model(Page), object_pk=str(page.pk),
        site_id=1, user_name="Pat", user_email="pat@example.com", comment="On a page.",
        submit_date=timezone.now(), state=State.PUBLIC,
    )  # fmt: skip
    return locals()


def export(*args):
    out = StringIO()
    call_command("export_wxr", *args, stdout=out)
    return out.getvalue()


def items(root):
    return {i.findtext(f"{WP}post_name"): i for i in root.find("channel").findall("item")}


def test_export_is_wxr_1_2_with_everything(blog):
    text = export()
    root = ET.fromstring(text.encode())
    channel = root.find("channel")
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert channel.findtext(f"{WP}wxr_version") == "1.2"
    assert channel.find(f"{WP}base_site_url") is not None
    authors = channel.findall(f"{WP}author")
    assert [(a.findtext(f"{WP}author_login"), a.findtext(f"{WP}author_display_name"))
            for a in authors] == [("mara", "Mara L")]  # fmt: skip
    categories = [
        (c.findtext(f"{WP}category_nicename"), c.findtext(f"{WP}category_parent"))
        for c in channel.findall(f"{WP}category")
    ]
    assert categories.index(("work", "")) < categories.index(("shifts", "work"))
    assert [t.findtext(f"{WP}tag_slug") for t in channel.findall(f"{WP}tag")] == ["night"]
    series = channel.find(f"{WP}term")
    assert series.findtext(f"{WP}term_taxonomy") == "series"
    assert series.findtext(f"{WP}term_name") == "Nights"

    by_slug = items(root)
    post = by_slug["night-shift-1"]
    body = blog["post"].body
    assert post.findtext(f"{CONTENT}encoded") == f"<!-- wp:html -->\n{body}\n<!-- /wp:html -->"
    assert post.findtext(f"{WP}status") == "publish"
    assert post.findtext(f"{WP}post_type") == "post"
    terms = {(c.get("domain"), c.get("nicename")) for c in post.findall("category")}
    assert terms == {("category", "shifts"), ("post_tag", "night"), ("series", "nights")}
    meta = {m.findtext(f"{WP}meta_key"): m.findtext(f"{WP}meta_value")
            for m in post.findall(f"{WP}postmeta")}  # fmt: skip
    lamp = next(i for i in by_slug.values() if i.findtext(f"{WP}post_type") == "attachment")
    assert meta == {"_series_part": "3", "_thumbnail_id": lamp.findtext(f"{WP}post_id")}
    assert lamp.findtext(f"{WP}attachment_url").startswith("http")
    assert lamp.findtext("{http://wordpress.org/export/1.2/excerpt/}encoded") == "The lamp at night"

    comments = {c.findtext(f"{WP}comment_id"): c for c in post.findall(f"{WP}comment")}
    top, reply = comments[str(blog["top"].pk)], comments[str(blog["reply"].pk)]
    assert top.findtext(f"{WP}comment_parent") == "0"
    assert reply.findtext(f"{WP}comment_parent") == str(blog["top"].pk)
    assert top.findtext(f"{WP}comment_author_email") == "reader@example.com"
    assert top.findtext(f"{WP}comment_author_IP") == "192.0.2.7"
    states = {c.findtext(f"{WP}comment_content"): c.findtext(f"{WP}comment_approved")
              for c in comments.values()}  # fmt: skip
    assert states["Held one."] == "0" and states["Buy now."] == "spam"
    assert states["A reply ]]&gt; here."] == "1"

    assert by_slug["unfinished"].findtext(f"{WP}status") == "draft"
    assert by_slug["unfinished"].findtext(f"{WP}post_date_gmt") == "0000-00-00 00:00:00"
    page = by_slug["about"]
    assert page.findtext(f"{WP}post_type") == "page"
    assert [c.findtext(f"{WP}comment_content") for c in page.findall(f"{WP}comment")] == [
        "On a page."
    ]
    ids = [i.findtext(f"{WP}post_id") for i in by_slug.values()]
    assert len(ids) == len(set(ids)) == 4  # one id sequence for posts, pages and images


def test_no_personal_data_leaves_out_emails_and_addresses(blog):
    text = export("--no-personal-data")
    assert "reader@example.com" not in text and "pat@example.com" not in text
    assert "mara@example.com" not in text and "192.0.2.7" not in text
    assert blog["top"].comment in text  # the comments themselves stay


def test_output_file(blog, tmp_path):
    target = tmp_path / "out.xml"
    assert export("-o", str(target)) == ""
    ET.parse(target)
    assert "night-shift-1" in target.read_text(encoding="utf-8")


def test_unwritable_output_is_a_clear_error(blog, tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Cannot write"):
        export("-o", str(tmp_path / "missing" / "out.xml"))


def many_comments(posts, per_post):
    """Threads of two (a comment and a reply), inserted in bulk as the benchmark does."""
    when = timezone.now() - timedelta(days=1)
    drafts = []
    for post in posts:
        for n in range(per_post):
            parent = len(drafts) - 1 if n % 2 else None
            drafts.append(Draft(post.pk, parent, "x" * 400, when, "R", "r@example.com"))
    insert_comments(drafts)


def peak_export_memory():
    tracemalloc.start()
    written = sum(len(chunk) for chunk in export_chunks())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, written


def test_memory_stays_flat_as_comments_grow():
    posts = bulk_posts(10)
    peak_export_memory()  # first use: imports and caches, not the export's own
    many_comments(posts, 12)  # 120 comments
    small_peak, small_size = peak_export_memory()
    many_comments(posts, 108)  # 1,200 comments
    large_peak, large_size = peak_export_memory()
    assert large_size > 8 * small_size
    # Ten times the output, well under twice the memory.
    assert large_peak < 2 * small_peak, (small_peak, large_peak)


EXPORT_URL = "/admin/wordpress/importeditem/export/"


def download(client, query=""):
    response = client.get(EXPORT_URL + query)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_superuser_downloads_the_export_as_a_stream(client, blog):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    response, body = download(client)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="blog-')
    root = ET.fromstring(body)
    assert root.find("channel").findtext(f"{WP}wxr_version") == "1.2"
    assert b"reader@example.com" in body
    _, without = download(client, "?personal=0")
    assert b"reader@example.com" not in without and b"192.0.2.7" not in without
    page = client.get("/admin/wordpress/importeditem/")
    assert EXPORT_URL.encode() in page.content


def test_staff_with_the_export_permission_may_download(client, blog):
    from django.contrib.auth.models import Permission

    exporter = UserFactory(username="exporter", is_staff=True)
    exporter.user_permissions.add(Permission.objects.get(codename="export"))
    client.force_login(exporter)
    assert download(client)[0].status_code == 200


def test_moderators_and_editors_may_not_download(client, blog, moderator, staff_client):
    assert download(staff_client)[0].status_code == 403
    client.force_login(moderator)
    response, body = download(client)
    assert response.status_code == 403 and b"reader@example.com" not in body


def test_anonymous_visitors_are_sent_to_log_in(client, blog):
    response = client.get(EXPORT_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_categories_in_a_loop_are_still_written():
    from blog.models import Category

    first = CategoryFactory(slug="first")
    second = CategoryFactory(slug="second", parent=first)
    Category.objects.filter(pk=first.pk).update(parent=second)  # bad data, not via clean()
    root = ET.fromstring(export().encode())
    slugs = [c.findtext(f"{WP}category_nicename") for c in root.iter(f"{WP}category")]
    assert sorted(slugs) == ["first", "second"]


def queries_for_export():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        export()
    return len(queries)


def test_queries_do_not_grow_with_posts_and_comments():
    tags = [TagFactory()]
    for _ in range(3):
        CommentFactory(post=PostFactory(tags=tags, categories=[CategoryFactory()]))
    queries_for_export()  # content types are cached on first use
    few = queries_for_export()
    for _ in range(12):
        post = PostFactory(tags=tags, categories=[CategoryFactory()])
        CommentFactory(post=post, parent=CommentFactory(post=post))
    assert queries_for_export() == few
