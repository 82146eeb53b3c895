"""The WordPress identity of imported objects (`ImportedItem`), keyed by the site's
base URL, the WordPress type, the WordPress id and the item's guid: what makes a
second run update in place instead of duplicating, while two items of one file that
share an id (exports joined from two sites, or edited by hand) stay two objects."""

from django.contrib.contenttypes.models import ContentType

from .models import ImportedItem

UNKNOWN = object()  # record() looks the item up itself


class Identities:
    def __init__(self, site):
        self.site = site
        self.preloaded = {}

    def preload(self, wp_type):
        """Keep every item of a small kind (authors, terms) in memory for the run."""
        items = ImportedItem.objects.for_site(self.site).filter(wp_type=wp_type)
        self.preloaded[wp_type] = {item.wp_id: item for item in items}

    def find(self, wp_type, wp_id, guid=None):
        """The item of that id (and guid, when given; None: any guid, the latest)."""
        if wp_type in self.preloaded:
            return self.preloaded[wp_type].get(wp_id)
        items = ImportedItem.objects.for_site(self.site).filter(wp_type=wp_type, wp_id=wp_id)
        if guid is None:
            return items.order_by("-pk").first()
        # Rows recorded before guids counted, or from an item without one, match any guid.
        return items.filter(guid__in=[guid, ""]).order_by("-guid").first()

    def find_many(self, wp_type, wp_ids, guid=None):
        """{wp id: ImportedItem} for the ids already imported, in one query; with a
        guid (comments: their item's key), that one's first, then rows without one."""
        items = ImportedItem.objects.for_site(self.site).filter(wp_type=wp_type, wp_id__in=wp_ids)
        if guid is not None:
            items = items.filter(guid__in=[guid, ""]).order_by("guid")
        return {item.wp_id: item for item in items}

    def find_each(self, wp_type, guids):
        """{wp id: ImportedItem} for {wp id: guid}, in one query, each chosen as
        find() chooses: the item's guid, else a row without one."""
        items = ImportedItem.objects.for_site(self.site).filter(
            wp_type=wp_type, wp_id__in=list(guids)
        )
        found = {}
        for item in items.order_by("guid"):  # "" first: a matching guid overrides it
            if item.guid in (guids[item.wp_id], ""):
                found[item.wp_id] = item
        return found

    def target(self, item, model):
        """The object an ImportedItem stands for, if it still exists."""
        if item is None or item.object_id is None:
            return None
        return model._default_manager.filter(pk=item.object_id).first()

    def record(self, wp_type, wp_id, obj=None, known=UNKNOWN, **fields):
        """Create or update the item for `wp_id` (`known`: as found already);
        return it and whether anything changed."""
        if obj is not None:
            fields["content_type"] = ContentType.objects.get_for_model(obj)
            fields["object_id"] = obj.pk
        item = self.find(wp_type, wp_id) if known is UNKNOWN else known
        if item is None:
            item = ImportedItem.objects.create(
                site=self.site, wp_type=wp_type, wp_id=wp_id, **fields
            )
            self.preloaded.get(wp_type, {})[wp_id] = item
            return item, True
        changed = {
            name: value
            for name, value in fields.items()
            if getattr(item, "content_type_id" if name == "content_type" else name)
            != (value.pk if name == "content_type" else value)
        }
        if changed:
            for name, value in changed.items():
                setattr(item, name, value)
            item.save(update_fields=[*changed, "imported_at"])
        return item, bool(changed)

    def new_item(self, wp_type, wp_id, obj, **fields):
        """An unsaved item, for bulk_create by the caller."""
        return ImportedItem(
            site=self.site,
            wp_type=wp_type,
            wp_id=wp_id,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            **fields,
        )


def comment_owner_key(item):
    """What a comment's identity keeps as its guid: the item it belongs to, so that
    comment 5 of one post and comment 5 of another (two sites' exports joined) stay
    two comments."""
    return f"{item.post_type} {item.wp_id} {item.guid}"[:500]
