"""A thread's HTML assembled from per-comment fragments kept in the cache.

A fragment is what every reader sees of one comment (author, date, text, and the
reply link's markup), rendered by a template once, when the comment changes. Its
key holds a digest of the fields it prints and of the templates, so an edit or a
new template gives a new key and the old entry ages out: nothing is invalidated.
A thread costs one `get_many`; the missing fragments are rendered and `set_many`'d.

What differs per reader or per day stays out of the fragments and is added per
request: the list markup that nests the thread, placeholders for removed comments,
the reader's own held comment (rendered for them only, never cached) and the reply
links (shown only while comments are open). With the cache empty or down (Redis
errors are ignored in settings) every fragment is rendered: slower, still right.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from core.content_version import version

from . import avatars
from .paging import Paging
from .thread import closing_markup, comment_tree, flatten
from .visibility import discussion_key_of

COMMENT_TEMPLATE = "comments/fragments/comment.html"
REPLY_LINK_TEMPLATE = "comments/fragments/reply_link.html"
# A comment unchanged for longer is rendered again on its next view.
FRAGMENT_SECONDS = 7 * 24 * 3600
FORMAT = "v1"  # of the cached value, a (body, reply link) pair
PLACEHOLDER = '<p class="comment-removed">Comment removed.</p>'


def rendering_salt():
    """What every fragment depends on besides its comment: the templates (so that a
    changed template renders every fragment anew), the time zone and language of the
    dates. Read once per thread; the template loader caches the sources."""
    sources = [
        get_template(name).template.source for name in (COMMENT_TEMPLATE, REPLY_LINK_TEMPLATE)
    ]
    salt = "\0".join((*sources, settings.TIME_ZONE, settings.LANGUAGE_CODE))
    return hashlib.blake2b(salt.encode(), digest_size=8).hexdigest()


def fragment_key(comment, salt=None):
    """The comment's id and a digest of everything its fragment prints."""
    printed = "\0".join(
        (
            rendering_salt() if salt is None else salt,
            comment.user_name,
            comment.user_url or "",
            comment.submit_date.isoformat(),
            comment.comment_html,
            avatars.printed(comment),
        )
    )
    digest = hashlib.blake2b(printed.encode(), digest_size=10).hexdigest()
    return f"comment-fragment:{FORMAT}:{comment.pk}:{digest}"


def render_fragment(comment, awaiting_moderation=False):
    """(body, reply link) of one comment; the body leaves its <article> open."""
    context = {"comment": comment, "awaiting_moderation": awaiting_moderation}
    body = get_template(COMMENT_TEMPLATE).render(context)
    reply_link = get_template(REPLY_LINK_TEMPLATE).render(context)
    # Plain strings (not SafeString): they unpickle several times faster from the cache.
    return "" + body, "" + reply_link


def shared_fragments(comments):
    """The fragments of `comments` by pk: one cache round trip, the missing rendered
    and stored in one more."""
    salt = rendering_salt()
    keys = {fragment_key(comment, salt): comment for comment in comments}
    found = cache.get_many(list(keys))
    missing = {key: render_fragment(comment) for key, comment in keys.items() if key not in found}
    if missing:
        cache.set_many(missing, FRAGMENT_SECONDS)
    return {comment.pk: found.get(key) or missing[key] for key, comment in keys.items()}


def thread_html(rows, *, replies_open, max_level):
    """The whole thread: the rows of `thread.flatten` inside one list."""
    shown = [row.node for row in rows if not row.node.placeholder]
    fragments = shared_fragments(node.comment for node in shown if not node.awaiting_moderation)
    parts = ['<ol class="comment-list">']
    for row in rows:
        node, comment = row.node, row.node.comment
        item = f'<li class="comment depth-{row.depth + 1}" id="comment-{comment.pk}">'
        parts += (row.before, "\n  ", item)
        if node.placeholder:
            parts.append(PLACEHOLDER)
            continue
        if node.awaiting_moderation:
            body, reply_link = render_fragment(comment, awaiting_moderation=True)
        else:
            body, reply_link = fragments[comment.pk]
        parts.append(body)
        if replies_open and not node.awaiting_moderation and comment.level < max_level:
            parts.append(reply_link)
        parts.append("</article>")
    parts.append(closing_markup(rows))
    parts.append("</ol>")
    return mark_safe("".join(parts))  # noqa: S308 (fixed markup, ints and escaped fragments)


def cached_thread(post, *, replies_open, max_level, number=None):
    """(thread HTML, public count, Paging) of comment page `number` (None: the
    default page) as every reader without comments of their own sees it, assembled
    once per version of the post's discussion (bumped whenever a comment there
    becomes public, changes or leaves: `comments/visibility.py`), so a page rendered
    without the page cache costs one cache read for its whole discussion."""
    key = ":".join(
        (
            "comment-thread",
            FORMAT,
            post._meta.model_name,
            str(post.pk),
            version(discussion_key_of(post)),
            rendering_salt(),
            f"{int(replies_open)}{max_level}",
            f"{number or 0}-{settings.COMMENTS_PER_PAGE}-{settings.COMMENTS_DEFAULT_PAGE}",
        )
    )
    entry = cache.get(key)
    if entry is None:
        threads, count = comment_tree(post, ())
        page = Paging.of(post, len(threads), number)
        shown = flatten(page.slice(threads))
        html = thread_html(shown, replies_open=replies_open, max_level=max_level)
        # A plain str unpickles faster.
        entry = ("" + html if threads else "", count, len(threads))
        cache.set(key, entry, FRAGMENT_SECONDS)
    html, count, thread_count = entry
    page = Paging.of(post, thread_count, number)
    return mark_safe(html), count, page  # noqa: S308 (assembled by thread_html above)
