"""WordPress markup to this blog's HTML and plain text.

A body goes the way WordPress shows it: block-editor content is already HTML (its
`<!-- wp:… -->` comments are dropped), classic content gets `wpautop`; then the
shortcodes are converted and the result goes through the blog's one sanitiser
(and gets the responsive image markup a save gives it, so a second import compares
like with like).
"""

import html
import re
from dataclasses import dataclass, field

from django.utils.html import strip_tags

from blog.models import prepare_html

from .shortcodes import convert_shortcodes
from .wpautop import wpautop

BLOCK_COMMENT = re.compile(
    r"<!--\s+(/?)wp:([a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s+(?:\{.*?\}\s+)?(/?)-->", re.DOTALL
)
MORE = re.compile(r"<!--more(.*?)?-->")
# Where WordPress splits a post into pages; this blog shows a post whole.
NEXT_PAGE = re.compile(r"<!--nextpage-->")
LINK = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"']+)["'][^>]*>(.*?)</a>""", re.I | re.S)
LINE_BREAK = re.compile(r"<br\s*/?>", re.I)
PARAGRAPH_EDGE = re.compile(r"</?p(?:\s[^>]*)?>", re.I)
SPACES = re.compile(r"\s+")
BLANK_LINES = re.compile(r"\n\s*\n\s*")


@dataclass
class Body:
    html: str
    teaser: str = ""  # the plain text before <!--more-->, if there is one
    notes: list[str] = field(default_factory=list)


def render_body(raw):
    """A post's or page's stored body from its WordPress content."""
    notes = []
    has_blocks = BLOCK_COMMENT.search(raw) is not None
    text, dynamic = drop_block_comments(NEXT_PAGE.sub("", MORE.sub("", raw)))
    if dynamic:
        names = ", ".join(f"wp:{name}" for name in dict.fromkeys(dynamic))
        notes.append(f"dynamic blocks removed (WordPress drew them when showing a page): {names}")
    # WordPress (5.0+) skips wpautop for block-editor content.
    if not has_blocks:
        text = wpautop(text)
    text, shortcode_notes = convert_shortcodes(text)
    notes += shortcode_notes
    teaser = ""
    if (more := MORE.search(raw)) is not None:
        teaser = plain_text(convert_shortcodes(drop_block_comments(raw[: more.start()])[0])[0])
    return Body(html=prepare_html(text), teaser=teaser, notes=notes)


def drop_block_comments(text):
    """Text without block-editor comments, and the names of self-closing (dynamic) blocks."""
    dynamic = []

    def drop(match):
        closing, name, self_closing = match.groups()
        if self_closing and not closing:
            dynamic.append(name)
        return ""

    return BLOCK_COMMENT.sub(drop, text), dynamic


def plain_text(markup):
    """One line of plain text: tags dropped, entities decoded, spaces collapsed."""
    return SPACES.sub(" ", html.unescape(strip_tags(markup or ""))).strip()


def comment_text(markup):
    """A WordPress comment (limited HTML) as this blog stores comments: plain text
    with its paragraphs and line breaks, and each link's address kept beside its words."""

    def link(match):
        url, words = match.group(1), plain_text(match.group(2))
        return url if words in ("", url) else f"{words} ({url})"

    text = LINK.sub(link, (markup or "").replace("\r\n", "\n"))
    text = LINE_BREAK.sub("\n", text)
    text = PARAGRAPH_EDGE.sub("\n\n", text)
    text = html.unescape(strip_tags(text))
    return BLANK_LINES.sub("\n\n", text).strip()
