"""The one HTML sanitiser: authored posts and pages, and imported content, pass through it.

An allow-list of what real blog posts use; everything else (scripts, styles,
event handlers, `javascript:` URLs, iframes, forms) is dropped by nh3.
"""

import html
import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6",
    "a", "strong", "b", "em", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup",
    "abbr", "cite", "q", "kbd", "samp", "var", "time",
    "ul", "ol", "li", "dl", "dt", "dd",
    "blockquote", "pre", "code",
    "figure", "figcaption", "img", "picture", "source",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col",
    "div", "span",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    # srcset, sizes, width, height and loading come from blog/images.py on save.
    "img": {"src", "alt", "title", "width", "height", "loading", "srcset", "sizes"},
    "source": {"srcset", "sizes", "type"},
    "abbr": {"title"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "ol": {"start", "reversed", "type"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
    "code": {"class"},
    "pre": {"class"},
}

URL_SCHEMES = {"http", "https", "mailto"}

# Galleries (imported from WordPress's [gallery]): a grid of figures, its columns
# a class that site.css knows.
ALLOWED_CLASSES = {"div": {"gallery", *(f"gallery-columns-{n}" for n in range(1, 10))}}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    allowed_classes=ALLOWED_CLASSES,
    url_schemes=URL_SCHEMES,
    # nh3 adds rel="noopener noreferrer" to every link: safe for outbound links.
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def sanitize_html(html: str) -> str:
    """Return `html` with everything outside the allow-list removed."""
    return _cleaner.clean(html or "").strip()


BLOCK_END = re.compile(
    r"</(p|h[1-6]|li|dt|dd|blockquote|pre|figcaption|td|th|tr|div)>|<br\s*/?>|<hr\s*/?>", re.I
)
TAG = re.compile(r"<[^>]*>")


def html_to_text(body: str) -> str:
    """Plain text of sanitised HTML, blocks kept apart, for excerpts and search."""
    text = TAG.sub("", BLOCK_END.sub(" ", body or ""))
    return " ".join(html.unescape(text).split())
