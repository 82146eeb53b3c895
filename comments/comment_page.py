"""A comment's own page in the admin: what a moderator needs around one comment
(the commenter's record on this site, the links it carries, its history), and the
moderator's reply to it ("Approve and Reply", as WordPress has it).

The queue (the changelist) lives in admin.py; this module serves the change view,
the History view and the reply page.
"""

import re
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from blog.authors import display_name

from . import notifications
from .models import BlogComment, CommentHistory, State
from .moderation import moderate

URL_PATTERN = re.compile(r"(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
TRAILING_PUNCTUATION = ".,;:!?)]}'\""


# The commenter's record, the links, the history.


def commenter_record(comment):
    """Public, held and spam counts of comments with the same email and from the
    same IP address (this one included): one aggregate query each."""

    def counts(**lookup):
        return BlogComment.objects.filter(**lookup).aggregate(
            public=Count("pk", filter=Q(state=State.PUBLIC, is_removed=False)),
            held=Count("pk", filter=Q(state=State.HELD, is_removed=False)),
            spam=Count("pk", filter=Q(state=State.SPAM, is_removed=False)),
            deleted=Count("pk", filter=Q(is_removed=True)),
        )

    rows = []
    if comment.user_email:
        rows.append(("email", comment.user_email, counts(user_email__iexact=comment.user_email)))
    if comment.ip_address:
        rows.append(("IP address", comment.ip_address, counts(ip_address=comment.ip_address)))
    return rows


def links_in(comment):
    """Every web address in the text, in order and once each, with its host."""
    found = []
    for match in URL_PATTERN.finditer(comment.comment or ""):
        url = match.group(0).rstrip(TRAILING_PUNCTUATION)
        if url and url not in found:
            found.append(url)
    return [(url, host_of(url)) for url in found]


def host_of(url):
    full = url if "://" in url else f"http://{url}"
    try:
        return urlsplit(full).hostname or url
    except ValueError:
        return url


def history_of(comment):
    """The comment's moderation history, newest first (one query, actors joined)."""
    return list(comment.history.select_related("actor").order_by("-at", "-pk"))


# Editing: the previous values go into the history.

EDITABLE = {"comment": "text", "user_name": "name", "user_url": "website"}


def record_edit(comment, previous, actor):
    """Keep what an edit replaced; return the history entry (None if nothing changed)."""
    changed = {field: old for field, old in previous.items() if getattr(comment, field) != old}
    if not changed:
        return None
    note = ", ".join(f"{EDITABLE[field]} changed" for field in EDITABLE if field in changed)
    return CommentHistory.objects.create(
        comment=comment,
        actor=actor,
        action="edited",
        from_state=comment.state,
        to_state=comment.state,
        note=note,
        previous=changed,
    )


# Replying.


class ReplyForm(forms.Form):
    followup = forms.BooleanField(label="Notify me of follow-up comments by email", required=False)
    field_order = ["comment", "followup"]

    def __init__(self, *args, parent, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.parent = parent
        limit = settings.COMMENTS_MAX_LENGTH
        self.fields["comment"] = forms.CharField(
            label="Your reply",
            max_length=limit,
            widget=forms.Textarea(attrs={"rows": 8, "maxlength": limit, "autofocus": True}),
            error_messages={
                "required": "Please write your reply.",
                "max_length": f"Replies are limited to {limit:,} characters "
                "(yours has %(show_value)s). Please shorten it.",
            },
        )
        self.order_fields(self.field_order)

    def clean(self):
        data = super().clean()
        problem = reply_refusal(self.parent)
        if problem:
            raise forms.ValidationError(problem)
        return data


def reply_refusal(parent):
    """Why a moderator cannot reply to `parent` (None when they can)."""
    if parent.is_removed:
        return "This comment is deleted: restore it (Approve) before replying."
    if parent.state == State.SPAM:
        return "This comment is marked spam: approve it or mark it not spam before replying."
    if parent.content_object is None:
        return "The post of this comment no longer exists."
    if parent.level >= settings.COMMENTS_XTD_MAX_THREAD_LEVEL:
        return "This conversation is nested as deep as it goes; reply further up the thread."
    return None


def post_reply(parent, text, moderator, *, ip_address=None, followup=False):
    """Post `text` as the moderator's reply under `parent`, public at once.

    A held parent is approved first. The reply is saved through xtd's own save, which
    threads it (thread, parent, level, order); the spam checker never sees it (it is
    the site's own voice). Follow-up mail goes out after the commit, as for any
    public comment. Returns (reply, approved_parent).
    """
    with transaction.atomic():
        approved = parent.state == State.HELD and moderate(
            parent, "approve", moderator, note="approved to reply"
        )
        reply = BlogComment(
            content_type_id=parent.content_type_id,
            object_pk=parent.object_pk,
            site_id=parent.site_id,
            user=moderator,
            user_name=display_name(moderator)[:50],
            user_email=moderator.email,
            user_url="",
            comment=text,
            submit_date=timezone.now(),
            ip_address=ip_address,
            parent_id=parent.pk,
            followup=followup,
            state=State.PUBLIC,
            reason=f"reply by {moderator.get_username()} from the admin",
            screening=[
                {
                    "step": "moderator reply",
                    "result": "pass",
                    "reason": "posted from the admin; not sent to the spam checker",
                }
            ],
        )
        reply.save()
        CommentHistory.objects.create(
            comment=reply,
            actor=moderator,
            action="posted as a reply",
            to_state=State.PUBLIC,
            note=f"reply to comment {parent.pk}",
        )
        CommentHistory.objects.create(
            comment=parent,
            actor=moderator,
            action="replied",
            from_state=parent.state,
            to_state=parent.state,
            note=f"reply: comment {reply.pk}",
        )
        transaction.on_commit(lambda: notifications.comment_posted(reply.pk))
    return reply, approved
