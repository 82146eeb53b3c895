"""The whole blog as a WordPress export (WXR 1.2), written as a stream.

Nothing is held whole: entries are read in keyset batches of BATCH_SIZE with their
terms, series parts and comments fetched per batch, and the XML is handed out in
chunks as it is written, so memory stays flat whatever the blog's size.

WordPress numbers posts, pages and attachments in one sequence, so the export gives
each kind its own range: posts keep their pk, pages follow the highest post pk,
images follow the highest page. Series are a custom taxonomy `series` (one term per
series, on each part) with the part number in the post's `_series_part` meta:
WordPress keeps the meta and, once a `series` taxonomy is registered, the terms;
`import_wxr` turns both back into series parts.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC
from email.utils import format_datetime
from html import escape
from io import StringIO
from xml.sax.saxutils import XMLGenerator

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, Max
from django.db.models.functions import Cast
from django.utils import timezone

from blog.models import Category, Image, Page, Post, Status, Tag
from comments.models import BlogComment, State
from series.models import Series, SeriesPart

from .series_rules import SERIES_PART_META, SERIES_TAXONOMY

BATCH_SIZE = 500
COMMENT_CHUNK = 100  # comments fetched at a time
CHUNK_CHARS = 64 * 1024  # handed out once this much is written
WXR_VERSION = "1.2"
NAMESPACES = {
    "excerpt": f"http://wordpress.org/export/{WXR_VERSION}/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": f"http://wordpress.org/export/{WXR_VERSION}/",
}
HIDDEN_FROM_MENU_META = "_show_in_menu"  # "0" on a page kept out of the navigation
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
NO_DATE = "0000-00-00 00:00:00"
APPROVED = {State.PUBLIC: "1", State.HELD: "0", State.SPAM: "spam"}
PINGS = ("pingback", "trackback")


@dataclass
class IdRanges:
    """WordPress ids: one sequence for posts, pages and attachments."""

    page_offset: int
    image_offset: int

    @classmethod
    def current(cls):
        posts = Post.objects.aggregate(top=Max("pk"))["top"] or 0
        pages = Page.objects.aggregate(top=Max("pk"))["top"] or 0
        return cls(page_offset=posts, image_offset=posts + pages)

    def post(self, pk):
        return pk

    def page(self, pk):
        return self.page_offset + pk

    def image(self, pk):
        return self.image_offset + pk


def export_chunks(personal_data=True, progress=None):
    """Yield the export as text chunks; `progress(n)` is called per entry written."""
    buffer = StringIO()
    writer = Writer(buffer)
    exporter = Exporter(writer, personal_data, progress or (lambda n=1: None))
    for _ in exporter.sections():
        if buffer.tell() >= CHUNK_CHARS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def entry_count():
    """How many entries (posts, pages, images) an export writes: for a progress bar."""
    return Post.objects.count() + Page.objects.count() + Image.objects.count()


class Writer:
    """A small layer over XMLGenerator: elements by prefixed name, CDATA for HTML."""

    def __init__(self, out):
        self.out = out
        self.xml = XMLGenerator(out, encoding="utf-8", short_empty_elements=False)

    def start(self, name, attrs=None):
        self.xml.startElement(name, attrs or {})

    def end(self, name):
        self.xml.endElement(name)
        self.out.write("\n")

    def text(self, name, value, attrs=None):
        self.xml.startElement(name, attrs or {})
        self.xml.characters("" if value is None else str(value))
        self.xml.endElement(name)
        self.out.write("\n")

    def cdata(self, name, value, attrs=None):
        """HTML as WordPress writes it: in CDATA, `]]>` split across two sections."""
        self.xml.startElement(name, attrs or {})
        value = clean_xml_text("" if value is None else str(value))
        self.out.write("<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>")
        self.xml.endElement(name)
        self.out.write("\n")


def clean_xml_text(value):
    # XML 1.0 cannot carry most control characters, even in CDATA.
    return NOT_IN_XML.sub("", value)


def wp_date(value):
    """(local, gmt) in WordPress's format; WordPress's zero date for none."""
    if value is None:
        return NO_DATE, NO_DATE
    local = timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    return local, value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def absolute(path):
    return path if "://" in path else f"{settings.SITE_URL}{path}"


def batches(queryset, size=BATCH_SIZE):
    """The queryset's rows in pk order, `size` at a time, by keyset (no OFFSET)."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


class Exporter:
    def __init__(self, writer, personal_data, progress):
        self.w = writer
        self.personal_data = personal_data
        self.progress = progress
        self.ids = IdRanges.current()
        self.now = timezone.now()

    def sections(self):
        """Write the file part by part, yielding after each so it can be flushed."""
        w = self.w
        w.xml.startDocument()
        w.out.write("\n")
        w.start("rss", {"version": "2.0", **{f"xmlns:{p}": uri for p, uri in NAMESPACES.items()}})
        w.start("channel")
        self.channel()
        yield
        yield from self.authors()
        yield from self.terms()
        yield from self.entries(Post, self.ids.post, "post")
        yield from self.entries(Page, self.ids.page, "page")
        yield from self.images()
        w.end("channel")
        w.end("rss")
        w.xml.endDocument()
        yield

    def channel(self):
        w = self.w
        w.text("title", settings.SITE_NAME)
        w.text("link", settings.SITE_URL)
        w.text("description", "")
        w.text("pubDate", format_datetime(self.now))
        w.text("language", settings.LANGUAGE_CODE)
        w.text("wp:wxr_version", WXR_VERSION)
        w.text("wp:base_site_url", settings.SITE_URL)
        w.text("wp:base_blog_url", settings.SITE_URL)
        w.text("generator", "serial-blog export_wxr")

    def authors(self):
        users = get_user_model().objects.filter(pk__in=Post.objects.values("author_id"))
        for batch in batches(users.select_related("profile")):
            for user in batch:
                w = self.w
                w.start("wp:author")
                w.text("wp:author_id", user.pk)
                w.cdata("wp:author_login", user.get_username())
                w.cdata("wp:author_email", user.email if self.personal_data else "")
                w.cdata("wp:author_display_name", display_name(user))
                w.cdata("wp:author_first_name", user.first_name)
                w.cdata("wp:author_last_name", user.last_name)
                w.end("wp:author")
            yield

    def terms(self):
        w = self.w
        # WordPress's importer links a category to its parent only if the parent came first.
        rows = list(Category.objects.values_list("pk", "parent_id", "slug"))
        for batch in ordered_batches(parents_first(rows)):
            by_pk = Category.objects.select_related("parent").in_bulk(batch)
            for pk in batch:
                category = by_pk[pk]
                w.start("wp:category")
                w.text("wp:term_id", category.pk)
                w.cdata("wp:category_nicename", category.slug)
                w.cdata("wp:category_parent", category.parent.slug if category.parent else "")
                w.cdata("wp:cat_name", category.name)
                w.cdata("wp:category_description", category.description)
                w.end("wp:category")
            yield
        for batch in batches(Tag.objects.all()):
            for tag in batch:
                w.start("wp:tag")
                w.text("wp:term_id", tag.pk)
                w.cdata("wp:tag_slug", tag.slug)
                w.cdata("wp:tag_name", tag.name)
                w.end("wp:tag")
            yield
        for batch in batches(Series.objects.all()):
            for series in batch:
                w.start("wp:term")
                w.text("wp:term_id", series.pk)
                w.cdata("wp:term_taxonomy", SERIES_TAXONOMY)
                w.cdata("wp:term_slug", series.slug)
                w.cdata("wp:term_parent", "")
                w.cdata("wp:term_name", series.title)
                w.cdata("wp:term_description", series.description)
                w.end("wp:term")
            yield

    def entries(self, model, wp_id, post_type):
        queryset = model.objects.all()
        if model is Post:
            queryset = queryset.select_related("author").prefetch_related("categories", "tags")
        content_type = ContentType.objects.get_for_model(model)
        for batch in batches(queryset):
            parts = {}
            if model is Post:
                found = SeriesPart.objects.filter(post__in=batch).select_related("series")
                parts = {part.post_id: part for part in found}
            # Comments stream beside the entries (both in pk order), never all at once.
            comments = self.comments_of(content_type, batch)
            pending = next(comments, None)
            for entry in batch:
                self.entry(entry, wp_id(entry.pk), post_type)
                if part := parts.get(entry.pk):
                    self.series_part(part)
                while pending is not None and int(pending.object_pk) <= entry.pk:
                    self.comment(pending)
                    pending = next(comments, None)
                    yield  # a post with thousands of comments is flushed as it goes
                self.w.end("item")
                self.progress(1)
                yield

    def comments_of(self, content_type, entries):
        """Comments on a batch of entries (any entry type), by entry, threads in order."""
        comments = BlogComment.objects.filter(
            content_type=content_type, object_pk__in=[str(e.pk) for e in entries]
        ).order_by(Cast("object_pk", BigIntegerField()), "thread_id", "order", "pk")
        return comments.iterator(chunk_size=COMMENT_CHUNK)

    def entry(self, entry, wp_id, post_type):
        w = self.w
        local, gmt = wp_date(entry.published_at)
        written = entry.published_at or entry.created_at
        url = absolute(entry.get_absolute_url())
        w.start("item")
        w.cdata("title", entry.title)
        w.text("link", url)
        w.text("pubDate", format_datetime(written))
        w.cdata("dc:creator", entry.author.get_username() if post_type == "post" else "")
        w.text("guid", f"{settings.SITE_URL}/?p={wp_id}", {"isPermaLink": "false"})
        w.text("description", "")
        w.cdata("content:encoded", as_html_block(entry.body))
        w.cdata("excerpt:encoded", getattr(entry, "excerpt", ""))
        w.text("wp:post_id", wp_id)
        w.cdata("wp:post_date", local)
        w.cdata("wp:post_date_gmt", gmt)
        modified_local, modified_gmt = wp_date(entry.updated_at)
        w.cdata("wp:post_modified", modified_local)
        w.cdata("wp:post_modified_gmt", modified_gmt)
        w.cdata("wp:comment_status", "open" if getattr(entry, "comments_open", True) else "closed")
        w.cdata("wp:ping_status", "closed")
        w.cdata("wp:post_name", entry.slug)
        w.cdata("wp:status", self.status(entry))
        w.text("wp:post_parent", 0)
        w.text("wp:menu_order", getattr(entry, "menu_order", 0))
        w.cdata("wp:post_type", post_type)
        w.cdata("wp:post_password", "")
        w.text("wp:is_sticky", 1 if getattr(entry, "sticky", False) else 0)
        if post_type == "post":
            for category in entry.categories.all():
                w.cdata(
                    "category", category.name, {"domain": "category", "nicename": category.slug}
                )
            for tag in entry.tags.all():
                w.cdata("category", tag.name, {"domain": "post_tag", "nicename": tag.slug})
            if entry.featured_image_id:
                self.meta("_thumbnail_id", self.ids.image(entry.featured_image_id))
        elif not entry.show_in_menu:
            self.meta(HIDDEN_FROM_MENU_META, 0)

    def status(self, entry):
        if entry.status != Status.PUBLISHED:
            return "draft"
        return "future" if entry.published_at > self.now else "publish"

    def series_part(self, part):
        series = part.series
        self.w.cdata("category", series.title, {"domain": SERIES_TAXONOMY, "nicename": series.slug})
        self.meta(SERIES_PART_META, part.number)

    def meta(self, key, value):
        w = self.w
        w.start("wp:postmeta")
        w.cdata("wp:meta_key", key)
        w.cdata("wp:meta_value", value)
        w.end("wp:postmeta")

    def comment(self, comment):
        w = self.w
        personal = self.personal_data
        local, gmt = wp_date(comment.submit_date)
        top_level = comment.parent_id in (0, None, comment.pk)
        w.start("wp:comment")
        w.text("wp:comment_id", comment.pk)
        w.cdata("wp:comment_author", comment.user_name)
        w.cdata("wp:comment_author_email", comment.user_email if personal else "")
        w.cdata("wp:comment_author_url", comment.user_url)
        w.cdata("wp:comment_author_IP", (comment.ip_address or "") if personal else "")
        w.cdata("wp:comment_date", local)
        w.cdata("wp:comment_date_gmt", gmt)
        # Stored as plain text; WordPress keeps comments as HTML.
        w.cdata("wp:comment_content", escape(comment.comment))
        w.cdata("wp:comment_approved", self.approved(comment))
        w.cdata("wp:comment_type", comment_type(comment))
        w.text("wp:comment_parent", 0 if top_level else comment.parent_id)
        w.text("wp:comment_user_id", comment.user_id or 0)
        if personal and comment.user_agent:
            w.cdata("wp:comment_agent", comment.user_agent)
        w.end("wp:comment")

    def approved(self, comment):
        if comment.is_removed:
            return "trash"
        return APPROVED.get(comment.state, "0")

    def images(self):
        w = self.w
        for batch in batches(Image.objects.all()):
            for image in batch:
                wp_id = self.ids.image(image.pk)
                url = absolute(image.file.url) if image.file else ""
                local, gmt = wp_date(image.uploaded_at)
                name = image.file.name.rsplit("/", 1)[-1].rsplit(".", 1)[0] if image.file else ""
                w.start("item")
                w.cdata("title", image.alt or name)
                w.text("link", url)
                w.text("pubDate", format_datetime(image.uploaded_at))
                w.cdata("dc:creator", "")
                w.text("guid", url, {"isPermaLink": "false"})
                w.text("description", "")
                w.cdata("content:encoded", "")
                w.cdata("excerpt:encoded", image.caption)
                w.text("wp:post_id", wp_id)
                w.cdata("wp:post_date", local)
                w.cdata("wp:post_date_gmt", gmt)
                w.cdata("wp:comment_status", "closed")
                w.cdata("wp:ping_status", "closed")
                w.cdata("wp:post_name", name)
                w.cdata("wp:status", "inherit")
                w.text("wp:post_parent", 0)
                w.text("wp:menu_order", 0)
                w.cdata("wp:post_type", "attachment")
                w.cdata("wp:post_password", "")
                w.text("wp:is_sticky", 0)
                w.cdata("wp:attachment_url", url)
                self.meta("_wp_attachment_image_alt", image.alt)
                w.end("item")
                self.progress(1)
                yield


def as_html_block(body):
    """The body as one Custom HTML block: it is finished HTML, so neither WordPress nor
    import_wxr may add paragraphs and line breaks to it (wpautop skips block content)."""
    return f"<!-- wp:html -->\n{body}\n<!-- /wp:html -->" if body else ""


def comment_type(comment):
    """WordPress's comment type: imported pingbacks and trackbacks say so in `reason`."""
    for kind in PINGS:
        if f"({kind})" in (comment.reason or ""):
            return kind
    return "comment"


def display_name(user):
    profile = getattr(user, "profile", None)
    if profile is not None and profile.display_name:
        return profile.display_name
    return user.get_full_name() or user.get_username()


def parents_first(rows):
    """Category pks ordered so that each parent comes before its children."""
    children = defaultdict(list)
    pks = {pk for pk, _, _ in rows}
    roots = []
    for pk, parent, _slug in sorted(rows, key=lambda row: row[2]):
        (children[parent] if parent in pks else roots).append(pk)
    ordered, stack = [], list(reversed(roots))
    while stack:
        pk = stack.pop()
        ordered.append(pk)
        stack.extend(reversed(children[pk]))
    # A loop of parents (bad data) has no root: write those categories anyway.
    seen = set(ordered)
    return ordered + [pk for pk, _, _ in rows if pk not in seen]


def ordered_batches(pks, size=BATCH_SIZE):
    for start in range(0, len(pks), size):
        yield pks[start : start + size]
