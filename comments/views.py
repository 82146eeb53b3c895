"""The comment POST, kept short and visible in one place:

form validation → screening → saved with its state → mail after the commit
(follow-ups only if public) → redirect back to the comment on its page. With Akismet,
the comment is saved held and the worker asks Akismet after the commit, then
publishes it or not and queues its mail (comments/screening.py).
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.db import transaction
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from blog.views import PageDetailView, PostDetailView
from core.ids import MAX_BIGINT, parse_id
from core.origin import from_another_site

from . import notifications, paging
from .forms import BlogCommentForm
from .models import MODERATE_PERMISSION, BlogComment, CommentHistory, State, Verdict
from .moderation import ACTIONS, COMMENTABLE, moderate, moderator_for
from .remember import remember_author
from .screening import Facts, annotate_facts, queue_spam_check, screen
from .thread import keep_returned_comment, own_comment_ids, remember_own_comment


def remembering_author(view):
    """A comment taken (the answer is a redirect) stores or forgets the commenter's
    details as their "Save my name…" box says (comments/remember.py)."""

    @wraps(view)
    def wrapped(request):
        response = view(request)
        if response.status_code == 302:
            remember_author(request, response, request.POST)
        return response

    return wrapped


@csrf_exempt  # checked below: by token when logged in, by origin otherwise
@require_POST
@remembering_author
def post_comment(request):
    """At most nine queries: the post (with screening's facts), the rate limit's
    counter, the parent of a reply, the thread's one UPDATE, three inserts and the
    history entry; the signed-in reader's user row besides
    (tests/comments/test_comment_post_queries.py)."""
    if refusal := csrf_refusal(request):
        return refusal
    # `post` is the entry commented on: a post, or a page.
    model, post_pk = target_entry(request.POST)
    if post_pk is None:
        return error_page(request, None, None, "We could not tell which post this comment is for.")
    # The form needs only the post's id; the post itself comes with screening's facts.
    form = BlogCommentForm(model(pk=post_pk), data=request.POST, user=request.user)
    comment = form.build_comment(request) if form.is_valid() else None
    if comment is not None:
        comment.parent_comment = getattr(form, "parent", None)  # loaded by the form
    post = target_post(post_pk, comment, request.user, model=model)
    if post is None:
        return error_page(request, None, None, "We could not tell which post this comment is for.")
    form.target_object = post
    if not moderator_for(post).comments_open(post):
        noun = post._meta.verbose_name
        return error_page(request, post, form, f"Comments are closed on this {noun}.")
    if comment is None:
        return error_page(request, post, form)

    facts = Facts.of(post)
    if facts.duplicate_state == State.SPAM:
        return return_to_reader(request, post, form)  # the same text sent again
    if facts.duplicate_id is not None:  # a double submit: show the first one
        return redirect(f"{post.get_absolute_url()}#comment-{facts.duplicate_id}")
    screen(comment, post, request, honeypot=form.cleaned_data["honeypot"], facts=facts)
    if needs_email_confirmation(comment):
        comment.awaiting_confirmation = True
        comment.state_after_confirmation, comment.state = comment.state, State.HELD
    with transaction.atomic(savepoint=False):  # all or nothing, inside any outer one too
        comment.save()
        CommentHistory.objects.create(
            comment=comment, action="screened", to_state=comment.state, note=comment.reason
        )
        if comment.verdict == Verdict.PENDING:
            # The worker asks the checker, then queues the mail the verdict calls for.
            transaction.on_commit(lambda: queue_spam_check(comment.pk))
        else:
            transaction.on_commit(lambda: notifications.comment_posted(comment.pk))
    if comment.state == State.SPAM:
        return return_to_reader(request, post, form)
    if comment.awaiting_confirmation:
        messages.info(request, "Please confirm your comment with the link we sent you by email.")
    response = redirect(paging.location_of_new(post, comment))
    return remember_own_comment(request, response, comment)


class CommentPageMixin:
    """Page `number` of a post's (or page's) comments, at `<its URL>comment-page-N/`:
    the entry as its own view shows it, with that page of comments. A page that does
    not exist (fewer threads now, or an old WordPress link made with another page
    size) sends the reader to the entry's comments."""

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        number = int(kwargs["number"])
        comments = BlogComment.objects.for_object(self.object)
        pages = paging.page_count(comments.public().values("thread_id").distinct().count())
        # A reader's own held thread may open one more page, for them only.
        pages += 1 if own_comment_ids(request) else 0
        if not paging.per_page() or not 1 <= number <= pages:
            return redirect(f"{self.object.get_absolute_url()}#comments")
        return super().get(request, *args, **kwargs)

    def get_object(self, queryset=None):
        if getattr(self, "object", None) is None:
            self.object = super().get_object(queryset)
        return self.object

    def canonical_path(self):
        return paging.page_path(self.object, int(self.kwargs["number"]))

    def get_context_data(self, **kwargs):
        return super().get_context_data(comment_page=int(self.kwargs["number"]), **kwargs)


class PostCommentPage(CommentPageMixin, PostDetailView):
    pass


class PageCommentPage(CommentPageMixin, PageDetailView):
    pass


def return_to_reader(request, post, form):
    """A comment judged spam is never shown, so there is no anchor to go back to.
    Its writer is told what a held comment's writer is told (nothing that would
    help a spammer) and gets their text back in the form, once, from the session."""
    keep_returned_comment(request, post, form.cleaned_data)
    reply_to = form.cleaned_data.get("reply_to") or 0
    query = f"?replytocom={reply_to}" if reply_to else ""
    return redirect(f"{post.get_absolute_url()}{query}#respond")


def csrf_refusal(request):
    """Logged-in readers need Django's CSRF token (their pages are never cached).
    Anonymous pages are cacheable and carry no token, so an anonymous POST must come
    from this site: a browser's Origin (or Referer) header may not name another."""
    if request.user.is_authenticated:
        return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})
    if not from_another_site(request):
        return None
    return render(request, "comments/forbidden.html", status=403)


POST_TEXT_FIELDS = ("body", "body_text", "excerpt", "search_vector")


def target_entry(data):
    """(model, id) of the post or page a comment form names; id None if it names none."""
    model = COMMENTABLE.get(data.get("content_type"))
    if model is None:
        return None, None
    return model, parse_id(data.get("object_pk"), maximum=MAX_BIGINT)


def target_post(pk, comment, user, model=None):
    """The published post (or page, of `model`) `pk`, or None; with a valid `comment`,
    carrying what screening asks the database about it (screening.Facts), in the same
    query."""
    model = model or COMMENTABLE["blog.post"]
    # Not the post's text: a long post's body and search vector would be most of the bytes.
    fields = {field.name for field in model._meta.concrete_fields}
    posts = model.objects.published().filter(pk=pk).defer(*fields.intersection(POST_TEXT_FIELDS))
    if comment is not None:
        posts = annotate_facts(posts, comment, user)
        if paging.per_page():  # where the comment will be read
            posts = posts.annotate(**paging.place_of_new(comment))
    return posts.first()


def needs_email_confirmation(comment):
    return (
        settings.COMMENTS_XTD_CONFIRM_EMAIL
        and comment.user_id is None
        and comment.state != State.SPAM  # never mail on a spammer's behalf
    )


def error_page(request, post, form, message=""):
    """Say what is wrong and show the form again with everything the reader typed."""
    context = {"post": post, "form": form, "message": message}
    return render(request, "comments/form_error.html", context, status=400)


def confirm(request, token):
    try:
        comment = notifications.comment_from_token(token)
    except (signing.BadSignature, BlogComment.DoesNotExist):
        return render(request, "comments/confirm_failed.html", status=400)
    if comment.awaiting_confirmation:
        with transaction.atomic():
            comment.state = comment.state_after_confirmation or State.HELD
            comment.awaiting_confirmation = False
            comment.save()
            CommentHistory.objects.create(
                comment=comment, action="email confirmed", from_state=State.HELD,
                to_state=comment.state,
            )  # fmt: skip
            if comment.state == State.PUBLIC:
                transaction.on_commit(lambda: notifications.comment_published(comment.pk))
    return remember_own_comment(request, redirect(comment.get_absolute_url()), comment)


# The one-click links in the moderators' mail (notifications.ModerationLink): a GET
# shows the comment and asks; only the POST from that page decides.
LINK_BUTTONS = {
    "approve": "Approve this comment",
    "spam": "Mark this comment as spam",
    "delete": "Delete this comment",
}


@never_cache
@require_http_methods(["GET", "POST"])
def moderate_by_link(request, token):
    try:
        link = notifications.ModerationLink.from_token(token)
    except signing.SignatureExpired:
        return link_failed(request, expired=True)
    except signing.BadSignature:
        return link_failed(request)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not request.user.has_perm(MODERATE_PERMISSION):
        return render(request, "comments/moderate_forbidden.html", status=403)
    comment = BlogComment.objects.select_related(None).filter(pk=link.comment_id).first()
    if comment is None:
        return link_failed(request, gone=True)
    decided = link.decided(comment)
    if request.method == "POST" and not decided:
        sent_to = get_user_model().objects.filter(pk=link.moderator_id).first()
        addressee = sent_to.get_username() if sent_to else "a former user"
        note = f"from the moderation mail sent to {addressee}"
        moderate(comment, link.action, request.user, note=note)
        messages.success(request, f"Done: comment {ACTIONS[link.action][0]}.")
        return redirect(request.path)
    decision = comment.history.filter(actor__isnull=False).select_related("actor").first()
    context = {
        "comment": comment,
        "post": comment.content_object,
        "link": link,
        "button": LINK_BUTTONS[link.action],
        "decided": decided,
        "decision": decision,
        # Decided by this very link's action, by whoever is looking: say so plainly.
        "done_here": decided
        and decision is not None
        and decision.actor_id == request.user.pk
        and decision.action == ACTIONS[link.action][0],
        "queue_url": reverse("admin:comments_blogcomment_changelist"),
        "change_url": reverse("admin:comments_blogcomment_change", args=[comment.pk]),
    }
    return render(request, "comments/moderate_confirm.html", context)


def link_failed(request, *, expired=False, gone=False):
    context = {
        "expired": expired,
        "gone": gone,
        "days": settings.COMMENTS_MODERATION_LINK_DAYS,
        "queue_url": reverse("admin:comments_blogcomment_changelist"),
    }
    return render(request, "comments/moderate_failed.html", context, status=404 if gone else 400)
