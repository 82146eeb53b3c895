"""A faithful port of WordPress's `wpautop()` (wp-includes/formatting.php, 5.x-6.x).

WordPress stores classic-editor posts with bare line breaks and adds the paragraphs
when it shows them: a blank line starts a paragraph, a single line break becomes
`<br />`, block-level tags are left alone and `<pre>` is never touched. Imported
posts must read as they did, so this follows WordPress step by step (patterns
compiled with re.ASCII: PHP's `\\s` without the `u` flag does not match U+00A0).
"""

import re

ALL_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li"
    r"|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend"
    r"|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)


def _re(pattern, flags=0):
    return re.compile(pattern, re.ASCII | flags)


# An HTML comment, a CDATA section or a tag: WordPress's get_html_split_regex(),
# with its look-ahead conditional spelled as ordered alternatives.
HTML_SPLIT = _re(
    r"(<(?:!--(?:-(?!->)|[^-])*+(?:-->)?"
    r"|!\[CDATA\[[^\]]*+(?:\](?!\]>)[^\]]*+)*+(?:\]\]>)?"
    r"|[^>]*>?))"
)

DOUBLE_BR = _re(r"<br\s*/?>\s*<br\s*/?>")
BLOCK_OPEN = _re(rf"(<{ALL_BLOCKS}[\s/>])")
BLOCK_CLOSE = _re(rf"(</{ALL_BLOCKS}>)")
HR = _re(r"(<hr\s*?/?>)")
OPTION_BEFORE, OPTION_AFTER = _re(r"\s*<option"), _re(r"</option>\s*")
OBJECT_OPEN, OBJECT_CLOSE = _re(r"(<object[^>]*>)\s*"), _re(r"\s*</object>")
PARAM_EMBED = _re(r"\s*(</?(?:param|embed)[^>]*>)\s*")
MEDIA_OPEN = _re(r"([<\[](?:audio|video)[^>\]]*[>\]])\s*")
MEDIA_CLOSE = _re(r"\s*([<\[]/(?:audio|video)[>\]])")
SOURCE_TRACK = _re(r"\s*(<(?:source|track)[^>]*>)\s*")
FIGCAPTION_OPEN, FIGCAPTION_CLOSE = _re(r"\s*(<figcaption[^>]*>)"), _re(r"</figcaption>\s*")
MANY_NEWLINES = _re(r"\n\n+")
PARAGRAPH_SPLIT = _re(r"\n\s*\n")
EMPTY_P = _re(r"<p>\s*</p>")
UNCLOSED_P = _re(r"<p>([^<]+)</(div|address|form)>")
P_AROUND_BLOCK = _re(rf"<p>\s*(</?{ALL_BLOCKS}[^>]*>)\s*</p>")
P_AROUND_LI = _re(r"<p>(<li.+?)</p>")
P_BEFORE_BLOCKQUOTE = _re(r"<p><blockquote([^>]*)>", re.IGNORECASE)
P_BEFORE_BLOCK = _re(rf"<p>\s*(</?{ALL_BLOCKS}[^>]*>)")
P_AFTER_BLOCK = _re(rf"(</?{ALL_BLOCKS}[^>]*>)\s*</p>")
KEEP_NEWLINES = _re(r"<(script|style|svg).*?</\1>", re.DOTALL)
NEWLINE_TO_BR = _re(r"(?<!<br />)\s*\n")
BR_AFTER_BLOCK = _re(rf"(</?{ALL_BLOCKS}[^>]*>)\s*<br />")
BR_BEFORE_BLOCK = _re(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)")
LAST_NEWLINE_IN_P = _re(r"\n</p>$")

PHP_TRIMMED = " \t\n\r\0\x0b"  # what PHP's trim() removes: not U+00A0
NEWLINE_IN_TAG = " <!-- wpnl --> "
PRESERVED_NEWLINE = "<WPPreserveNewline />"


def wpautop(text, br=True):
    """Paragraphs from blank lines and `<br />` from single line breaks, as WordPress."""
    if text.strip(PHP_TRIMMED) == "":
        return ""
    text += "\n"  # WordPress pads the end to make the patterns simpler.
    text, pre_tags = _hide_pre(text)

    text = DOUBLE_BR.sub("\n\n", text)
    text = BLOCK_OPEN.sub("\n\n\\1", text)
    text = BLOCK_CLOSE.sub("\\1\n\n", text)
    text = HR.sub("\\1\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _replace_in_html_tags(text, "\n", NEWLINE_IN_TAG)

    if "<option" in text:
        text = OPTION_AFTER.sub("</option>", OPTION_BEFORE.sub("<option", text))
    if "</object>" in text:
        text = OBJECT_CLOSE.sub("</object>", OBJECT_OPEN.sub("\\1", text))
        text = PARAM_EMBED.sub("\\1", text)
    if "<source" in text or "<track" in text:
        text = MEDIA_CLOSE.sub("\\1", MEDIA_OPEN.sub("\\1", text))
        text = SOURCE_TRACK.sub("\\1", text)
    if "<figcaption" in text:
        text = FIGCAPTION_CLOSE.sub("</figcaption>", FIGCAPTION_OPEN.sub("\\1", text))

    text = MANY_NEWLINES.sub("\n\n", text)
    chunks = [chunk for chunk in PARAGRAPH_SPLIT.split(text) if chunk]
    text = "".join(f"<p>{chunk.strip(chr(10))}</p>\n" for chunk in chunks)

    text = EMPTY_P.sub("", text)
    text = UNCLOSED_P.sub("<p>\\1</p></\\2>", text)
    text = P_AROUND_BLOCK.sub("\\1", text)
    text = P_AROUND_LI.sub("\\1", text)
    text = P_BEFORE_BLOCKQUOTE.sub("<blockquote\\1><p>", text)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = P_BEFORE_BLOCK.sub("\\1", text)
    text = P_AFTER_BLOCK.sub("\\1", text)

    if br:
        text = KEEP_NEWLINES.sub(lambda m: m.group(0).replace("\n", PRESERVED_NEWLINE), text)
        text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
        text = NEWLINE_TO_BR.sub("<br />\n", text)
        text = text.replace(PRESERVED_NEWLINE, "\n")

    text = BR_AFTER_BLOCK.sub("\\1", text)
    text = BR_BEFORE_BLOCK.sub("\\1", text)
    text = LAST_NEWLINE_IN_P.sub("</p>", text)

    for placeholder, original in pre_tags.items():
        text = text.replace(placeholder, original)
    if "<!-- wpnl -->" in text:
        text = text.replace(NEWLINE_IN_TAG, "\n").replace("<!-- wpnl -->", "\n")
    return text


def _hide_pre(text):
    """Swap each `<pre>…</pre>` for a placeholder, as WordPress does, to restore later."""
    if "<pre" not in text:
        return text, {}
    *parts, last = text.split("</pre>")
    pre_tags, rebuilt = {}, []
    for part in parts:
        start = part.find("<pre")
        if start == -1:  # malformed HTML: a </pre> without its <pre
            rebuilt.append(part)
            continue
        name = f"<pre wp-pre-tag-{len(pre_tags)}></pre>"
        pre_tags[name] = part[start:] + "</pre>"
        rebuilt.append(part[:start] + name)
    return "".join(rebuilt) + last, pre_tags


def _replace_in_html_tags(text, needle, replacement):
    """Replace `needle` inside tags and comments only, never in the text between."""
    pieces = HTML_SPLIT.split(text)
    for index in range(1, len(pieces), 2):
        pieces[index] = pieces[index].replace(needle, replacement)
    return "".join(pieces)
