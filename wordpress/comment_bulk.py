"""Entries' comments written in a few statements, when none was imported before.

Saved one by one, a comment costs an INSERT in each of its three tables
(django_comments, xtd's, BlogComment's), a query for its parent and an UPDATE that
makes room in the thread: 100,000 comments were about 450,000 round trips, most of
an import's time. A first import knows every comment of the entry up front, in an
order where parents come first, so the threads (xtd's thread, parent, level,
pre-order `order` and `nested_count`) are computed here and each table gets one
multi-row INSERT per batch, with the same values a one-by-one save would store.

Multi-table models cannot go through bulk_create, so each table is written with
the queryset's `_insert` (what bulk_create and save use underneath), the base
table returning the new ids.
"""

from django.db import connections, router
from django_comments.models import Comment
from django_comments_xtd.models import XtdComment

from comments.models import BlogComment, State, render_comment_text
from comments.visibility import is_public, keys_shown_by
from core.content_version import bump

BATCH = 500  # rows per INSERT: well under PostgreSQL's 65,535 parameters


def can_bulk_insert():
    db = router.db_for_write(BlogComment)
    return connections[db].features.can_return_rows_from_bulk_insert


class NewComments:
    """New comments of one entry or more, in insert order (parents before replies)."""

    def __init__(self):
        self.rows = []

    def add(self, comment, parent):
        """`parent`: a comment added before, or None to start a thread."""
        comment.bulk_parent = parent
        comment.level = parent.level + 1 if parent is not None else 0
        self.rows.append(comment)

    def write(self):
        if not self.rows:
            return []
        db = router.db_for_write(BlogComment)
        for row in self.rows:
            # What BlogComment.save does before an insert.
            row.strip_bidi_fields()
            row.comment_html = render_comment_text(row.comment)
            row.is_public = row.state == State.PUBLIC
        base_fields = [f for f in Comment._meta.local_concrete_fields if not f.primary_key]
        for batch in batches(self.rows):
            returned = Comment._base_manager._insert(
                batch, fields=base_fields, returning_fields=[Comment._meta.pk], using=db
            )
            for row, (pk,) in zip(batch, returned, strict=True):
                row.id = row.comment_ptr_id = row.xtdcomment_ptr_id = pk
        place_in_threads(self.rows)
        for model in (XtdComment, BlogComment):
            for batch in batches(self.rows):
                model._base_manager._insert(
                    batch, fields=model._meta.local_concrete_fields, using=db
                )
        for row in self.rows:
            row._state.adding, row._state.db = False, db
            row.public_when_loaded = is_public(row)
            del row.bulk_parent
        # What each save's signal would have made stale, once for each entry.
        stale = {key for row in self.rows if row.public_when_loaded for key in keys_shown_by(row)}
        if stale:
            bump(*stale)
        return self.rows


def place_in_threads(rows):
    """xtd's thread fields: a thread is named after its first comment; `order` numbers
    a thread's comments in pre-order (replies in the order they came, after their
    parent and its earlier replies); `nested_count` counts a comment's descendants."""
    children = {}
    roots = []
    for row in rows:
        parent = row.bulk_parent
        if parent is None:
            row.thread_id = row.parent_id = row.pk
            roots.append(row)
        else:
            row.thread_id, row.parent_id = parent.thread_id, parent.pk
            children.setdefault(id(parent), []).append(row)
    for root in roots:
        order = 0
        stack = [(root, False)]
        while stack:  # iterative pre-order: threads may be deep
            row, finished = stack.pop()
            if finished:
                row.nested_count = sum(1 + c.nested_count for c in children.get(id(row), ()))
                continue
            order += 1
            row.order = order
            stack.append((row, True))
            stack.extend((child, False) for child in reversed(children.get(id(row), ())))


def batches(rows):
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]
