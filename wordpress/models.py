"""What the WordPress import remembers about each object it created."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.ids import MAX_BIGINT, parse_id
from core.safe_urls import redirectable


class ImportedItemQuerySet(models.QuerySet):
    def for_site(self, site):
        return self.filter(site=site)

    def public_url(self, wp_types, wp_id):
        """Where an old `?p=<id>`-style link now lives, if readers may see it."""
        wp_id = parse_id(wp_id, maximum=MAX_BIGINT)
        if wp_id is None:
            return None
        items = self.filter(wp_type__in=wp_types, wp_id=str(wp_id))
        return first_public_url(items)

    def public_url_for_path(self, path):
        """Where an old WordPress path (a page under its parent, an attachment page,
        a permalink of another shape) now lives, if readers may see it."""
        paths = [path] if path.endswith("/") else [path, f"{path}/"]
        return first_public_url(self.filter(old_path__in=paths))


def first_public_url(items):
    # Several imported sites may share an id or a path: the latest import wins.
    item = items.select_related("content_type").order_by("-pk").first()
    return item.public_url() if item else None


class ImportedItem(models.Model):
    """What a WordPress export said about an object this site created from it: the
    identity that makes a re-import update in place, and the old links to redirect."""

    class Type(models.TextChoices):
        POST = "post"
        PAGE = "page"
        ATTACHMENT = "attachment"
        COMMENT = "comment"
        CATEGORY = "category"
        TAG = "tag"
        AUTHOR = "author"
        # The numeric ids old links use (?cat=3, ?tag_id=4, ?author=2), beside the
        # slug and login that identify terms and authors.
        TERM_ID = "term_id", "category or tag by its numeric id"
        AUTHOR_ID = "author_id", "author by numeric id"

    site = models.CharField(max_length=200, help_text="The WordPress blog's base URL.")
    wp_type = models.CharField("WordPress type", max_length=20, choices=Type.choices)
    wp_id = models.CharField(
        "WordPress id",
        max_length=200,
        help_text="The numeric id; the slug for categories and tags, the login for authors.",
    )
    guid = models.CharField(
        max_length=500,
        blank=True,
        help_text="The item's guid; for comments, their item's type, id and guid.",
    )
    old_path = models.CharField(
        max_length=500, blank=True, help_text="The path of the item's WordPress page."
    )
    old_url = models.URLField(
        max_length=1000, blank=True, help_text="For attachments: the file's WordPress address."
    )
    content_type = models.ForeignKey(ContentType, null=True, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(null=True)
    content_object = GenericForeignKey("content_type", "object_id")
    imported_at = models.DateTimeField(auto_now=True)

    objects = ImportedItemQuerySet.as_manager()

    class Meta:
        # The table blog created; the model moved here without moving its rows.
        db_table = "blog_importeditem"
        constraints = [
            models.UniqueConstraint(
                # Not the id alone: a file may repeat an id for different items.
                fields=["site", "wp_type", "wp_id", "guid"],
                name="imported_item_unique_wp_id",
                violation_error_message=(
                    "This WordPress item is already recorded for that site; "
                    "import again to update it."
                ),
            ),
        ]
        # Not tied to imported items: the right to download the whole blog (admin).
        permissions = [("export", "Can export the whole blog as WXR")]
        indexes = [
            models.Index(fields=["wp_type", "wp_id"], name="imported_item_wp_id_idx"),
            models.Index(fields=["old_path"], name="imported_item_old_path_idx"),
            models.Index(fields=["content_type", "object_id"], name="imported_item_object_idx"),
        ]

    def __str__(self):
        return f"WordPress {self.wp_type} {self.wp_id} of {self.site}"

    def public_url(self):
        """The new address of what this item became, or an attachment's file; None
        while the target is unpublished, so redirects never reveal a draft."""
        target = self.content_object
        if target is None:
            # Stored from an export: only a web address or a path of this site.
            return redirectable(self.old_url)
        if getattr(target, "is_public", True):
            return target.get_absolute_url()
        return None
