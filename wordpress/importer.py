"""Write what the parser reads: authors, categories, tags, posts, pages, comments,
attachments' identities and series, in batches, so that a broken item is reported
and skipped and the rest is kept: each item in its own savepoint, except new posts
and pages, which are built first and written together (wordpress/entry_batch.py)."""

import logging
import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import islice

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from blog.models import Category, Page, Post, Tag

from . import entry_batch, old_ids, posts, series_rules
from .addresses import clean_slug, old_path
from .content import plain_text
from .duplicates import SeenIds
from .identity import Identities
from .media import Media
from .models import ImportedItem
from .parser import Author, BrokenFile, Channel, Item, Term
from .report import Report

logger = logging.getLogger(__name__)

BATCH_SIZE = 500  # records a transaction
SUPPORTED_VERSIONS = {"1.0", "1.1", "1.2"}
TERM_MODELS = {"category": (Category, "categories"), "post_tag": (Tag, "tags")}
USERNAME_NOT_ALLOWED = re.compile(r"[^\w.@+-]")
PLURALS = {"post": "posts", "page": "pages", "attachment": "attachments", "author": "authors",
           "category": "categories", "tag": "tags"}  # fmt: skip


@dataclass
class Options:
    author_map: dict[str, str] = field(default_factory=dict)
    skip_pings: bool = False
    skip_trash: bool = False
    series_from_title: bool = False
    series_from_categories: list[str] = field(default_factory=list)


class Importer:
    def __init__(self, options=None, report=None, media=None, batch_entries=True):
        """`batch_entries`: False writes every post and page one by one (for tests)."""
        self.options = options or Options()
        self.report = report or Report()
        self.media = media or Media()  # attachments' files, galleries, featured images
        self.identities = None
        self.now = timezone.now()
        self.mapped_users = {}  # WordPress login → user, from --author-map
        self.users = {}  # WordPress login → user
        self.terms = {}  # (taxonomy, slug) → pk
        self.terms_seen = set()  # (taxonomy, slug) handled in this run
        self.orphan_categories = []  # (category pk, parent slug) to link once all are read
        self.unplaced_attachments = []  # (ImportedItem pk, parent wp id)
        self.category_series = {}  # category slug → [(date, post pk)]
        self.seen_ids = SeenIds(self.report)
        self.progress = None  # wordpress.progress.Progress, when the command shows one
        self.entries = entry_batch.NewEntries(self, enabled=batch_entries)

    def run(self, records, progress=None):
        """Import every record; a truncated or malformed file keeps what came before."""
        records, self.progress = iter(records), progress
        self.start(next(records))
        while True:
            handled = 0
            with transaction.atomic():
                try:
                    for record in islice(records, BATCH_SIZE):
                        self.handle_safely(record)
                        handled += 1
                        if progress:
                            progress(record)
                except BrokenFile as exc:
                    self.report.error = f"{exc} The items before that point were imported."
                    handled = 0
                self.entries.flush()
            if handled < BATCH_SIZE:
                break
        try:
            with transaction.atomic():
                self.finish()
        except Exception as exc:
            logger.debug("WXR import's last step failed", exc_info=True)
            message = f"category parents, attachment pages or category series not linked: {exc}"
            self.report.problem("import", "", "", message)
        return self.report

    def start(self, channel: Channel):
        self.report.site, self.report.wxr_version = channel.site, channel.wxr_version
        if channel.wxr_version not in SUPPORTED_VERSIONS:
            self.report.problem(
                "file", "", "", f"WXR version {channel.wxr_version} is not 1.0-1.2; read as 1.2"
            )
        self.identities = Identities(channel.site)
        self.media.start(channel.site)
        self.mapped_users = {
            username_for(login): get_user_model().objects.get(username=username)
            for login, username in self.options.author_map.items()
        }
        self.load_caches()

    def load_caches(self):
        """What the run keeps in memory, from the database (again after a rollback)."""
        for wp_type in ("author", "category", "tag"):
            self.identities.preload(wp_type)
        self.terms = {
            (taxonomy, slug): item.object_id
            for taxonomy, wp_type in (("category", "category"), ("post_tag", "tag"))
            for slug, item in self.identities.preloaded[wp_type].items()
        }
        self.terms_seen = set()
        self.users = dict(self.mapped_users)

    def handle_safely(self, record):
        if self.entries.takes(record):
            return self.stage_safely(record)
        self.entries.flush()  # what follows may refer to them (attachments' parents)
        checkpoint = self.report.checkpoint()
        try:
            with transaction.atomic():
                self.handle(record)
        except Exception as exc:
            self.skip(record, checkpoint, exc)

    def skip(self, record, checkpoint, exc, written=True):
        # Whatever broke, this item is rolled back and the import goes on.
        logger.debug("WXR record failed", exc_info=True)
        self.report.roll_back_to(checkpoint)
        kind, wp_id, title = describe(record)
        self.report.problem(kind, wp_id, title, f"not imported: {type(exc).__name__}: {exc}")
        self.report.count(PLURALS.get(kind, kind), "skipped")
        if written:
            self.load_caches()  # drop what the rolled-back savepoint created

    def stage_safely(self, item):
        """Build a post or page to write with its batch; only a new author or term
        is written now, and needs a savepoint."""
        if self.entries.has(item):
            self.entries.flush()
        checkpoint = self.report.checkpoint()
        writes = self.writes_while_building(item)
        try:
            with transaction.atomic() if writes else nullcontext():
                self.seen_ids.check(item)
                entry = posts.build(self, item)
        except Exception as exc:
            self.skip(item, checkpoint, exc, written=writes)
            return
        if entry is not None:
            self.entries.add(entry)

    def writes_while_building(self, item):
        if item.post_type != "post":
            return False
        if username_for(item.creator) not in self.users:
            return True
        return any(
            (term.taxonomy, clean_slug(term.slug) or clean_slug(term.name)) not in self.terms_seen
            for term in item.terms
            if term.taxonomy in TERM_MODELS
        )

    def write_safely(self, entry, identity):
        """Write one built entry in its own savepoint (`identity`: its ImportedItem)."""
        checkpoint = self.report.checkpoint()
        try:
            with transaction.atomic():
                posts.write(self, entry, identity)
        except Exception as exc:
            self.skip(entry.item, checkpoint, exc)

    def handle(self, record):
        if isinstance(record, Author):
            self.author(record)
        elif isinstance(record, Term):
            self.term(record)
        elif isinstance(record, Item):
            self.item(record)

    def item(self, item):
        if item.post_type in ("post", "page", "attachment"):
            self.seen_ids.check(item)
        if item.post_type in ("post", "page"):
            posts.import_item(self, item)
        elif item.post_type == "attachment":
            self.attachment(item)
        else:
            # Menus, revisions, templates and other machinery of a WordPress site.
            self.report.count(item.post_type or "unknown items", "skipped")

    # Authors

    def author(self, author):
        username = username_for(author.login)
        if username in self.mapped_users:
            user = self.mapped_users[username]
            self.identities.record("author", username, user)
            self.report.count("authors", "unchanged", key=username)  # merged, as asked
        else:
            user = self.user_for(author.login, author)
        old_ids.remember_author(self.identities, author, user)

    def user_for(self, login, author=None):
        """The account for a WordPress login: mapped, imported before, matched or new."""
        username = username_for(login)
        if username in self.users:
            return self.users[username]
        if username != (login or "").strip():
            self.report.problem("author", login, "", f"login read as “{username}”")
        item = self.identities.find("author", username)
        user = self.identities.target(item, get_user_model())
        if user is not None:
            self.report.count("authors", "unchanged", key=username)
        else:
            user = self.create_user(username, author or Author(login=username))
        self.identities.record("author", username, user)
        self.users[username] = user
        return user

    def create_user(self, username, author):
        users = get_user_model()
        if (user := users.objects.filter(username=username).first()) is not None:
            self.report.problem(
                "author", username, author.display_name,
                f"matched the existing account “{username}” (--author-map chooses another)",
            )  # fmt: skip
            self.report.count("authors", "unchanged", key=username)
            return user
        first, last = author.first_name, author.last_name
        if not (first or last) and author.display_name != author.login:
            first = author.display_name
        user = users(
            username=username,
            email=author.email,
            first_name=plain_text(first)[:150],
            last_name=plain_text(last)[:150],
        )
        user.set_unusable_password()
        user.save()
        self.report.count("authors", "created", key=username)
        return user

    # Categories and tags

    def term(self, term, declared=True):
        if term.taxonomy == series_rules.SERIES_TAXONOMY:
            return series_rules.declare_series(self, term)
        if term.taxonomy not in TERM_MODELS:
            self.report.count(f"{term.taxonomy or 'other'} terms", "skipped")
            return None
        slug = clean_slug(term.slug) or clean_slug(term.name)
        if not slug:
            raise ValueError("a term without a slug or name")
        key = (term.taxonomy, slug)
        if key in self.terms_seen:
            return self.terms[key]
        model, kind = TERM_MODELS[term.taxonomy]
        wp_type = "category" if model is Category else "tag"
        obj = self.identities.target(self.identities.find(wp_type, slug), model)
        obj = obj or model.objects.filter(slug=slug).first()
        values = {"name": plain_text(term.name)[:200] or slug, "slug": slug}
        if model is Category:
            values["description"] = plain_text(term.description)
            values["parent_id"] = self.parent_category(obj, term.parent_slug)
        outcome = save_changes(obj, model, values)
        obj = outcome.obj
        self.report.count(kind, outcome.name, key=slug)
        if model is Category and term.parent_slug and values["parent_id"] is None:
            self.orphan_categories.append((obj.pk, clean_slug(term.parent_slug)))
        if not declared and outcome.name == "created":
            self.report.problem(
                wp_type, slug, values["name"], "used by items but not declared in the file; created"
            )
        self.identities.record(wp_type, slug, obj)
        old_ids.remember_term(self.identities, term, obj)
        self.terms[key] = obj.pk
        self.terms_seen.add(key)
        return obj.pk

    def parent_category(self, category, parent_slug):
        parent = self.terms.get(("category", clean_slug(parent_slug))) if parent_slug else None
        if parent is None and category is not None and parent_slug:
            return category.parent_id  # linked at the end, once the parent is known
        return parent

    def term_ids(self, item):
        """The pks of an item's categories and tags, creating those never declared."""
        found = {"category": [], "post_tag": []}
        for term in item.terms:
            if term.taxonomy not in found:
                continue  # series: filed with the post (series_rules.file_post)
            pk = self.term(term, declared=False)
            if pk is not None and pk not in found[term.taxonomy]:
                found[term.taxonomy].append(pk)
        return found["category"], found["post_tag"]

    # Attachments

    def attachment(self, item):
        url = item.attachment_url or item.guid
        parent = self.parent_object(item.parent_wp_id)
        known = self.identities.find("attachment", item.wp_id, item.guid[:500])
        imported, changed = self.identities.record(
            "attachment", item.wp_id, parent, known=known,
            guid=item.guid[:500], old_path=old_path(item.link), old_url=url[:1000],
        )  # fmt: skip
        if parent is None and item.parent_wp_id not in ("", "0"):
            self.unplaced_attachments.append((imported.pk, item.parent_wp_id))
        self.report.attachments.append(url)
        self.media.saw_attachment(item)
        outcome = "created" if known is None else "updated" if changed else "unchanged"
        self.report.count("attachments", outcome)

    def parent_object(self, wp_id):
        """The imported post or page with this WordPress id, if any."""
        if wp_id in ("", "0"):
            return None
        for wp_type, model in (("post", Post), ("page", Page)):
            if target := self.identities.target(self.identities.find(wp_type, wp_id), model):
                return target
        return None

    # After the last item

    def finish(self):
        categories = dict(self.terms)
        for pk, parent_slug in self.orphan_categories:
            parent = categories.get(("category", parent_slug))
            if parent is not None and parent != pk:
                Category.objects.filter(pk=pk).update(parent_id=parent)
        for item_pk, parent_wp_id in self.unplaced_attachments:
            if (parent := self.parent_object(parent_wp_id)) is not None:
                ImportedItem.objects.filter(pk=item_pk).update(
                    content_type=ContentType.objects.get_for_model(parent), object_id=parent.pk
                )
        series_rules.file_category_series(self)
        self.media.finish(self)


@dataclass
class Outcome:
    obj: object
    name: str  # created, updated or unchanged


def save_changes(obj, model, values):
    """Create the object, or save only what differs; say which it was."""
    if obj is None:
        return Outcome(model.objects.create(**values), "created")
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return Outcome(obj, "unchanged")
    for name in changed:
        setattr(obj, name, values[name])
    obj.save()
    return Outcome(obj, "updated")


def username_for(login):
    """A WordPress login as a username here (exports carry stray characters: ">admin")."""
    return USERNAME_NOT_ALLOWED.sub("-", (login or "").strip()).strip("-")[:150] or "wordpress"


def describe(record):
    """(kind, WordPress id, title) of a record, for the report."""
    if isinstance(record, Item):
        return record.post_type, record.wp_id, plain_text(record.title)
    if isinstance(record, Term):
        return "category" if record.taxonomy == "category" else "tag", record.slug, record.name
    if isinstance(record, Author):
        return "author", record.login, record.display_name
    return "record", "", ""
