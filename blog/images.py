"""Uploaded images served responsively: renditions made once, on save, with Pillow.

Each `blog.Image` gets, beside its original in the same folder,
- copies at the `WIDTHS` below its own width, and one at its own width (at most
  1600): `photo-480w.jpg` (never wider than the original);
- 16:9 crops at the same widths, for a featured image: `photo-480x270.jpg`;
- a WebP twin of each, kept only when it is smaller.
Their names, sizes and byte counts are stored on the image (`Image.renditions`), so
rendering needs neither the disk nor a query per picture.

`responsive_body(html)` rewrites a sanitised body once, on save: an `<img>` whose
`src` is an uploaded image gets `srcset`, `sizes`, `width` and `height` (and a
`<picture>` with a WebP `<source>` when there is one); every image but the first is
`loading="lazy"`. Pillow alone does this; the thumbnail libraries (sorl, easy-
thumbnails, imagekit) make copies on demand at render time and keep their own
tables or cache keys, which a body rendered once on save does not need.
"""

import io
import re
from html import escape, unescape
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageOps

WIDTHS = (480, 960, 1600)
WIDE_RATIO = (16, 9)
# The body column is at most 42rem wide (--measure in site.css), the whole width
# on a phone.
BODY_SIZES = "(max-width: 44rem) 100vw, 42rem"
JPEG_QUALITY = 82
WEBP_QUALITY = 80

FORMATS = {  # Pillow's format of the original → the format of its copies
    "JPEG": ("JPEG", "jpg", "image/jpeg"),
    "PNG": ("PNG", "png", "image/png"),
    "GIF": ("PNG", "png", "image/png"),
    "WEBP": ("WEBP", "webp", "image/webp"),
}
MIME_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}
MIME_TYPES |= {"gif": "image/gif", "webp": "image/webp"}


def mime_type(name):
    return MIME_TYPES.get(PurePosixPath(name).suffix.lower().lstrip("."), "")


def _encode(picture, pil_format):
    buffer = io.BytesIO()
    if pil_format == "JPEG":
        picture.convert("RGB").save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    elif pil_format == "WEBP":
        picture.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    else:
        picture.save(buffer, pil_format, optimize=True)
    return buffer.getvalue()


def _store(storage, name, data):
    if storage.exists(name):
        storage.delete(name)
    return storage.save(name, ContentFile(data))


def _rendition(storage, picture, base, suffix, target):
    """Save `picture` as `<base><suffix>.<ext>` (and a WebP twin if smaller)."""
    pil_format, ext, mime = target
    data = _encode(picture, pil_format)
    entry = {
        "name": _store(storage, f"{base}{suffix}.{ext}", data),
        "width": picture.width,
        "height": picture.height,
        "type": mime,
        "bytes": len(data),
        "webp": None,
    }
    if pil_format != "WEBP":
        webp = _encode(picture, "WEBP")
        if len(webp) < len(data):
            entry["webp"] = {"name": _store(storage, f"{base}{suffix}.webp", webp)}
            entry["webp"]["bytes"] = len(webp)
    return entry


def wide_box(width, height):
    """The largest centred 16:9 box inside a picture of that width and height."""
    rw, rh = WIDE_RATIO
    crop_w, crop_h = width, width * rh // rw
    if crop_h > height:
        crop_w, crop_h = height * rw // rh, height
    left, top = (width - crop_w) // 2, (height - crop_h) // 2
    return left, top, left + crop_w, top + crop_h


def steps(width):
    """The widths to make for a picture `width` pixels wide: the standard widths
    below it, then its own width (at most the largest standard one). Never wider
    than the original: nothing is upscaled."""
    below = [w for w in WIDTHS if w < width]
    return below if width > WIDTHS[-1] else [*below, width]


def make_renditions(image_file):
    """Make every rendition of an uploaded image; return what `Image.renditions` keeps.

    Animated images are left alone (resizing would keep only their first frame)."""
    storage = image_file.storage
    with storage.open(image_file.name, "rb") as handle, PILImage.open(handle) as source:
        if getattr(source, "is_animated", False) or source.format not in FORMATS:
            return {"widths": [], "wide": []}
        target = FORMATS[source.format]
        picture = ImageOps.exif_transpose(source)
        picture.load()
    if target[0] == "JPEG" and picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    base = str(PurePosixPath(image_file.name).with_suffix(""))

    widths = []
    for width in steps(picture.width):
        height = max(1, round(picture.height * width / picture.width))
        copy = picture.resize((width, height), PILImage.Resampling.LANCZOS)
        widths.append(_rendition(storage, copy, base, f"-{width}w", target))

    cropped = picture.crop(wide_box(picture.width, picture.height))
    wide = []
    for width in steps(cropped.width):
        height = width * WIDE_RATIO[1] // WIDE_RATIO[0]
        if height:
            copy = cropped.resize((width, height), PILImage.Resampling.LANCZOS)
            wide.append(_rendition(storage, copy, base, f"-{width}x{height}", target))
    return {"widths": widths, "wide": wide}


def delete_renditions(storage, renditions):
    for entry in [*renditions.get("widths", []), *renditions.get("wide", [])]:
        for name in (entry["name"], (entry.get("webp") or {}).get("name")):
            if name and storage.exists(name):
                storage.delete(name)


def srcset(storage, entries, key=None):
    """`url 480w, url 960w, …` for the entries (their WebP twins with key="webp")."""
    parts = []
    for entry in entries:
        item = entry.get(key) if key else entry
        if item:
            parts.append(f"{storage.url(item['name'])} {entry['width']}w")
    return ", ".join(parts)


def has_webp(entries):
    return bool(entries) and all(entry.get("webp") for entry in entries)


# --- Bodies -------------------------------------------------------------------------

# Sanitised HTML (nh3) quotes every attribute value with " and escapes " inside it,
# so a tag ends at the first > outside quotes.
IMG_TAG = re.compile(r'<img\b((?:[^>"]|"[^"]*")*)>', re.I)
ATTRIBUTE = re.compile(r'([\w:-]+)(?:="([^"]*)")?')
PICTURE_WRAPPER = re.compile(r'</?picture\b(?:[^>"]|"[^"]*")*>|<source\b(?:[^>"]|"[^"]*")*>', re.I)
OWN_ATTRIBUTES = {"srcset", "sizes", "width", "height", "loading", "decoding"}


def upload_name(src):
    """The storage name of an uploaded file from an `src` (relative, or absolute on
    this site), or None for anything else."""
    src = unescape(src or "").strip()
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:
        site = urlsplit(settings.SITE_URL)
        if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
            return None
    media = "/" + settings.MEDIA_URL.strip("/") + "/"
    if not parts.path.startswith(media):
        return None
    return unquote(parts.path[len(media) :]) or None


def image_sources(html):
    """Storage names of every uploaded image the body shows."""
    names = []
    for match in IMG_TAG.finditer(html or ""):
        attrs = dict(ATTRIBUTE.findall(match.group(1)))
        if (name := upload_name(attrs.get("src"))) and name not in names:
            names.append(name)
    return names


def images_without_alt(html):
    """The file names (or addresses) of the body's images that have no alt text."""
    missing = []
    for match in IMG_TAG.finditer(html or ""):
        attrs = dict(ATTRIBUTE.findall(match.group(1)))
        if not unescape(attrs.get("alt") or "").strip():
            src = unescape(attrs.get("src") or "")
            missing.append(PurePosixPath(urlsplit(src).path).name or src or "an image")
    return missing


def _img_tag(attrs):
    return "<img " + " ".join(f'{name}="{escape(value)}"' for name, value in attrs) + ">"


def responsive_body(html, images):
    """The body with responsive markup on its uploaded images; `images` maps storage
    names to `blog.Image` objects. Running it again gives the same result."""
    html = PICTURE_WRAPPER.sub("", html or "")
    first = True

    def rewrite(match):
        nonlocal first
        attrs = [(k, unescape(v)) for k, v in ATTRIBUTE.findall(match.group(1))]
        attrs = [(k.lower(), v) for k, v in attrs if k.lower() not in OWN_ATTRIBUTES]
        src = dict(attrs).get("src")
        image = images.get(upload_name(src))
        extra, source = [], ""
        if image is not None and image.width:
            storage = image.file.storage
            widths = (image.renditions or {}).get("widths", [])
            width, height = image.width, image.height
            if widths:
                # The largest copy has the original's shape after EXIF rotation.
                width, height = widths[-1]["width"], widths[-1]["height"]
                extra.append(("srcset", srcset(storage, widths)))
                extra.append(("sizes", BODY_SIZES))
                if has_webp(widths):
                    webp = escape(srcset(storage, widths, key="webp"))
                    source = f'<source type="image/webp" srcset="{webp}" sizes="{BODY_SIZES}">'
            extra += [("width", str(width)), ("height", str(height))]
        if not first:
            extra.append(("loading", "lazy"))
        first = False
        tag = _img_tag(attrs + extra)
        return f"<picture>{source}{tag}</picture>" if source else tag

    return IMG_TAG.sub(rewrite, html)
