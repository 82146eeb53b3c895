"""Read a WXR file as a stream of plain records, safely.

The file is untrusted: defusedxml refuses any document type declaration, so no
external entity can be read and no entity can expand ("billion laughs"). Elements
are cleared as soon as they are turned into records, so memory stays flat however
large the file is.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from . import limits as guard
from .errors import BrokenFile, Refused, UnsafeFile, WXRError

# Namespaces by what they mean, whatever the WXR version in their URI.
NAMESPACES = [
    (re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/$"), "excerpt"),
    (re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/$"), "wp"),
    (re.compile(r"^http://purl\.org/rss/1\.0/modules/content/$"), "content"),
    (re.compile(r"^http://purl\.org/dc/elements/1\.1/$"), "dc"),
]

# Bytes that XML forbids but WordPress exports sometimes carry (pasted control
# characters); none of them can be part of a UTF-8 multi-byte sequence.
FORBIDDEN_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


__all__ = ["BrokenFile", "FilteredFile", "Refused", "UnsafeFile", "WXRError", "parse"]


@dataclass
class Channel:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""

    @property
    def site(self):
        """The key that tells this blog's items from another blog's with the same ids."""
        return (self.base_blog_url or self.link or self.base_site_url).rstrip("/")


@dataclass
class Author:
    login: str
    wp_id: str = ""  # wp:author_id, which old ?author=<id> links name
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class Term:
    """A category or a tag (`taxonomy`), declared in the header or used by an item."""

    taxonomy: str = ""
    wp_id: str = ""  # wp:term_id, which old ?cat=<id> links name
    slug: str = ""
    name: str = ""
    parent_slug: str = ""
    description: str = ""


@dataclass
class Comment:
    wp_id: str
    parent_wp_id: str = "0"
    author: str = ""
    email: str = ""
    url: str = ""
    ip: str = ""
    user_agent: str = ""
    date: str = ""
    date_gmt: str = ""
    content: str = ""
    approved: str = "1"
    type: str = ""


@dataclass
class Item:
    wp_id: str
    post_type: str
    title: str = ""
    link: str = ""
    guid: str = ""
    pub_date: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    slug: str = ""
    status: str = ""
    password: str = ""
    sticky: bool = False
    comment_status: str = ""
    date: str = ""
    date_gmt: str = ""
    modified: str = ""
    modified_gmt: str = ""
    parent_wp_id: str = ""
    menu_order: int = 0
    attachment_url: str = ""
    terms: list[Term] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)  # wp:postmeta, first value of each key


class FilteredFile:
    """A binary file without the bytes XML forbids, counting what has been read.

    It also keeps the limits (wordpress/limits.py) that need the bytes themselves:
    the size of the record being read (`start_record` marks where it began), and
    the declared encoding, checked on the first read; `encoding` overrides it."""

    def __init__(self, raw, limits=None, encoding=None):
        self.raw = raw
        self.bytes_read = 0
        self.limits = limits
        self.encoding = encoding
        self.record_start = 0
        self.single_byte_name = None  # declared latin-1 or cp1252: watched for UTF-8
        self.tail = b""  # the last bytes of the previous chunk, for sequences across two

    def start_record(self):
        self.record_start = self.bytes_read

    def read(self, size=-1):
        first = self.bytes_read == 0
        chunk = self.raw.read(size)
        self.bytes_read += len(chunk)
        if first:
            chunk = self.check_declaration(chunk)
        limits = self.limits
        if limits and self.bytes_read - self.record_start > limits.max_item_bytes:
            raise guard.too_many_bytes(limits, self.record_start)
        if self.single_byte_name and (found := guard.UTF8_SEQUENCE.search(self.tail + chunk)):
            offset = self.bytes_read - len(chunk) - len(self.tail) + found.start()
            raise guard.looks_like_utf8(self.single_byte_name, offset)
        self.tail = chunk[-3:]
        return chunk.translate(None, FORBIDDEN_BYTES)

    def check_declaration(self, head):
        """Refuse an encoding expat cannot read; watch a single-byte one for UTF-8.
        `encoding`, when given, replaces the declaration and is trusted as it is."""
        if self.encoding:
            guard.check_encoding(self.encoding)
            return guard.with_declared_encoding(head, self.encoding)
        name = guard.declared_encoding(head)
        if name and guard.check_encoding(name) in guard.SINGLE_BYTE:
            self.single_byte_name = name
        return head


def short_name(tag):
    """`{https://wordpress.org/export/1.2/}post_id` → `wp:post_id`."""
    if not tag.startswith("{"):
        return tag
    uri, _, local = tag[1:].partition("}")
    for pattern, prefix in NAMESPACES:
        if pattern.match(uri):
            return f"{prefix}:{local}"
    return local


def texts(element):
    """The text of each child, by short name (the first of each name)."""
    found = {}
    for child in element:
        found.setdefault(short_name(child.tag), (child.text or "").strip("\r\n"))
    return found


def parse(source, limits=None) -> Iterator[Channel | Author | Term | Item]:
    """Yield the channel (first), then authors, terms and items as they come.

    Raises UnsafeFile before anything is yielded for a file with a DTD, and
    BrokenFile where a malformed or truncated file stops making sense. With
    `limits` (wordpress/limits.py), Refused for a record nested too deep or holding
    too many elements (a FilteredFile `source` also guards its bytes and encoding).
    """
    channel, channel_element, channel_sent, depth = Channel(), None, False, 0
    elements = 0  # since the last record was dropped: what the tree holds
    start_record = getattr(source, "start_record", lambda: None)

    def position():
        return getattr(source, "bytes_read", 0)

    events = iterparse(source, events=("start", "end"), forbid_dtd=True)
    try:
        for event, element in events:
            if event == "start":
                depth += 1
                elements += 1
                if limits and depth > limits.max_depth:
                    raise guard.too_deep(limits, position())
                if limits and elements > limits.max_elements:
                    raise guard.too_many_elements(limits, position())
                if depth == 1 and short_name(element.tag) != "rss":
                    raise BrokenFile("This is not a WordPress export: it is not an RSS file.")
                if depth == 2 and short_name(element.tag) == "channel":
                    channel_element = element
                continue
            depth -= 1
            if depth != 2 or channel_element is None:
                continue
            name = short_name(element.tag)
            record = channel_part(channel, name, element)
            if record is not None:
                if not channel_sent:
                    yield check_channel(channel)
                    channel_sent = True
                yield record
            # Drop what has been read so the tree never grows.
            channel_element.clear()
            elements = 0
            start_record()
    except DefusedXmlException as exc:
        raise UnsafeFile(
            "The file was refused as unsafe: it contains a document type declaration "
            "(<!DOCTYPE …>), which can define entities that read local files or expand "
            "without end. WordPress exports never contain one. Nothing was imported."
        ) from exc
    except (LookupError, ValueError) as exc:
        # expat, on an encoding it cannot read (FilteredFile refuses these first).
        if "encoding" not in str(exc):
            raise
        raise Refused(f"The file's encoding cannot be read: {exc}.") from exc
    except ParseError as exc:
        line, column = exc.position
        if "no element found" in str(exc) or "unclosed token" in str(exc):
            raise BrokenFile(f"The file ends early, at line {line}: it looks truncated.") from exc
        message = f"The file is not well-formed XML at line {line}, column {column}: {exc}."
        raise BrokenFile(message) from exc
    if not channel_sent:
        if channel_element is None:
            raise BrokenFile("This is not a WordPress export: it has no RSS channel.")
        yield check_channel(channel)


def check_channel(channel):
    if not channel.wxr_version:
        raise BrokenFile("This is not a WordPress export: it has no wp:wxr_version.")
    return channel


# Record field ← WXR element, for each kind of record.
CHANNEL_FIELDS = {
    "title": "title",
    "link": "link",
    "base_site_url": "wp:base_site_url",
    "base_blog_url": "wp:base_blog_url",
    "wxr_version": "wp:wxr_version",
}
AUTHOR_FIELDS = {
    "login": "wp:author_login",
    "wp_id": "wp:author_id",
    "email": "wp:author_email",
    "display_name": "wp:author_display_name",
    "first_name": "wp:author_first_name",
    "last_name": "wp:author_last_name",
}
TERM_FIELDS = {
    "wp:category": {
        "wp_id": "wp:term_id",
        "slug": "wp:category_nicename",
        "name": "wp:cat_name",
        "parent_slug": "wp:category_parent",
        "description": "wp:category_description",
    },
    "wp:tag": {
        "wp_id": "wp:term_id",
        "slug": "wp:tag_slug",
        "name": "wp:tag_name",
        "description": "wp:tag_description",
    },
    # WXR 1.2's generic term: menus, post formats and custom taxonomies.
    "wp:term": {
        "wp_id": "wp:term_id",
        "taxonomy": "wp:term_taxonomy",
        "slug": "wp:term_slug",
        "name": "wp:term_name",
        "parent_slug": "wp:term_parent",
        "description": "wp:term_description",
    },
}
TERM_TAXONOMIES = {"wp:category": "category", "wp:tag": "post_tag"}
# An item's terms by `domain`; `series` is what export_wxr writes (wordpress/export.py).
ITEM_TAXONOMIES = {"category": "category", "post_tag": "post_tag", "tag": "post_tag",
                   "series": "series"}  # fmt: skip
ITEM_FIELDS = {
    "wp_id": "wp:post_id",
    "post_type": "wp:post_type",
    "title": "title",
    "link": "link",
    "guid": "guid",
    "pub_date": "pubDate",
    "creator": "dc:creator",
    "slug": "wp:post_name",
    "status": "wp:status",
    "comment_status": "wp:comment_status",
    "date": "wp:post_date",
    "date_gmt": "wp:post_date_gmt",
    "modified": "wp:post_modified",
    "modified_gmt": "wp:post_modified_gmt",
    "parent_wp_id": "wp:post_parent",
    "attachment_url": "wp:attachment_url",
}
# Content keeps its leading and trailing white space: wpautop reads it.
ITEM_TEXT_FIELDS = {
    "content": "content:encoded",
    "excerpt": "excerpt:encoded",
    "password": "wp:post_password",
}
COMMENT_FIELDS = {
    "wp_id": "wp:comment_id", "parent_wp_id": "wp:comment_parent",
    "author": "wp:comment_author", "email": "wp:comment_author_email",
    "url": "wp:comment_author_url", "ip": "wp:comment_author_IP",
    "user_agent": "wp:comment_agent", "date": "wp:comment_date",
    "date_gmt": "wp:comment_date_gmt", "approved": "wp:comment_approved",
    "type": "wp:comment_type",
}  # fmt: skip


def fields(values, table, strip=True):
    return {
        name: values.get(tag, "").strip() if strip else values.get(tag, "")
        for name, tag in table.items()
    }


def channel_part(channel, name, element):
    """A record for an element of the channel, or None once its value is noted."""
    if name == "item":
        return read_item(element)
    if name == "wp:author":
        return Author(**fields(texts(element), AUTHOR_FIELDS))
    if name in TERM_FIELDS:
        values = fields(texts(element), TERM_FIELDS[name])
        values.setdefault("taxonomy", TERM_TAXONOMIES.get(name, ""))
        return Term(**values)
    for field_name, tag in CHANNEL_FIELDS.items():
        if name == tag:
            setattr(channel, field_name, (element.text or "").strip())
    return None


def read_item(element):
    values = texts(element)
    item = Item(**fields(values, ITEM_FIELDS), **fields(values, ITEM_TEXT_FIELDS, strip=False))
    item.post_type = item.post_type or "post"
    item.parent_wp_id = item.parent_wp_id or "0"
    item.sticky = values.get("wp:is_sticky", "0").strip() == "1"
    menu_order = values.get("wp:menu_order", "").strip()
    item.menu_order = int(menu_order) if menu_order.lstrip("-").isdigit() else 0
    for child in element:
        name = short_name(child.tag)
        if name == "category" and (term := read_item_term(child)) is not None:
            item.terms.append(term)
        elif name == "wp:comment":
            item.comments.append(read_comment(texts(child)))
        elif name == "wp:postmeta":
            meta = texts(child)
            item.meta.setdefault(meta.get("wp:meta_key", "").strip(), meta.get("wp:meta_value", ""))
    return item


def read_item_term(element):
    # WXR 1.0 lists each category twice, once without a domain: skip that one.
    domain = element.get("domain", "")
    taxonomy = ITEM_TAXONOMIES.get(domain)
    if taxonomy is None:
        return None
    name = (element.text or "").strip()
    return Term(taxonomy=taxonomy, slug=(element.get("nicename") or "").strip(), name=name)


def read_comment(values):
    comment = Comment(
        **fields(values, COMMENT_FIELDS), content=values.get("wp:comment_content", "")
    )
    comment.parent_wp_id = comment.parent_wp_id or "0"
    comment.approved = comment.approved or "1"
    return comment
