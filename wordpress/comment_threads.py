"""A post's (or a page's) WordPress comments as BlogComments, threads intact.

Comments are written directly, not through the screening pipeline: they were
judged on the old site, so Akismet is not asked again and no mail goes out.
django-comments-xtd threads each new reply in save(), so parents are saved before
their replies. Replies nested deeper than COMMENTS_MAX_DEPTH allows are attached to
their deepest ancestor that may still have replies, as WordPress shows replies
beyond its own depth setting: same thread, same order, at the deepest level.
"""

import ipaddress

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django_comments_xtd.models import max_thread_level_for_content_type

from comments.models import BlogComment, State

from .comment_bulk import BATCH, NewComments, can_bulk_insert
from .content import comment_text, plain_text
from .dates import best_date
from .identity import comment_owner_key
from .models import ImportedItem

REASON = "imported from WordPress"
PINGS = ("pingback", "trackback")
STATES = {"1": State.PUBLIC, "approve": State.PUBLIC, "0": State.HELD, "hold": State.HELD,
          "spam": State.SPAM}  # fmt: skip
TRASH = ("trash", "post-trashed")
FIELDS = ("user_name", "user_email", "user_url", "comment", "submit_date", "ip_address",
          "user_agent", "state", "is_removed", "reason")  # fmt: skip


def import_comments(importer, item, post, new_comments=None):
    """`new_comments`: a post created in this batch, whose comments are written with
    the batch's (see write_new_comments); else they are written here."""
    report, options = importer.report, importer.options
    wanted = []
    for comment in item.comments:
        ping, trash = comment.type in PINGS, comment.approved in TRASH
        if (options.skip_pings and ping) or (options.skip_trash and trash):
            report.count("comments", "skipped")
        else:
            wanted.append(comment)
    if not wanted:
        return
    thread = Thread(importer, item, post, new_comments)
    for comment in parents_first(wanted):
        thread.place(comment)
    if new_comments is None:
        if thread.bulk is not None:
            write_new_comments(importer, thread.bulk)
        ImportedItem.objects.bulk_create(thread.new_identities)


def write_new_comments(importer, new_comments):
    """Insert the placed comments and their identities."""
    identities = importer.identities
    ImportedItem.objects.bulk_create(
        [identities.new_item("comment", row.wp_id, row, guid=row.owner_key)
         for row in new_comments.write()],
        batch_size=BATCH,
    )  # fmt: skip


def parents_first(comments):
    """The comments ordered so that each comes after its parent (else by id)."""
    by_id = {c.wp_id: c for c in comments}
    ordered, done = [], set()

    def visit(comment, path=()):
        if comment.wp_id in done or comment.wp_id in path:  # path: a loop in bad data
            return
        parent = by_id.get(comment.parent_wp_id)
        if parent is not None:
            visit(parent, (*path, comment.wp_id))
        done.add(comment.wp_id)
        ordered.append(comment)

    for comment in sorted(comments, key=lambda c: (len(c.wp_id), c.wp_id)):
        visit(comment)
    return ordered


class Thread:
    """The comments of one post (or page), placed one by one."""

    def __init__(self, importer, item, post, new_comments=None):
        self.importer, self.item, self.post = importer, item, post
        self.content_type = ContentType.objects.get_for_model(type(post))  # a post or a page
        self.max_level = max_thread_level_for_content_type(self.content_type)
        self.all_ids = {c.wp_id for c in item.comments}
        self.owner_key = comment_owner_key(item)
        self.new_identities = []
        self.item_date, _ = best_date(item.date_gmt, item.date, item.pub_date)
        if new_comments is not None:  # the post is new: none of its comments exists
            self.placed, self.by_pk, self.bulk = {}, {}, new_comments
            return
        known = importer.identities.find_many(
            "comment", [c.wp_id for c in item.comments], guid=self.owner_key
        )
        # Only this entry's comments: another item may have used the same comment ids.
        rows = BlogComment.objects.filter(
            content_type=self.content_type, object_pk=str(post.pk)
        ).in_bulk([i.object_id for i in known.values()])
        self.placed = {w: rows[i.object_id] for w, i in known.items() if i.object_id in rows}
        self.by_pk = {c.pk: c for c in self.placed.values()}
        # None imported before (a first import): place them all, then insert in bulk.
        self.bulk = NewComments() if not self.placed and can_bulk_insert() else None

    def problem(self, comment, message):
        item = self.item
        message = f"(on {item.post_type} {item.wp_id}) {message}"
        self.importer.report.problem("comment", comment.wp_id, plain_text(item.title), message)

    def place(self, comment):
        values = self.values(comment)
        existing = self.placed.get(comment.wp_id)
        if existing is not None:
            changed = [f for f in FIELDS if getattr(existing, f) != values[f]]
            for name in changed:
                setattr(existing, name, values[name])
            if changed:
                existing.save()
            self.importer.report.count("comments", "updated" if changed else "unchanged")
            return
        new = BlogComment(
            content_type=self.content_type,
            object_pk=str(self.post.pk),
            site_id=settings.SITE_ID,
            **values,
        )
        parent = self.parent(comment)
        self.placed[comment.wp_id] = new
        self.importer.report.count("comments", "created")
        if self.bulk is not None:
            self.bulk.add(new, parent)
            new.wp_id, new.owner_key = comment.wp_id, self.owner_key
            return
        new.parent_id, new.parent_comment = (parent.pk, parent) if parent else (0, None)
        new.save()  # threaded here (comments/threading.py)
        self.by_pk[new.pk] = new
        self.new_identities.append(self.identity(comment.wp_id, new))

    def identity(self, wp_id, new):
        return self.importer.identities.new_item("comment", wp_id, new, guid=self.owner_key)

    def parent(self, comment):
        """The comment this one replies to, or None for a top-level comment."""
        wp_parent = comment.parent_wp_id
        if wp_parent in ("", "0"):
            return None
        parent = self.placed.get(wp_parent)
        if parent is None:
            why = "was skipped" if wp_parent in self.all_ids else "is not in the file"
            self.problem(comment, f"replies to comment {wp_parent}, which {why}; made top-level")
            return None
        if self.max_level == 0:
            self.problem(comment, "replies are off here (COMMENTS_MAX_DEPTH=1); made top-level")
            return None
        ancestor = parent
        while ancestor.level >= self.max_level:
            ancestor = (
                getattr(ancestor, "bulk_parent", None)
                or self.by_pk.get(ancestor.parent_id)
                or BlogComment.objects.get(pk=ancestor.parent_id)
            )
        if ancestor is not parent:
            self.problem(
                comment,
                f"nested deeper than COMMENTS_MAX_DEPTH ({self.max_level + 1}); "
                "shown at the deepest level of its thread",
            )
        return ancestor

    def values(self, comment):
        submitted, note = best_date(comment.date_gmt, comment.date)
        if submitted is None:
            submitted = self.item_date or self.importer.now
            self.problem(comment, f"{note}; dated like its post")
        state, removed = STATES.get(comment.approved), comment.approved in TRASH
        if state is None:
            state = State.HELD
            if not removed:
                self.problem(comment, f"unknown status “{comment.approved}”; held")
        kind = f" ({comment.type})" if comment.type in PINGS else ""
        return {
            "user_name": plain_text(comment.author)[:50].rstrip() or "Anonymous",
            "user_email": comment.email[:254] if "@" in comment.email else "",
            "user_url": self.url(comment),
            "comment": comment_text(comment.content),
            "submit_date": submitted,
            "ip_address": ip_or_none(comment.ip),
            "user_agent": comment.user_agent,
            "state": state,
            "is_removed": removed,
            "reason": REASON + kind,
        }

    def url(self, comment):
        if len(comment.url) > 200:
            self.problem(comment, "website address longer than 200 characters dropped")
            return ""
        return comment.url


def ip_or_none(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None
