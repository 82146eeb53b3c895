"""Revisions of posts and pages: one kept on every save, autosaves while writing.

A small model of our own rather than django-reversion: what we need is the text an
author wrote (title, excerpt, body), who wrote it and when, an autosave per author
and item that never touches the item itself, a readable comparison and a restore
that passes the sanitiser again. django-reversion stores whole serialised objects
(with their relations) inside a save's transaction and has no notion of an autosave
kept apart from the object's own history; we would use little of it and work
around the rest.

Pruning (`prune`), run after every saved revision:
- the newest `KEEP_RECENT` saved revisions of an item are kept;
- of older ones, only the newest of each day (in the site's time zone);
- autosaves: at most one per author and item (a database constraint), deleted when
  that author saves the item.
"""

import difflib
import html
import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .sanitizer import BLOCK_END, TAG, sanitize_html

# The fields a revision keeps, when the item has them (pages have no excerpt).
TRACKED_FIELDS = ("title", "excerpt", "body")
KEEP_RECENT = 50


class Kind(models.TextChoices):
    SAVE = "save", "Saved"
    AUTOSAVE = "autosave", "Autosave"
    RESTORE = "restore", "Restored"


class RevisionQuerySet(models.QuerySet):
    def of(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def saved(self):
        return self.exclude(kind=Kind.AUTOSAVE)

    def autosaves(self):
        return self.filter(kind=Kind.AUTOSAVE)


class Revision(models.Model):
    """The text of a post or page at one moment: a save, a restore or an autosave."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SAVE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # Set on every write: an autosave is one row, updated in place.
    created_at = models.DateTimeField(default=timezone.now)
    title = models.CharField(max_length=300)
    excerpt = models.TextField(blank=True)
    body = models.TextField(blank=True)
    changed = models.CharField(
        max_length=100, blank=True, help_text="The fields that differ from the revision before."
    )
    restored_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "author"],
                condition=models.Q(kind="autosave"),
                name="revision_one_autosave_per_author",
                violation_error_message="You already have an autosave of this; it is replaced.",
            ),
        ]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "-created_at"], name="revision_item_time_idx"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def fields(self):
        return {name: getattr(self, name) for name in TRACKED_FIELDS}


def tracked_names(model):
    """The tracked fields the model has (pages have no excerpt)."""
    return [name for name in TRACKED_FIELDS if hasattr(model, name)]


def tracked_values(obj):
    return {name: getattr(obj, name, "") or "" for name in TRACKED_FIELDS}


def _changed_names(before, after):
    if before is None:
        return ""
    return ", ".join(name for name in TRACKED_FIELDS if before.get(name) != after.get(name))


@transaction.atomic
def record(obj, user, kind=Kind.SAVE, restored_from=None):
    """Keep the item's current text as a revision (after it was saved)."""
    values = tracked_values(obj)
    previous = Revision.objects.of(obj).saved().first()
    revision = Revision.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        kind=kind,
        author=user,
        changed=_changed_names(previous.fields() if previous else None, values),
        restored_from=restored_from,
        **values,
    )
    # A real save supersedes the author's autosave.
    Revision.objects.of(obj).autosaves().filter(author=user).delete()
    prune(obj)
    return revision


def autosave(obj, user, values):
    """Keep the author's unsaved text; the item itself is left as it is. Returns the
    autosave, or None when the text is the item's own (nothing to offer back)."""
    values = {
        name: sanitize_html(value) if name == "body" else value
        for name, value in values.items()
        if name in TRACKED_FIELDS and hasattr(obj, name)
    }
    current = tracked_values(obj)
    if all(current[name] == value for name, value in values.items()):
        Revision.objects.of(obj).autosaves().filter(author=user).delete()
        return None
    revision, _ = Revision.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        author=user,
        kind=Kind.AUTOSAVE,
        defaults={
            **current,
            **values,
            "created_at": timezone.now(),
            "changed": _changed_names(current, {**current, **values}),
        },
    )
    return revision


def newer_autosave(obj, user):
    """The author's autosave of the item, if it is newer than the item's last save."""
    return (
        Revision.objects.of(obj)
        .autosaves()
        .filter(author=user, created_at__gt=obj.updated_at)
        .first()
    )


@transaction.atomic
def restore(obj, revision, user):
    """Put the revision's text back into the item, save it, and keep that as a revision.
    The text it replaces is kept first if no revision holds it yet."""
    latest = Revision.objects.of(obj).saved().first()
    if latest is None or latest.fields() != tracked_values(obj):
        record(obj, user)
    for name, value in revision.fields().items():
        if hasattr(obj, name):
            setattr(obj, name, value)
    obj.save()  # the body passes the sanitiser again in save()
    return record(obj, user, kind=Kind.RESTORE, restored_from=revision)


def prune(obj, keep=KEEP_RECENT):
    """Delete saved revisions beyond the newest `keep`, except the newest of each day."""
    older = list(
        Revision.objects.of(obj)
        .saved()
        .order_by("-created_at", "-pk")
        .values_list("pk", "created_at")[keep:]
    )
    kept_days, doomed = set(), []
    for pk, created_at in older:
        day = timezone.localdate(created_at)
        if day in kept_days:
            doomed.append(pk)
        else:
            kept_days.add(day)
    if doomed:
        Revision.objects.filter(pk__in=doomed).delete()
    return len(doomed)


# Comparing: the body is compared as text, a paragraph per line, word by word.
WORD = re.compile(r"\n|[^\S\n]+|[^\s]+")


def body_lines(body):
    text = TAG.sub("", BLOCK_END.sub("\n", body or ""))
    lines = (" ".join(line.split()) for line in html.unescape(text).split("\n"))
    return "\n".join(line for line in lines if line)


def diff_html(old, new):
    """`old` and `new` word by word, as escaped HTML with <del> and <ins>."""
    a, b = WORD.findall(old or ""), WORD.findall(new or "")
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def diff_paragraphs(old, new, context=1):
    """Like `diff_html` for text a paragraph a line, with long unchanged runs folded
    into a "… n unchanged paragraphs …" line, so the changes stand out."""
    a, b = old.split("\n") if old else [], new.split("\n") if new else []
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            lines = a[i1:i2]
            first, last = i1 == 0, i2 == len(a)
            head = [] if first else lines[:context]
            tail = [] if last else lines[len(head) :][-context:]
            folded = len(lines) - len(head) - len(tail)
            shown = [escape(line) for line in head]
            if folded:
                plural = "s" if folded > 1 else ""
                shown.append(
                    f'<span class="desk-folded">… {folded} unchanged paragraph{plural} …</span>'
                )
            shown += [escape(line) for line in tail]
            parts.extend(shown)
        else:
            parts.append(diff_html("\n".join(a[i1:i2]), "\n".join(b[j1:j2])))
    return mark_safe("\n".join(parts))  # noqa: S308 - every piece is escaped


def compare(old, new, names=TRACKED_FIELDS):
    """Per field: its name, whether it changed, and the marked-up difference."""
    rows = []
    for name in names:
        before, after = old.get(name), new.get(name)
        differ = diff_html
        if name == "body":
            before, after, differ = body_lines(before), body_lines(after), diff_paragraphs
        rows.append(
            {"name": name, "changed": before != after, "diff": differ(before or "", after or "")}
        )
    return rows
