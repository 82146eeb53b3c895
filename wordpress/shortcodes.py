"""WordPress shortcodes that posts commonly carry, turned into plain HTML.

The pattern and the attribute syntax follow WordPress's get_shortcode_regex() and
shortcode_parse_atts(); only the shortcodes named here are touched, as WordPress
only touches registered ones. Each returns its HTML and, where something is lost
(a gallery, a media player), a note for the import report.
"""

import re
from html import escape

# Shortcodes WordPress itself registers, plus the old caption spelling.
KNOWN = ("caption", "wp_caption", "gallery", "embed", "audio", "video", "playlist")
MEDIA_SOURCES = ("src", "0", "mp3", "m4a", "ogg", "wav", "wma", "mp4", "m4v", "webm", "ogv", "flv")

_names = "|".join(KNOWN)
SHORTCODE = re.compile(
    r"\[(\[?)"  # 1: a second bracket escapes the shortcode: [[caption]]
    rf"({_names})(?![\w-])"  # 2: the name
    r"([^\]/]*(?:/(?!\])[^\]/]*)*?)"  # 3: the attributes
    r"(?:(/)\]"  # 4: self-closing
    r"|\](?:([^\[]*+(?:\[(?!/\2\])[^\[]*+)*+)\[/\2\])?)"  # 5: the enclosed content
    r"(\]?)"  # 6: the escaping second closing bracket
)
# WordPress's shortcode_unautop(): a shortcode alone in a paragraph is not a paragraph.
ALONE_IN_PARAGRAPH = re.compile(
    rf"<p>\s*(\[({_names})(?![\w-])[^\]]*\](?:[^\[]*+(?:\[(?!/\2\])[^\[]*+)*+\[/\2\])?)\s*</p>"
)
ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)"""
)
CAPTIONED_IMAGE = re.compile(r"((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)", re.I | re.S)
# A shortcode of a plugin this blog does not have: one with attributes or a closing tag.
OTHER_SHORTCODE = re.compile(r"\[([a-z][\w-]*)(?:\s+[^\[\]]*=[^\[\]]*\]|\][^\[]*\[/\1\])")


def parse_attributes(text):
    """Named values by lower-case name; positional ones by their position ("0", "1"…)."""
    attributes, position = {}, 0
    text = re.sub("[\u00a0\u200b]+", " ", text)
    for match in ATTRIBUTE.finditer(text):
        groups = match.groups()
        for name, value in (groups[0:2], groups[2:4], groups[4:6]):
            if name:
                attributes[name.lower()] = value
                break
        else:
            attributes[str(position)] = next(g for g in groups[6:] if g is not None)
            position += 1
    return attributes


def caption(attributes, content, notes):
    text = attributes.get("caption", "")
    if not text and (match := CAPTIONED_IMAGE.match(content.strip())):
        content, text = match.group(1), match.group(2).strip()
    if not text:
        return content
    return f"<figure>{content.strip()}<figcaption>{text}</figcaption></figure>"


# A gallery's figures name their attachments by id until wordpress/media.py knows
# their files (attachments often come after the posts in an export).
ATTACHMENT_PLACEHOLDER = "https://wordpress-attachment.invalid/"


def gallery(attributes, content, notes):
    ids = re.findall(r"\d+", attributes.get("ids") or attributes.get("include") or "")
    ids = ids or ["attached"]  # the attachments of the post it is in
    columns = attributes.get("columns", "3")
    columns = min(max(int(columns), 1), 9) if columns.isdigit() else 3
    figure = '<figure><img src="{}{}" alt=""></figure>'
    figures = "".join(figure.format(ATTACHMENT_PLACEHOLDER, i) for i in ids)
    return f'<div class="gallery gallery-columns-{columns}">{figures}</div>'


def playlist(attributes, content, notes):
    notes.append("playlist removed; its files are in the attachment list")
    return ""


def embed(attributes, content, notes):
    url = content.strip()
    if not url:
        return ""
    notes.append(f"embed of {url} shown as a link")
    return link_paragraph(url)


def media(attributes, content, notes):
    url = next((attributes[key] for key in MEDIA_SOURCES if attributes.get(key)), "")
    if not url:
        notes.append("audio/video player without a file removed")
        return ""
    notes.append(f"audio/video player for {url} shown as a link")
    return link_paragraph(url)


def link_paragraph(url):
    return f'<p><a href="{escape(url)}">{escape(url)}</a></p>'


HANDLERS = {
    "caption": caption,
    "wp_caption": caption,
    "gallery": gallery,
    "embed": embed,
    "audio": media,
    "video": media,
    "playlist": playlist,
}


def convert_shortcodes(html):
    """Return `html` with the known shortcodes replaced, and notes on what was lost."""
    notes = []

    def replace(match):
        opening, name, attributes, _, content, closing = match.groups()
        if opening == "[" and closing == "]":
            return match.group(0)[1:-1]  # [[caption]] is how WordPress writes [caption]
        inner = convert(content or "")
        return opening + HANDLERS[name](parse_attributes(attributes), inner, notes) + closing

    def convert(text):
        return SHORTCODE.sub(replace, text)

    html = convert(ALONE_IN_PARAGRAPH.sub(r"\1", html))
    for name in dict.fromkeys(OTHER_SHORTCODE.findall(html)):
        notes.append(f"shortcode [{name}] left as text (no such feature here)")
    return html, notes
