"""What one WXR file may ask of the importer's memory, and the encodings it may claim.

iterparse builds each item's tree before the importer sees it, so an item nested
50 MB deep held gigabytes; a record (an item, author or term) may therefore nest so
deep, hold so many elements and span so many bytes (WXR_MAX_DEPTH,
WXR_MAX_ELEMENTS, WXR_MAX_ITEM_BYTES, or the command's options). Past a limit the
import stops and nothing is kept: a refusal, not a partial import.

The XML declaration names the encoding. A name Python does not know, or a
multi-byte one expat cannot read, is refused with its name; a file declared
ISO-8859-1 or Windows-1252 whose bytes are really UTF-8 (each é read as Ã©) is
refused too, unless --encoding says which is right.
"""

import codecs
import re
from dataclasses import dataclass

from django.conf import settings

from .errors import Refused


@dataclass(frozen=True)
class Limits:
    max_depth: int = 64
    max_elements: int = 100_000  # in one record
    max_item_bytes: int = 10 * 1024 * 1024

    @classmethod
    def from_settings(cls, **overrides):
        values = {
            "max_depth": settings.WXR_MAX_DEPTH,
            "max_elements": settings.WXR_MAX_ELEMENTS,
            "max_item_bytes": settings.WXR_MAX_ITEM_BYTES,
        }
        values.update({name: value for name, value in overrides.items() if value is not None})
        return cls(**values)


def too_deep(limits, offset):
    return Refused(
        f"An item near byte {offset:,} nests elements more than {limits.max_depth} deep "
        "(the limit: --max-depth or WXR_MAX_DEPTH). WordPress exports nest five deep. "
        "Nothing was imported."
    )


def too_many_elements(limits, offset):
    return Refused(
        f"An item near byte {offset:,} holds more than {limits.max_elements:,} elements "
        "(the limit: --max-elements or WXR_MAX_ELEMENTS). Nothing was imported."
    )


def too_many_bytes(limits, offset):
    return Refused(
        f"An item near byte {offset:,} is larger than {limits.max_item_bytes:,} bytes "
        "(the limit: --max-item-bytes or WXR_MAX_ITEM_BYTES). Nothing was imported."
    )


# The XML declaration's encoding, after an optional UTF-8 byte order mark.
DECLARATION = re.compile(
    rb"""\A(?:\xef\xbb\xbf)?\s*<\?xml\s[^>]*?encoding\s*=\s*["']([^"']{1,40})["']"""
)
# Single-byte encodings in which UTF-8's multi-byte sequences are legal but unlikely:
# text that contains them was almost surely written as UTF-8.
SINGLE_BYTE = {"iso8859-1", "cp1252", "iso8859-15"}
UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def declared_encoding(head):
    """The encoding the XML declaration at the start of `head` names, or None."""
    match = DECLARATION.match(head)
    return match.group(1).decode("ascii", "replace").strip() if match else None


def check_encoding(name):
    """Refuse an encoding name expat cannot read; return its codec's name."""
    try:
        codec = codecs.lookup(name)
    except LookupError:
        raise Refused(
            f"The file declares the encoding “{name}”, which is not known. WordPress "
            "exports are UTF-8: fix the XML declaration, or name the real encoding with "
            "--encoding. Nothing was imported."
        ) from None
    if codec.name not in ("utf-8", "utf-16", "iso8859-1", "ascii") and not is_single_byte(codec):
        raise Refused(
            f"The file declares the encoding “{name}”, which the XML parser cannot read "
            "(a multi-byte encoding). Convert it to UTF-8 (e.g. iconv -f "
            f"{name} -t UTF-8) and fix the declaration. Nothing was imported."
        )
    return codec.name


def is_single_byte(codec):
    try:
        return len(codecs.decode(bytes(range(256)), codec.name, "replace")) == 256
    except (UnicodeError, TypeError, ValueError):
        return False


def with_declared_encoding(head, name):
    """`head` (the file's first bytes) declaring `name` instead of what it said."""
    match = DECLARATION.match(head)
    if match:
        return head[: match.start(1)] + name.encode("ascii") + head[match.end(1) :]
    bom = b"\xef\xbb\xbf" if head.startswith(b"\xef\xbb\xbf") else b""
    declaration = f'<?xml version="1.0" encoding="{name}"?>'.encode("ascii")
    return bom + declaration + head[len(bom) :]


def looks_like_utf8(name, offset):
    return Refused(
        f"The file is declared {name} but looks like UTF-8 (near byte {offset:,}): read "
        "as declared, accented letters would arrive as mojibake (é as Ã©). Fix the "
        "declaration to UTF-8, or run again with --encoding utf-8 (or --encoding "
        f"{name} if it really is). Nothing was imported."
    )
