"""Which cached pages a comment's change makes stale (`core/content_version.py`).

Readers see only public comments, so only a comment that is public before or after
a save (or a delete) bumps anything: its post's (or page's) discussion key (the
entry's page, its comment feed, a post's count in listings) and "comments" (the
recent-comments widget). A comment held or marked spam, and staying out of sight,
bumps nothing: a flood of them leaves every cached page in place.

"Before" is the state the comment had when loaded (`BlogComment.from_db`), so this
costs no query; a comment whose state was not loaded counts as public.
"""

from django.db.models.signals import post_delete, post_save, pre_delete

from core.content_version import bump

COMMENTS = "comments"


def discussion_key(pk, model="post"):
    """`discussion:<pk>` for a post (what listings' counts follow),
    `discussion:<model>:<pk>` for any other entry that takes comments (a page)."""
    return f"discussion:{pk}" if model == "post" else f"discussion:{model}:{pk}"


def discussion_key_of(entry):
    return discussion_key(entry.pk, entry._meta.model_name)


def is_public(comment):
    from .models import State

    return comment.state == State.PUBLIC and not comment.is_removed


def keys_shown_by(comment):
    from django.contrib.contenttypes.models import ContentType

    model = ContentType.objects.get_for_id(comment.content_type_id).model  # cached
    return (discussion_key(comment.object_pk, model), COMMENTS)


def bump_if_seen(sender, instance, created=False, **kwargs):
    was_public = False if created else getattr(instance, "public_when_loaded", None)
    now_public = is_public(instance)
    if was_public is not False or now_public:  # None: unknown, as if it was
        bump(*keys_shown_by(instance))
    instance.public_when_loaded = now_public


def note_if_seen(sender, instance, **kwargs):
    """Before a delete, while deferred fields can still be loaded: what it shows."""
    seen = getattr(instance, "public_when_loaded", None) is not False or is_public(instance)
    instance.keys_to_bump = keys_shown_by(instance) if seen else ()


def bump_if_was_seen(sender, instance, **kwargs):
    bump(*getattr(instance, "keys_to_bump", keys_shown_by(instance)))


def connect(model):
    post_save.connect(bump_if_seen, sender=model, dispatch_uid="comment-visibility-save")
    pre_delete.connect(note_if_seen, sender=model, dispatch_uid="comment-visibility-predelete")
    post_delete.connect(bump_if_was_seen, sender=model, dispatch_uid="comment-visibility-delete")
