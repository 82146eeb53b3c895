"""Attachments brought across: from a copy of wp-content/uploads (`--media-dir`)
or downloaded (`--fetch-media`), made image-library entries, and every address
of them in bodies (resized variants and CDN forms included), galleries and
featured images pointed at the local copy.

The importer tells `Media` what it reads (attachments, posts' featured images);
bodies are rewritten as they are imported with what is known so far, and once
more at the end, when every attachment of the file has been read and brought.
"""

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from blog.models import Page, Post, prepare_html

from . import media_files
from .content import plain_text
from .fetch import Fetcher, safe_fetch
from .models import ImportedItem
from .shortcodes import ATTACHMENT_PLACEHOLDER

CONCURRENCY = 4
# Absolute and protocol-relative addresses, and root-relative ones to the uploads.
URL = re.compile(r"""(?:https?:)?//[^\s"'<>]+|(?<=")/wp-content/uploads/[^\s"'<>]+""", re.I)
GALLERY_FIGURE = re.compile(
    rf'<figure><img src="{re.escape(ATTACHMENT_PLACEHOLDER)}(\d+)"[^>]*></figure>'
)
# [gallery] without ids: the attachments of the post it is in.
ATTACHED_FIGURE = re.compile(
    rf'<figure><img src="{re.escape(ATTACHMENT_PLACEHOLDER)}attached"[^>]*></figure>'
)
EMPTY_GALLERY = re.compile(r'<div class="gallery[^"]*"></div>')


def file_words(url):
    """photo_of-the-bay-300x200.jpg → "photo of the bay": an alt text of last resort."""
    stem = Path(media_files.VARIANT.sub("", urlsplit(url).path)).stem
    return " ".join(re.split(r"[-_\s]+", stem)).strip()


@dataclass
class MediaOptions:
    media_dir: Path | None = None
    fetch: bool = False
    allowed_hosts: set[str] = field(default_factory=set)
    timeout: float = 10.0

    @property
    def brings_files(self):
        return self.media_dir is not None or self.fetch


@dataclass
class Attachment:
    wp_id: str
    url: str
    title: str = ""
    alt: str = ""
    caption: str = ""
    parent: str = ""  # the WordPress id of the post or page it is attached to


class Media:
    def __init__(self, options=None, progress=None):
        self.options = options or MediaOptions()
        self.progress = progress  # called with (done, total) while files come
        self.site, self.site_host, self.hosts = "", "", set()
        self.attachments = {}  # WordPress id → Attachment
        self.read = []  # the attachments read in this run, in file order
        self.images = {}  # upload key → blog.Image
        self.imported_before = False
        self.featured = []  # (post pk, attachment id, post's WordPress id)

    def start(self, site):
        self.site = site
        self.site_host = (urlsplit(site).hostname or "").lower()
        # Hosts whose uploads are this site's: its own, and where its attachments live.
        self.hosts = {self.site_host, ""}
        known = ImportedItem.objects.for_site(site).filter(wp_type="attachment")
        entries = ImportedItem.objects.for_site(site).filter(wp_type__in=("post", "page"))
        parents = {
            (type_id, pk): wp_id
            for type_id, pk, wp_id in entries.values_list("content_type_id", "object_id", "wp_id")
        }
        rows = known.values_list("wp_id", "old_url", "content_type_id", "object_id")
        for wp_id, url, type_id, pk in rows:
            self.attachments[wp_id] = Attachment(wp_id, url, parent=parents.get((type_id, pk), ""))
            self.hosts.add(media_files.source(url)[0])
        self.imported_before = ImportedItem.objects.for_site(site).exists()
        if self.options.brings_files:
            self.images = media_files.existing_images(self.site_host)

    # What the importer reads

    def saw_attachment(self, item):
        url = urljoin(f"{self.site}/", item.attachment_url or item.guid)
        self.hosts.add(media_files.source(url)[0])
        attachment = Attachment(
            item.wp_id,
            url,
            title=plain_text(item.title),
            alt=plain_text(item.meta.get("_wp_attachment_image_alt", "")),
            caption=plain_text(item.excerpt),
            parent=item.parent_wp_id,
        )
        self.attachments[item.wp_id] = attachment
        self.read.append(attachment)

    def saw_entry(self, item, obj):
        if isinstance(obj, Post) and (thumbnail := item.meta.get("_thumbnail_id", "").strip()):
            self.featured.append((obj.pk, thumbnail, item.wp_id))

    # Bodies

    def local_body(self, html, wp_id="", final=False):
        """The body (of the item `wp_id`) with galleries built and uploads' addresses
        made local; on the last pass (`final`) a gallery's unknown attachments are dropped."""
        changed = False
        # Unknown at the end of the file, or to a run after one that read the whole
        # file: not in the export, so not shown.
        drop = final or self.imported_before

        def figure(match):
            nonlocal changed
            attachment = self.attachments.get(match.group(1))
            if attachment is None:
                changed = changed or drop
                return "" if drop else match.group(0)
            changed = True
            return self.figure(attachment)

        def attached(match):
            nonlocal changed
            # WordPress's default order: menu order, then id; ids are what every run knows.
            found = [a for a in self.attachments.values() if wp_id and a.parent == wp_id]
            if not found:
                changed = changed or drop
                return "" if drop else match.group(0)
            changed = True
            found.sort(key=lambda a: int(a.wp_id) if a.wp_id.isdigit() else 0)
            return "".join(self.figure(a) for a in found)

        def address(match):
            nonlocal changed
            url = match.group(0)
            if not media_files.MAYBE_UPLOAD.search(url):
                return url  # most links: no parsing
            mine = media_files.source(url)[0] in self.hosts
            image = self.images.get(media_files.key(url)) if mine else None
            if image is None:
                return match.group(0)
            changed = True
            return image.file.url

        html = ATTACHED_FIGURE.sub(attached, GALLERY_FIGURE.sub(figure, html))
        if self.images:
            html = URL.sub(address, html)
        if not changed:
            return html
        return prepare_html(EMPTY_GALLERY.sub("", html))

    def figure(self, attachment):
        image = self.images.get(media_files.key(attachment.url))
        if image is not None:
            src, alt, caption = image.file.url, image.alt, image.caption
        else:
            # Only what a second run knows too (the address), so it finds no change.
            src, alt, caption = attachment.url, file_words(attachment.url), ""
        text = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
        return f'<figure><img src="{escape(src)}" alt="{escape(alt)}">{text}</figure>'

    # After the last item

    def finish(self, importer):
        if self.options.brings_files and not importer.report.dry_run:
            self.bring(importer.report)
        self.rewrite_bodies(importer)
        self.set_featured_images(importer.report)

    def bring(self, report):
        """Copy or download each attachment read in this run that is not here yet."""
        wanted, missing = {}, {}
        for attachment in self.read:
            upload_key = media_files.key(attachment.url)
            if upload_key in self.images:
                report.count("media files", "unchanged", key=upload_key)
                continue
            name = media_files.storage_name(self.site_host, upload_key)
            if not name:
                missing[attachment.wp_id] = (attachment, "not an image file this blog can show")
                continue
            wanted.setdefault(upload_key, (name, attachment))
        total, done = len(wanted), 0
        pending = {}
        for upload_key, (name, attachment) in wanted.items():
            data, reason = media_files.left_over(name), None
            if data is None:
                data, reason = self.from_media_dir(attachment)
            if data is None and self.options.fetch:
                pending[upload_key] = reason
                continue
            done += 1
            self.keep(upload_key, name, attachment, data, reason, missing, report)
            self.tick(done, total)
        if pending:
            fetcher = Fetcher(
                max_bytes=settings.MAX_IMAGE_UPLOAD_BYTES,
                timeout=self.options.timeout,
                allowed_hosts=self.options.allowed_hosts,
            )
            with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
                jobs = {
                    key: pool.submit(safe_fetch, fetcher, wanted[key][1].url) for key in pending
                }
                for upload_key, job in jobs.items():  # saved here, in the importer's thread
                    data, reason = job.result()
                    name, attachment = wanted[upload_key]
                    done += 1
                    self.keep(upload_key, name, attachment, data, reason, missing, report)
                    self.tick(done, total)
        for attachment, reason in missing.values():
            why = f"not brought: {reason}"
            report.problem("attachment", attachment.wp_id, attachment.title, why)
            report.count("media files", "skipped")
        # Listed to copy by hand: only what is still on the old host.
        report.attachments[:] = [
            url for url in report.attachments if media_files.key(url) not in self.images
        ]

    def keep(self, upload_key, name, attachment, data, reason, missing, report):
        if data is None:
            missing[attachment.wp_id] = (attachment, reason or "not found")
            return
        alt = attachment.alt or attachment.title
        try:
            self.images[upload_key] = media_files.store(name, data, alt, attachment.caption)
        except Exception as exc:  # a file Pillow reads but cannot resize: this one only
            missing[attachment.wp_id] = (attachment, f"not stored: {type(exc).__name__}: {exc}")
            return
        report.count("media files", "created")

    def tick(self, done, total):
        if self.progress:
            self.progress(done, total)

    def from_media_dir(self, attachment):
        """(bytes, None) from --media-dir, or (None, why not)."""
        root = self.options.media_dir
        if root is None:
            return None, None
        relative = media_files.upload_path(attachment.url)
        path = (root / relative).resolve()
        if not relative or not path.is_relative_to(root.resolve()):
            return None, f"not under wp-content/uploads: {attachment.url[:200]}"
        if not path.is_file():
            return None, f"not in --media-dir ({relative})"
        if path.stat().st_size > settings.MAX_IMAGE_UPLOAD_BYTES:
            return None, f"larger than {settings.MAX_IMAGE_UPLOAD_BYTES:,} bytes"
        data = path.read_bytes()
        try:
            media_files.check_image(data)
        except media_files.NotAnImage as exc:
            return None, str(exc)
        return data, None

    def rewrite_bodies(self, importer):
        """Once every attachment is known: the bodies of this site's posts and pages."""
        items = ImportedItem.objects.for_site(importer.identities.site)
        for model, wp_type in ((Post, "post"), (Page, "page")):
            mine = items.filter(wp_type=wp_type)
            wp_ids = dict(mine.values_list("object_id", "wp_id"))
            entries = model.objects.filter(pk__in=mine.values("object_id"))
            if not self.images:
                entries = entries.filter(body__contains=ATTACHMENT_PLACEHOLDER)
            for pk, body in entries.values_list("pk", "body").iterator():
                new = self.local_body(body, wp_ids[pk], final=True)
                if new != body:
                    model.objects.filter(pk=pk).update(body=new)

    def set_featured_images(self, report):
        for post_pk, wp_id, post_wp_id in self.featured:
            attachment = self.attachments.get(wp_id)
            image = self.images.get(media_files.key(attachment.url)) if attachment else None
            if image is not None:
                Post.objects.filter(pk=post_pk).exclude(featured_image=image).update(
                    featured_image=image
                )
            elif self.options.brings_files:
                why = f"featured image (attachment {wp_id}) not brought"
                report.problem("post", post_wp_id, "", why)
