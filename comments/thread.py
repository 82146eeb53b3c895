"""A post's comments as a tree: one query, nested in Python.

Readers see public comments, plus their own held ones. A comment that is gone
(spam, held, deleted) but has visible replies stays as a placeholder, so the
replies keep their place in the conversation.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils.safestring import mark_safe

from core.ids import parse_id

from .models import BlogComment, State, safe_website

OWN_COMMENTS_COOKIE_SALT = "comments.own"
RETURNED_COMMENT_SESSION_KEY = "returned_comment"
RETURNED_FIELDS = ("name", "email", "url", "comment", "followup")
OWN_COMMENTS_KEPT = 50


@dataclass(slots=True)
class ThreadComment:
    """What a thread shows of one comment: the columns the page prints and the tree
    needs, read as plain values (no model instance per comment)."""

    pk: int
    parent_id: int
    level: int
    state: str
    is_removed: bool
    user_name: str
    user_url: str
    submit_date: datetime
    comment_html: str
    user_email: str  # for Gravatar, only when the site enables it
    avatar_url: str

    COLUMNS = (
        "pk", "parent_id", "level", "state", "is_removed",
        "user_name", "user_url", "submit_date", "comment_html", "user_email", "avatar_url",
    )  # fmt: skip

    @property
    def website(self):
        return safe_website(self.user_url)


@dataclass
class Node:
    comment: ThreadComment
    visible: bool
    awaiting_moderation: bool = False
    children: list = field(default_factory=list)

    @property
    def placeholder(self):
        return not self.visible


def comment_tree(post, own_ids=()):
    """The visible threads of `post` and the number of public comments in them."""
    own_ids = set(own_ids)
    rows = (
        BlogComment.objects.for_object(post)
        .exclude(blatant=True)
        .order_by("thread_id", "order")
        .values_list(*ThreadComment.COLUMNS)
    )
    nodes, roots = {}, []
    for row in rows:
        comment = ThreadComment(*row)
        public = comment.state == State.PUBLIC and not comment.is_removed
        own_held = comment.pk in own_ids and comment.state == State.HELD and not comment.is_removed
        node = Node(comment, visible=public or own_held, awaiting_moderation=own_held)
        nodes[comment.pk] = node
        parent = nodes.get(comment.parent_id) if comment.parent_id != comment.pk else None
        (parent.children if parent else roots).append(node)
    public_count = sum(1 for n in nodes.values() if n.visible and not n.awaiting_moderation)
    return prune(roots), public_count


@dataclass
class Row:
    """One comment of the flattened tree, with the list markup that goes before it."""

    node: Node
    depth: int
    before: str


OPEN_LIST, CLOSE_ITEM, CLOSE_LIST_AND_ITEM = '<ol class="comment-list">', "</li>", "</ol></li>"


def flatten(roots):
    """The tree as rows in reading order, assembled without recursion
    (comments/fragments.py), which opens the outer list and ends with
    `closing_markup(rows)`."""
    rows, stack, previous = [], [(root, 0) for root in reversed(roots)], -1
    while stack:
        node, depth = stack.pop()
        if depth > previous:
            before = OPEN_LIST if previous >= 0 else ""
        else:
            before = CLOSE_ITEM + CLOSE_LIST_AND_ITEM * (previous - depth)
        rows.append(Row(node, depth, mark_safe(before)))  # noqa: S308 (fixed markup only)
        previous = depth
        stack.extend((child, depth + 1) for child in reversed(node.children))
    return rows


def closing_markup(rows):
    """What closes the items and lists still open after the last row."""
    if not rows:
        return ""
    return mark_safe(CLOSE_ITEM + CLOSE_LIST_AND_ITEM * rows[-1].depth)  # noqa: S308


def prune(nodes):
    """Drop hidden comments, keeping those with visible replies as placeholders."""
    kept = []
    for node in nodes:
        node.children = prune(node.children)
        if node.visible or node.children:
            kept.append(node)
    return kept


def own_comment_ids(request):
    """The ids of the comments this browser sent (the last OWN_COMMENTS_KEPT)."""
    value = request.get_signed_cookie(
        settings.OWN_COMMENTS_COOKIE_NAME,
        default="",
        salt=OWN_COMMENTS_COOKIE_SALT,
        max_age=settings.SESSION_COOKIE_AGE,
    )
    return [pk for part in value.split(".") if (pk := parse_id(part)) is not None]


def remember_own_comment(request, response, comment):
    """So that the commenter sees their held comment; nobody else does. Kept in a
    signed cookie, not the session: remembering costs no query and no session row
    for every anonymous commenter (and spam bot). The page caches treat the cookie as
    personal (core/page_cache.py). Returns `response`."""
    ids = [*own_comment_ids(request), comment.pk][-OWN_COMMENTS_KEPT:]
    response.set_signed_cookie(
        settings.OWN_COMMENTS_COOKIE_NAME,
        ".".join(map(str, ids)),
        salt=OWN_COMMENTS_COOKIE_SALT,
        max_age=settings.SESSION_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite=settings.SESSION_COOKIE_SAMESITE,
    )
    return response


def keep_returned_comment(request, post, cleaned_data):
    """Keep what the reader typed for the next rendering of `post`'s form."""
    kept = {name: cleaned_data.get(name) for name in RETURNED_FIELDS}
    request.session[RETURNED_COMMENT_SESSION_KEY] = {"post": entry_label(post), **kept}


def pop_returned_comment(request, post):
    """The fields kept for `post`'s form, once; None if there are none."""
    session = getattr(request, "session", None)
    if session is None or not session.session_key:
        return None
    kept = session.get(RETURNED_COMMENT_SESSION_KEY)
    if not kept or kept.get("post") != entry_label(post):
        return None
    del session[RETURNED_COMMENT_SESSION_KEY]
    return {name: kept.get(name) for name in RETURNED_FIELDS}


def entry_label(entry):
    """Which post or page kept text belongs to: ids of posts and pages overlap."""
    return f"{entry._meta.model_name}:{entry.pk}"
