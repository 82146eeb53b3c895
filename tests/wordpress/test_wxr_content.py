"""WordPress markup to this blog's HTML: the wpautop port, shortcodes, block-editor
comments and the more tag. Expectations follow WordPress's own behaviour."""

import pytest

from wordpress.content import comment_text, render_body
from wordpress.shortcodes import convert_shortcodes
from wordpress.wpautop import wpautop


def test_blank_lines_make_paragraphs_and_single_breaks_br():
    assert wpautop("One\ntwo\n\nThree") == "<p>One<br />\ntwo</p>\n<p>Three</p>\n"


def test_block_tags_are_not_wrapped():
    text = "Intro:\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\nAfter"
    assert wpautop(text) == "<p>Intro:</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<p>After</p>\n"


def test_pre_is_left_exactly_as_written():
    text = "Code:\n\n<pre>line 1\nline 2<br>\n\nline 4</pre>\n\nDone"
    expected = "<p>Code:</p>\n<pre>line 1\nline 2<br>\n\nline 4</pre>\n<p>Done</p>"
    assert wpautop(text).strip() == expected


def test_newlines_inside_tags_are_not_breaks():
    assert wpautop('A <a\nhref="x">link</a>') == '<p>A <a\nhref="x">link</a></p>\n'


def test_inline_elements_and_br_are_kept():
    text = 'Name: <input type="text" /><br />Next: <input type="text" />'
    assert wpautop(text).strip() == f"<p>{text}</p>"


def test_blockquote_gets_its_paragraphs_inside():
    assert wpautop("<blockquote>Quoted</blockquote>") == "<blockquote><p>Quoted</p></blockquote>\n"


def test_non_breaking_space_is_not_whitespace_as_in_php():
    assert wpautop("\u00a0") == "<p>\u00a0</p>\n"


def test_empty_text_stays_empty():
    assert wpautop("  \n ") == ""


def test_caption_becomes_a_figure():
    html, notes = convert_shortcodes(
        '<p>[caption id="attachment_6" align="alignright" width="300"]'
        '<a href="/big.jpg"><img src="/a.jpg" alt="A boat" /></a> A boat at sea[/caption]</p>'
    )
    assert html == (
        '<figure><a href="/big.jpg"><img src="/a.jpg" alt="A boat" /></a>'
        "<figcaption>A boat at sea</figcaption></figure>"
    )
    assert notes == []


def test_gallery_names_its_attachments_until_their_files_are_known():
    html, notes = convert_shortcodes('<p>Look:</p>\n<p>[gallery ids="7, 8" columns="2"]</p>')
    assert html == (
        '<p>Look:</p>\n<div class="gallery gallery-columns-2">'
        '<figure><img src="https://wordpress-attachment.invalid/7" alt=""></figure>'
        '<figure><img src="https://wordpress-attachment.invalid/8" alt=""></figure></div>'
    )
    assert notes == []


def test_gallery_without_ids_shows_the_posts_attachments():
    html, notes = convert_shortcodes('<p>[gallery columns="12"]</p>')
    assert html == (
        '<div class="gallery gallery-columns-9">'
        '<figure><img src="https://wordpress-attachment.invalid/attached" alt=""></figure></div>'
    )
    assert notes == []


def test_embed_and_media_become_links():
    html, notes = convert_shortcodes("[embed]https://video.example/1[/embed][audio src='/a.mp3']")
    assert html == (
        '<p><a href="https://video.example/1">https://video.example/1</a></p>'
        '<p><a href="/a.mp3">/a.mp3</a></p>'
    )
    assert len(notes) == 2


def test_escaped_and_unknown_shortcodes_stay_text():
    html, notes = convert_shortcodes('[[caption]] and [contact-form id="2"]')
    assert html == '[caption] and [contact-form id="2"]'
    assert notes == ["shortcode [contact-form] left as text (no such feature here)"]


def test_block_editor_content_is_not_autopd_and_loses_its_comments():
    raw = (
        "<!-- wp:paragraph -->\n<p>First</p>\n<!-- /wp:paragraph -->\n\n"
        '<!-- wp:latest-posts {"postsToShow":3} /-->\n'
        "<!-- wp:paragraph -->\n<p>Second\nline</p>\n<!-- /wp:paragraph -->"
    )
    body = render_body(raw)
    assert "wp:" not in body.html
    assert "<br>" not in body.html  # WordPress skips wpautop for block content
    assert "<p>First</p>" in body.html and "<p>Second\nline</p>" in body.html
    assert body.notes == [
        "dynamic blocks removed (WordPress drew them when showing a page): wp:latest-posts"
    ]


def test_more_tag_gives_the_teaser_and_body_is_sanitised():
    body = render_body(
        "The <em>opening</em> words.\n\n<!--more-->\n\nThe rest.<script>alert(1)</script>"
    )
    assert body.teaser == "The opening words."
    assert body.html == "<p>The <em>opening</em> words.</p>\n<p>The rest.</p>"


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>One</p><p>Two &amp; three</p>", "One\n\nTwo & three"),
        ("Line<br />next", "Line\nnext"),
        ('See <a href="http://x.example/">my site</a>', "See my site (http://x.example/)"),
        ('<a href="http://x.example/">http://x.example/</a>', "http://x.example/"),
        ("<strong>Bold</strong> <script>no</script>", "Bold no"),
    ],
)
def test_comment_html_becomes_plain_text_with_its_breaks(markup, text):
    assert comment_text(markup) == text
