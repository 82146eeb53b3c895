"""Posts and pages new to the database, written a batch at a time.

One by one, a new post cost about twenty round trips (its row, its search vector,
its dates, its identity, its terms, its series part, a savepoint…), most of a large
import's time. Items are built in Python as they are read (posts.build: a broken
one is skipped then, before anything of it is written); at the end of a batch the
new ones get their rows, terms, identities, search vectors, comments and series
parts in a few multi-row statements. Items already imported (a second run) are
written one by one as before. If the batch's statements fail, the batch is written
again one item at a time, so a bad item still only loses itself.
"""

import logging

from django.db import router, transaction
from django.utils import timezone

from blog.models import Post
from core.content_version import bump_content_version
from series.follow_signals import announce_when_live

from . import posts, series_rules
from .addresses import old_path
from .comment_bulk import BATCH, NewComments, can_bulk_insert
from .comment_threads import import_comments, write_new_comments
from .dates import best_date
from .models import ImportedItem

logger = logging.getLogger(__name__)


class NewEntries:
    def __init__(self, importer, enabled=True):
        self.importer = importer
        self.enabled = enabled and can_bulk_insert()
        self.pending = []  # posts.Entry, in file order
        self.keys = set()  # (post type, wp id) pending

    def takes(self, record):
        return self.enabled and getattr(record, "post_type", None) in posts.MODELS

    def add(self, entry):
        self.pending.append(entry)
        self.keys.add(key(entry.item))

    def has(self, item):
        """Whether an item of the same type and id waits: it must be written first,
        so that this one finds it (the same item twice) or stays apart from it."""
        return key(item) in self.keys

    def flush(self):
        entries, self.pending, self.keys = self.pending, [], set()
        if not entries:
            return
        known = identities_of(self.importer, entries)
        new = []
        for entry in entries:
            if (identity := known.get(key(entry.item))) is None:
                new.append(entry)
            else:
                self.importer.write_safely(entry, identity)  # a re-import: in place
        if new:
            self.write_new(new)

    def write_new(self, entries):
        importer = self.importer
        checkpoint = importer.report.checkpoint()
        category_series = {slug: list(m) for slug, m in importer.category_series.items()}
        try:
            with transaction.atomic():
                written = write_all(importer, entries)
        except Exception:
            logger.debug("WXR batch failed; writing its items one by one", exc_info=True)
            importer.report.roll_back_to(checkpoint)
            importer.category_series = category_series
            for entry in entries:
                importer.write_safely(entry, None)
            return
        for entry, obj in written:
            importer.media.saw_entry(entry.item, obj)


def key(item):
    return (item.post_type, item.wp_id)


def identities_of(importer, entries):
    """{(type, wp id): ImportedItem} of the entries imported before: a query a type."""
    found = {}
    for kind in {entry.item.post_type for entry in entries}:
        guids = {e.item.wp_id: e.item.guid[:500] for e in entries if e.item.post_type == kind}
        for wp_id, item in importer.identities.find_each(kind, guids).items():
            found[kind, wp_id] = item
    return found


def write_all(importer, entries):
    """Write new entries and everything that hangs on them; [(entry, object)]."""
    objs = {}  # entry's position → its object
    for model in posts.MODELS.values():
        mine = [(n, entry) for n, entry in enumerate(entries) if entry.model is model]
        if mine:
            rows = insert_rows(importer, model, [entry for _, entry in mine])
            objs |= {n: obj for (n, _), obj in zip(mine, rows, strict=True)}
    written = [(entry, objs[n]) for n, entry in enumerate(entries)]
    new_posts = [obj for _, obj in written if isinstance(obj, Post)]
    link_terms(written)
    Post.objects.filter(pk__in=[obj.pk for obj in new_posts]).update_search_vectors()
    ImportedItem.objects.bulk_create(
        [importer.identities.new_item(
            entry.item.post_type, entry.item.wp_id, obj,
            guid=entry.item.guid[:500], old_path=old_path(entry.item.link),
        ) for entry, obj in written],
        batch_size=BATCH,
    )  # fmt: skip
    new_comments = NewComments()
    for entry, obj in written:
        importer.report.count(f"{entry.item.post_type}s", "created")
        import_comments(importer, entry.item, obj, new_comments)
    write_new_comments(importer, new_comments)
    series_rules.file_new_posts(
        importer, [(entry.item, obj) for entry, obj in written if isinstance(obj, Post)]
    )
    # What the rows' post_save receivers do, once for the batch (a test lists them).
    bump_content_version()
    for post in new_posts:
        announce_when_live(Post, post)
    return written


def insert_rows(importer, model, entries):
    """The entries' rows, prepared as save() prepares them, in one INSERT per 500."""
    now = timezone.now()
    slugs = posts.SlugBatch(
        model, [posts.slug_base(e.item, e.values["title"], lambda _: None) for e in entries]
    )
    objs = []
    for entry in entries:
        item = entry.item
        slug = posts.unique_slug(
            model, item, entry.values["title"], None,
            lambda message, entry=entry: entry.problem(importer.report, message), slugs,
        )  # fmt: skip
        slugs.used.add(slug)
        obj = model(**entry.values, slug=slug)
        # What save() does: bidi controls out, body sanitised (and its text derived),
        # publication time; then the dates keep_wordpress_dates gives.
        obj.strip_bidi_fields()
        obj.prepare_body()
        obj.fill_publication_time()
        created, _ = best_date(item.date_gmt, item.date, item.pub_date)
        modified, _ = best_date(item.modified_gmt, item.modified)
        obj.created_at = created or now
        obj.updated_at = modified or created or now
        objs.append(obj)
    db = router.db_for_write(model)
    fields = [f for f in model._meta.local_concrete_fields if not f.primary_key]
    for start in range(0, len(objs), BATCH):
        batch = objs[start : start + BATCH]
        returned = model._base_manager._insert(
            batch, fields=fields, returning_fields=[model._meta.pk], raw=True, using=db
        )
        for obj, (pk,) in zip(batch, returned, strict=True):
            obj.pk = pk
            obj._state.adding, obj._state.db = False, db
    return objs


def link_terms(written):
    """The new posts' categories and tags: one INSERT each for the batch."""
    for position, name in enumerate(("categories", "tags")):
        field = Post._meta.get_field(name)
        through = field.remote_field.through
        source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        rows = [
            through(**{source: obj.pk, target: pk})
            for entry, obj in written
            if entry.terms
            for pk in entry.terms[position]
        ]
        through.objects.bulk_create(rows, batch_size=BATCH)
