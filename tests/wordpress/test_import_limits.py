"""A hostile or broken export is refused before it fills the memory, with a message
that names the limit, and nothing of it is kept (wordpress/limits.py)."""

import tracemalloc
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from blog.models import Post
from comments.models import BlogComment
from tests.wordpress.wxr_files import comment, item, wxr

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
# What the refusals below may cost in Python memory (tracemalloc's peak, the parser's
# own buffers included); before the limits, 50 MB of nesting in one item took 2.1 GB.
MEMORY_BOUND = 32 * MB


def export_around(tmp_path, hostile_item, encoding="UTF-8"):
    """An export with a good post, then `hostile_item` (bytes), then another post."""
    text = wxr(item(1, title="Kept only if all is well"), "@@HOSTILE@@", item(3))
    head, tail = text.replace('encoding="UTF-8"', f'encoding="{encoding}"').split("@@HOSTILE@@")
    path = tmp_path / "export.xml"
    with path.open("wb") as out:
        out.write(head.encode())
        out.write(hostile_item)
        out.write(tail.encode())
    return path


def refused(path, *args):
    """Run the import, which must refuse the file; return its message and memory peak."""
    tracemalloc.start()
    try:
        with pytest.raises(CommandError) as error:
            call_command("import_wxr", str(path), *args, stdout=StringIO())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert Post.objects.count() == 0, "a refused file leaves nothing behind"
    return str(error.value), peak


def test_fifty_megabytes_of_nesting_in_one_item_is_refused_in_little_memory(tmp_path):
    levels = 50 * MB // 7
    hostile = b"<item><wp:post_id>2</wp:post_id>" + b"<a>" * levels + b"</a>" * levels + b"</item>"
    message, peak = refused(export_around(tmp_path, hostile))
    assert "nests elements more than 64 deep" in message
    assert "--max-depth or WXR_MAX_DEPTH" in message and "Nothing was imported." in message
    assert peak < MEMORY_BOUND, f"{peak / MB:.1f} MB"


def test_an_item_of_too_many_elements_is_refused(tmp_path, settings):
    settings.WXR_MAX_ELEMENTS = 10_000
    hostile = b"<item><wp:post_id>2</wp:post_id>" + b"<x/>" * 200_000 + b"</item>"
    message, peak = refused(export_around(tmp_path, hostile))
    assert "holds more than 10,000 elements" in message
    assert "--max-elements or WXR_MAX_ELEMENTS" in message
    assert peak < MEMORY_BOUND, f"{peak / MB:.1f} MB"


def test_an_item_of_too_many_bytes_is_refused(tmp_path):
    body = b"<![CDATA[" + b"words " * (50 * MB // 6) + b"]]>"
    hostile = (
        b"<item><wp:post_id>2</wp:post_id><content:encoded>" + body + b"</content:encoded></item>"
    )
    message, peak = refused(export_around(tmp_path, hostile))
    assert f"is larger than {10 * MB:,} bytes" in message
    assert "--max-item-bytes or WXR_MAX_ITEM_BYTES" in message
    assert peak < MEMORY_BOUND, f"{peak / MB:.1f} MB"


def test_the_limits_are_options_too(tmp_path):
    path = export_around(tmp_path, item(2, comments=comment(5)).encode())
    # rss > channel > item > wp:comment > wp:comment_id: five deep.
    message, _ = refused(path, "--max-depth", "4")
    assert "more than 4 deep" in message
    message, _ = refused(path, "--max-item-bytes", "500")
    assert "larger than 500 bytes" in message
    with pytest.raises(CommandError, match="--max-elements: a whole number above 0"):
        call_command("import_wxr", str(path), "--max-elements", "0", stdout=StringIO())
    call_command("import_wxr", str(path), "--max-depth", "5", stdout=StringIO())
    assert Post.objects.count() == 3 and BlogComment.objects.count() == 1


@pytest.mark.parametrize(
    ("encoding", "message"),
    [
        ("x-klingon", "declares the encoding “x-klingon”, which is not known"),
        ("Shift_JIS", "declares the encoding “Shift_JIS”, which the XML parser cannot read"),
    ],
)
def test_an_encoding_that_cannot_be_read_is_named(tmp_path, encoding, message):
    path = export_around(tmp_path, item(2).encode(), encoding=encoding)
    text, _ = refused(path)
    assert message in text and "Nothing was imported." in text


def test_a_utf8_file_declared_latin1_is_refused_not_imported_as_mojibake(tmp_path):
    path = export_around(tmp_path, item(2, title="Café in Zürich").encode(), "ISO-8859-1")
    message, _ = refused(path)
    assert "declared ISO-8859-1 but looks like UTF-8" in message
    assert "--encoding utf-8" in message
    # Told which is right, it imports the words as written.
    call_command("import_wxr", str(path), "--encoding", "utf-8", stdout=StringIO())
    assert Post.objects.get(slug="post-2").title == "Café in Zürich"


@pytest.mark.parametrize("encoding", ["ISO-8859-1", "windows-1252"])
def test_a_real_latin1_file_imports_as_declared(tmp_path, encoding):
    path = export_around(tmp_path, item(2, title="Café in Zürich").encode("latin-1"), encoding)
    call_command("import_wxr", str(path), stdout=StringIO())
    assert Post.objects.get(slug="post-2").title == "Café in Zürich"
