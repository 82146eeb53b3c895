from django import template
from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from blog.models import Page, Post
from blog.views import feed_links
from comments import paging
from comments.avatars import avatar_html
from comments.forms import BlogCommentForm
from comments.fragments import cached_thread, thread_html
from comments.models import BlogComment
from comments.moderation import moderator_for
from comments.paging import Paging
from comments.thread import comment_tree, flatten, own_comment_ids, pop_returned_comment
from comments.visibility import discussion_key_of
from core.ids import parse_id
from core.page_cache import depends_on

register = template.Library()


@register.inclusion_tag("comments/section.html", takes_context=True)
def comment_section(context, post):
    """The comments under a post (or a page) and the form to join in: one query for
    the tree."""
    request = context["request"]
    depends_on(discussion_key_of(post))
    max_level = settings.COMMENTS_XTD_MAX_THREAD_LEVEL
    is_open = moderator_for(post).comments_open(post)
    own = own_comment_ids(request)
    wanted = request.GET.get("replytocom")
    # Which page of comments: the comment page's view says, or an old `?cpage=N`.
    number = context.get("comment_page") or paging.requested_page(request.GET.get("cpage"))
    if own or wanted:  # this reader's own held comments, or a reply target to find
        threads, count = comment_tree(post, own)
        page = Paging.of(post, len(threads), number)
        shown = flatten(page.slice(threads))
        thread = thread_html(shown, replies_open=is_open, max_level=max_level)
    else:  # what every other reader sees: assembled once per change of the discussion
        thread, count, page = cached_thread(
            post, replies_open=is_open, max_level=max_level, number=number
        )
        threads = bool(count)
    reply_to = find_reply_target(threads, wanted, max_level) if wanted else None
    returned = pop_returned_comment(request, post) if is_open else None
    form = None
    if is_open:
        form = BlogCommentForm(post, user=request.user, reply_to=reply_to, initial=returned or {})
    return {
        "request": request,
        "user": request.user,
        "post": post,
        "threads": threads,
        "paging": page,
        "thread": thread,
        "comment_count": count,
        "comments_open": is_open,
        "form": form,
        "reply_to": reply_to,
        "returned": returned is not None,
        "privacy_url": settings.COMMENTS_PRIVACY_URL,
    }


@register.filter
def takes_comments(post):
    """Whether readers may comment on this post now (no query: its own fields)."""
    return moderator_for(post).comments_open(post)


def find_reply_target(nodes, wanted, max_level):
    """The public comment `?replytocom=` names, if it is in this post's tree."""
    wanted = parse_id(wanted)
    if wanted is None:
        return None
    stack = list(nodes)
    while stack:
        node = stack.pop()
        comment = node.comment
        if comment.pk == wanted:
            usable = node.visible and not node.awaiting_moderation and comment.level < max_level
            return comment if usable else None
        stack.extend(node.children)
    return None


@register.inclusion_tag("comments/form.html", takes_context=True)
def comment_form(context, form, post, reply_to=None, returned=False):
    user = context.get("user")
    return {
        # Nothing of the reader's in the visible fields: rendered once, then cached.
        "shared_fields": not (form.is_bound or returned or (user and user.is_authenticated)),
        "max_length": settings.COMMENTS_MAX_LENGTH,
        "form": form,
        "returned": returned,
        "post": post,
        "reply_to": reply_to,
        "user": user,
        "privacy_url": settings.COMMENTS_PRIVACY_URL,
        "request": context.get("request"),
    }


@register.simple_tag
def comment_feed_links(post):
    """Autodiscovery links for a post's (or a page's) comment feeds (RSS and Atom)."""
    if isinstance(post, Page):
        return feed_links("page_comments:page", f"Comments on {post.title}", slug=post.slug)
    return feed_links("comments:post", f"Comments on {post.title}", **post.url_kwargs())


@register.simple_tag
def recent_comments(count=5):
    """The newest public comments with their posts (or pages): two queries, a third
    when one of them is on a page."""
    comments = (
        BlogComment.objects.public()
        .filter(content_type__app_label="blog", content_type__model__in=("post", "page"))
        .select_related(None)
        .only(
            "user_name",
            "object_pk",
            "content_type_id",
            "submit_date",
            "site_id",
            "thread_id",
            "comment_html",
        )
        .order_by("-submit_date")[:count]
    )
    comments = paging.thread_counts(comments)  # where each is read (comment pages)
    comments = list(comments)
    entries = {}
    for model in (Post, Page):
        type_id = ContentType.objects.get_for_model(model).pk  # cached
        ids = [int(c.object_pk) for c in comments if c.content_type_id == type_id]
        if ids:
            found = model.objects.published().in_bulk(ids)
            entries.update({(type_id, pk): entry for pk, entry in found.items()})
    keyed = [(c, (c.content_type_id, int(c.object_pk))) for c in comments]
    shown = [(c, entries[key]) for c, key in keyed if key in entries]
    for c, entry in shown:
        c.link = paging.comment_path(entry, c.pk, c.threads_before, c.threads)
    return shown


@register.filter
def comment_avatar(comment):
    """The picture (or initials) beside a comment: comments/avatars.py."""
    return avatar_html(comment)
