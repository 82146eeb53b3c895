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


class WXRError(Exception):
    """The file cannot be read as a WordPress export; the message says why."""


class UnsafeFile(WXRError):
    pass


class BrokenFile(WXRError):
    pass


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
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class Term:
    """A category or a tag (`taxonomy`), declared in the header or used by an item."""

    taxonomy: str
    slug: str
    name: str
    parent_slug: str = ""
    description: str = ""


@dataclass
class Comment:
    wp_id: str
    parent_wp_id: str
    author: str
    email: str
    url: str
    ip: str
    user_agent: str
    date: str
    date_gmt: str
    content: str
    approved: str
    type: str


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


class FilteredFile:
    """A binary file without the bytes XML forbids, counting what has been read."""

    def __init__(self, raw):
        self.raw = raw
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = self.raw.read(size)
        self.bytes_read += len(chunk)
        return chunk.translate(None, FORBIDDEN_BYTES)


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


def parse(source) -> Iterator[Channel | Author | Term | Item]:
    """Yield the channel (first), then authors, terms and items as they come.

    Raises UnsafeFile before anything is yielded for a file with a DTD, and
    BrokenFile where a malformed or truncated file stops making sense.
    """
    channel, channel_element, channel_sent, depth = Channel(), None, False, 0
    events = iterparse(source, events=("start", "end"), forbid_dtd=True)
    try:
        for event, element in events:
            if event == "start":
                depth += 1
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
    except DefusedXmlException as exc:
        raise UnsafeFile(
            "The file was refused as unsafe: it contains a document type declaration "
            "(<!DOCTYPE …>), which can define entities that read local files or expand "
            "without end. WordPress exports never contain one. Nothing was imported."
        ) from exc
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


def channel_part(channel, name, element):
    """A record for an element of the channel, or None once its value is noted."""
    if name == "item":
        return read_item(element)
    if name == "wp:author":
        return read_author(element)
    if name in ("wp:category", "wp:tag"):
        return read_declared_term(name, texts(element))
    simple = {
        "title": "title",
        "link": "link",
        "wp:base_site_url": "base_site_url",
        "wp:base_blog_url": "base_blog_url",
        "wp:wxr_version": "wxr_version",
    }
    if name in simple:
        setattr(channel, simple[name], (element.text or "").strip())
    elif name == "wp:term":
        # WXR 1.2's generic term: menus, post formats and custom taxonomies.
        values = texts(element)
        return Term(
            taxonomy=values.get("wp:term_taxonomy", "").strip(),
            slug=values.get("wp:term_slug", "").strip(),
            name=values.get("wp:term_name", "").strip(),
            parent_slug=values.get("wp:term_parent", "").strip(),
            description=values.get("wp:term_description", "").strip(),
        )
    return None


def read_author(element):
    values = texts(element)
    return Author(
        login=values.get("wp:author_login", "").strip(),
        email=values.get("wp:author_email", "").strip(),
        display_name=values.get("wp:author_display_name", "").strip(),
        first_name=values.get("wp:author_first_name", "").strip(),
        last_name=values.get("wp:author_last_name", "").strip(),
    )


def read_declared_term(name, values):
    if name == "wp:category":
        return Term(
            taxonomy="category",
            slug=values.get("wp:category_nicename", "").strip(),
            name=values.get("wp:cat_name", "").strip(),
            parent_slug=values.get("wp:category_parent", "").strip(),
            description=values.get("wp:category_description", "").strip(),
        )
    return Term(
        taxonomy="post_tag",
        slug=values.get("wp:tag_slug", "").strip(),
        name=values.get("wp:tag_name", "").strip(),
        description=values.get("wp:tag_description", "").strip(),
    )


def read_item(element):
    values = texts(element)
    item = Item(
        wp_id=values.get("wp:post_id", "").strip(),
        post_type=values.get("wp:post_type", "post").strip() or "post",
        title=values.get("title", "").strip(),
        link=values.get("link", "").strip(),
        guid=values.get("guid", "").strip(),
        pub_date=values.get("pubDate", "").strip(),
        creator=values.get("dc:creator", "").strip(),
        content=values.get("content:encoded", ""),
        excerpt=values.get("excerpt:encoded", ""),
        slug=values.get("wp:post_name", "").strip(),
        status=values.get("wp:status", "").strip(),
        password=values.get("wp:post_password", ""),
        sticky=values.get("wp:is_sticky", "0").strip() == "1",
        comment_status=values.get("wp:comment_status", "").strip(),
        date=values.get("wp:post_date", "").strip(),
        date_gmt=values.get("wp:post_date_gmt", "").strip(),
        modified=values.get("wp:post_modified", "").strip(),
        modified_gmt=values.get("wp:post_modified_gmt", "").strip(),
        parent_wp_id=values.get("wp:post_parent", "0").strip(),
        menu_order=int(values.get("wp:menu_order", "0").strip() or 0),
        attachment_url=values.get("wp:attachment_url", "").strip(),
    )
    for child in element:
        name = short_name(child.tag)
        if name == "category":
            term = read_item_term(child)
            if term is not None:
                item.terms.append(term)
        elif name == "wp:comment":
            item.comments.append(read_comment(texts(child)))
    return item


def read_item_term(element):
    # WXR 1.0 lists each category twice, once without a domain: skip that one.
    domain = element.get("domain", "")
    taxonomy = {"category": "category", "post_tag": "post_tag", "tag": "post_tag"}.get(domain)
    if taxonomy is None:
        return None
    name = (element.text or "").strip()
    return Term(taxonomy=taxonomy, slug=(element.get("nicename") or "").strip(), name=name)


def read_comment(values):
    return Comment(
        wp_id=values.get("wp:comment_id", "").strip(),
        parent_wp_id=values.get("wp:comment_parent", "0").strip() or "0",
        author=values.get("wp:comment_author", "").strip(),
        email=values.get("wp:comment_author_email", "").strip(),
        url=values.get("wp:comment_author_url", "").strip(),
        ip=values.get("wp:comment_author_IP", "").strip(),
        user_agent=values.get("wp:comment_agent", "").strip(),
        date=values.get("wp:comment_date", "").strip(),
        date_gmt=values.get("wp:comment_date_gmt", "").strip(),
        content=values.get("wp:comment_content", ""),
        approved=values.get("wp:comment_approved", "1").strip(),
        type=values.get("wp:comment_type", "").strip(),
    )
