"""Where an attachment's file goes here, and whether it is an image at all.

Each attachment gets one stable storage name from its WordPress address:
`uploads/wordpress/<old host>/<path under wp-content/uploads>`, with WordPress's
resized (`-300x200`) and `-scaled` variants folded into the original. The same
address always lands on the same name, so a second run finds what the first one
brought and fetches nothing again.
"""

import io
import re
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.files.base import ContentFile
from PIL import Image as PILImage

from blog.images import FORMATS
from blog.models import Image

PREFIX = "uploads/wordpress"
UPLOADS = "/wp-content/uploads/"
# Jetpack's Photon CDN: https://i0.wp.com/old.example.org/wp-content/uploads/…
CDN_HOST = re.compile(r"^i\d\.wp\.com$", re.I)
# WordPress's intermediate sizes and its big-image copy: photo-300x200.jpg, photo-scaled.jpg
VARIANT = re.compile(r"(?:-\d{1,5}x\d{1,5}|-scaled)+(?=\.\w{2,5}$)", re.I)
# What an upload's address always contains, to skip every other link cheaply.
MAYBE_UPLOAD = re.compile(r"/wp-content/uploads/|\.files\.wordpress\.com/", re.I)
SAFE_SEGMENT = re.compile(r"^[\w][\w.-]{0,120}$")


class NotAnImage(Exception):
    pass


def check_image(data):
    """Refuse bytes Pillow cannot read as one of the formats the image library makes copies of."""
    try:
        with PILImage.open(io.BytesIO(data)) as picture:
            kind = picture.format
            picture.verify()
    except Exception as exc:  # Pillow raises many kinds for a broken file
        raise NotAnImage(f"not a readable image ({type(exc).__name__})") from None
    if kind not in FORMATS:
        raise NotAnImage(f"image format {kind} is not one this blog shows")


def source(url):
    """(host, path) of an upload's address, the CDN's wrapping undone."""
    parts = urlsplit((url or "").strip())
    host, path = (parts.hostname or "").lower(), unquote(parts.path)
    if CDN_HOST.match(host):
        host, _, path = path.lstrip("/").partition("/")
        host, path = host.lower(), "/" + path
    return host, path  # no host: an address on the old site itself


def upload_path(url):
    """The path of a file under wp-content/uploads (or a WordPress.com blog's files),
    as written in the address; "" if the address is not an upload."""
    host, path = source(url)
    if UPLOADS in path:
        return path.split(UPLOADS, 1)[1]
    if host.endswith(".files.wordpress.com"):
        return path.lstrip("/")
    return ""


def key(url):
    """What every size of one upload has in common: its path without the size suffix."""
    path = upload_path(url)
    return VARIANT.sub("", path) if path else ""


def storage_name(site_host, upload_key):
    segments = [s for s in upload_key.split("/") if s]
    if not segments or not all(SAFE_SEGMENT.match(s) for s in segments):
        return ""
    if PurePosixPath(segments[-1]).suffix.lower().lstrip(".") not in {
        "jpg", "jpeg", "png", "gif", "webp"
    }:  # fmt: skip
        return ""
    return "/".join([PREFIX, site_host or "site", *segments])


def existing_images(site_host):
    """{upload key: Image} for what earlier runs brought from this site."""
    prefix = f"{PREFIX}/{site_host or 'site'}/"
    images = Image.objects.filter(file__startswith=prefix)
    return {image.file.name[len(prefix) :]: image for image in images}


def left_over(name):
    """The bytes a run that was rolled back stored under this name, if they are an image:
    no need to download them again."""
    storage = Image._meta.get_field("file").storage
    if not storage.exists(name):
        return None
    with storage.open(name, "rb") as handle:
        data = handle.read()
    try:
        check_image(data)
    except NotAnImage:
        return None
    return data


def store(name, data, alt, caption):
    """Save the file under its stable name and make it an image-library entry."""
    storage = Image._meta.get_field("file").storage
    if storage.exists(name):
        storage.delete(name)  # left by a run that was rolled back
    stored = storage.save(name, ContentFile(data))
    with PILImage.open(io.BytesIO(data)) as picture:
        width, height = picture.size
    image = Image(alt=alt[:300] or PurePosixPath(name).stem, caption=caption[:300])
    image.file.name = stored
    image.width, image.height = width, height
    image.save()
    return image
