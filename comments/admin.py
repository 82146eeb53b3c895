"""The moderation queue, in the admin: held and spam comments with everything a
moderator needs to decide, single and bulk actions, and each comment's history."""

import functools

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, Value
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.views.decorators.http import require_POST
from django_comments_xtd.models import BlackListedDomain, XtdComment

from blog.models import Page, Post
from core.admin_input import BadInputSafeAdminMixin
from core.client_address import client_ip

from . import comment_page, privacy
from .models import BlocklistEntry, BlogComment, State, Verdict
from .moderation import ACTIONS, decide, empty_spam, moderate_many, snapshot, undo
from .spam import get_spam_checker

# One way to moderate: through BlogCommentAdmin, which records history.
for model in (XtdComment, BlackListedDomain):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


# The queues, as tabs above the list; the queue opens on Held.
QUEUES = [
    ("held", "Held"),
    ("spam", "Spam"),
    ("public", "Public"),
    ("removed", "Deleted"),
    ("all", "All"),
]
DEFAULT_QUEUE = "held"
UNDO_SALT = "comments.queue.undo"
UNDO_SECONDS = 600  # the button shows for a few seconds; the token lives a little longer


def queue_counts(request=None):
    """Every queue's count, in one query (kept on the request for its other users).

    Counted per state on the comments' own table, whose state index answers it without
    joining the two parent tables, then the deleted ones per state (few, and indexed):
    on 100,000 comments that is a fifth of the time of one filtered count over the join.
    """
    if request is not None and hasattr(request, "_queue_counts"):
        return request._queue_counts
    comments = BlogComment.objects.order_by()
    every = comments.values("state").annotate(removed=Value(False), n=Count("pk"))
    removed = (
        comments.filter(is_removed=True)
        .values("state")
        .annotate(removed=Value(True), n=Count("pk"))
    )
    totals, gone = {}, {}
    for row in every.union(removed, all=True):
        (gone if row["removed"] else totals)[row["state"]] = row["n"]
    counts = {state: totals.get(state, 0) - gone.get(state, 0) for state in State.values}
    counts["removed"] = sum(gone.values())
    counts["all"] = sum(totals.values())
    if request is not None:
        request._queue_counts = counts
    return counts


def queue_of(comment):
    return "removed" if comment.is_removed else comment.state


class StateFilter(admin.SimpleListFilter):
    """Held / spam / public / deleted / all, each with its count (one query); shown
    as tabs above the list rather than in the filter box."""

    title = "queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        counts = queue_counts(request)
        return [(value, f"{label} ({counts[value]})") for value, label in QUEUES]

    def value(self):
        value = super().value()
        return value if value in dict(QUEUES) else DEFAULT_QUEUE

    def queryset(self, request, queryset):
        value = self.value()
        if value == "removed":
            return queryset.filter(is_removed=True)
        if value in State.values:
            return queryset.filter(state=value, is_removed=False)
        return queryset


@admin.register(BlogComment)
class BlogCommentAdmin(BadInputSafeAdminMixin, admin.ModelAdmin):
    change_list_template = "admin/comments/blogcomment/change_list.html"
    # A card per comment (text, author, post, date), why it is there, and its
    # actions: narrow enough for 1280 px with both sidebars, and for a phone.
    list_display = ["comment_card", "why", "row_actions"]
    list_display_links = None
    ordering = ["-submit_date", "-pk"]
    show_full_result_count = False
    list_filter = [StateFilter, "verdict", "blatant", "needs_recheck"]
    search_fields = ["user_name", "user_email", "user_url", "ip_address", "comment"]
    list_per_page = 50
    actions = ["approve", "mark_spam", "mark_not_spam", "delete_comments"]
    # The comment's page: the text, name and website can be edited (the old values
    # go into the history); everything else is context for the decision.
    change_form_template = "admin/comments/blogcomment/change_form.html"
    readonly_fields = [
        "on_post", "in_reply_to", "links", "submit_date", "state_label", "reason",
        "email", "ip_address", "commenter_record", "screening_steps", "spam_check",
        "user_agent", "referrer",
    ]  # fmt: skip
    fieldsets = [
        ("Comment", {"fields": ["on_post", "in_reply_to", "comment", "links", "submit_date"]}),
        (
            "Commenter",
            {"fields": ["user_name", "email", "user_url", "ip_address", "commenter_record"]},
        ),
        (
            "Screening",
            {
                "fields": [
                    "state_label", "reason", "screening_steps", "spam_check", "user_agent",
                    "referrer",
                ]
            },
        ),
    ]  # fmt: skip

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(None)
            .prefetch_related("content_object")
            .defer("spam_check_params", "comment_html")
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # "delete" keeps the row as a placeholder for its replies

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_change_permission(request):
            return {}
        return actions

    # Columns

    @admin.display(description="comment")
    def excerpt(self, obj):
        return Truncator(obj.comment).chars(120)

    @admin.display(description="comment", ordering="submit_date")
    def comment_card(self, obj):
        post = obj.content_object
        on = (
            format_html('<a href="{}#comment-{}">{}</a>', post.get_absolute_url(), obj.pk, post)
            if post is not None
            else "—"
        )
        state = queue_of(obj)
        return format_html(
            '<div class="queue-card">'
            '<a class="queue-text" href="{}">{}</a>'
            '<div class="queue-meta"><strong>{}</strong> <span>{}</span> <span>{}</span></div>'
            '<div class="queue-meta">on {} · <time datetime="{}">{}</time>'
            ' · <span class="queue-state queue-state-{}" data-queue-state>{}</span></div>'
            "</div>",
            f"{queue_url()}{obj.pk}/change/",
            Truncator(obj.comment).chars(160),
            obj.user_name,
            obj.user_email,
            obj.ip_address or "",
            on,
            obj.submit_date.isoformat(),
            formats.date_format(timezone.localtime(obj.submit_date), "N j, Y, H:i"),
            state,
            self.state_label(obj),
        )

    @admin.display(description="author", ordering="user_name")
    def author(self, obj):
        return format_html(
            "{}<br><small>{}<br>{}</small>", obj.user_name, obj.user_email, obj.ip_address or ""
        )

    @admin.display(description="reason and verdict")
    def why(self, obj):
        verdict = obj.get_verdict_display() if obj.verdict else "not checked"
        tip = f", pro-tip: {obj.pro_tip}" if obj.pro_tip else ""
        return format_html("{}<br><small>{}{}</small>", obj.reason, verdict, tip)

    @admin.display(description="post")
    def on_post(self, obj):
        post = obj.content_object
        if post is None:
            return "—"
        return format_html('<a href="{}#comment-{}">{}</a>', post.get_absolute_url(), obj.pk, post)

    @admin.display(description="state", ordering="state")
    def state_label(self, obj):
        label = "Deleted" if obj.is_removed else obj.get_state_display()
        return f"{label} (blatant)" if obj.blatant else label

    @admin.display(description="screening")
    def screening_steps(self, obj):
        rows = [
            (
                step.get("step", "").capitalize(),
                SCREENING_RESULTS.get(step.get("result"), step.get("result", "")),
                f" — {step['reason']}" if step.get("reason") else "",
            )
            for step in obj.screening or []
        ]
        if not rows:
            return "Not screened (posted before screening was recorded)."
        items = format_html_join("", "<li><strong>{}</strong>: {}{}</li>", rows)
        return format_html('<ol class="screening-steps">{}</ol>', items)

    # The comment's page

    @admin.display(description="in reply to")
    def in_reply_to(self, obj):
        if not obj.parent_id or obj.parent_id == obj.pk:
            return "— (a new thread)"
        parent = (
            BlogComment.objects.select_related(None)
            .only("pk", "user_name", "comment", "state", "is_removed", "submit_date")
            .filter(pk=obj.parent_id)
            .first()
        )
        if parent is None:
            return "—"
        state = "deleted" if parent.is_removed else parent.get_state_display().lower()
        return format_html(
            '<div class="comment-quote"><blockquote>{}</blockquote>'
            '<p class="help">— <a href="{}">{}</a>, {} ({})</p></div>',
            Truncator(parent.comment).chars(600),
            reverse("admin:comments_blogcomment_change", args=[parent.pk]),
            parent.user_name,
            parent.submit_date.strftime("%Y-%m-%d %H:%M"),
            state,
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        for field, label in [("comment", "Text"), ("user_name", "Name"), ("user_url", "Website")]:
            if field in form.base_fields:
                form.base_fields[field].label = label
        return form

    @admin.display(description="email")
    def email(self, obj):
        return obj.user_email or "—"

    @admin.display(description="links in the text")
    def links(self, obj):
        found = comment_page.links_in(obj)
        if not found:
            return "None."
        items = format_html_join(
            "", '<li><strong>{}</strong> — <a href="{}" rel="nofollow noreferrer">{}</a></li>',
            [(host, url if "://" in url else f"http://{url}", url) for url, host in found],
        )  # fmt: skip
        return format_html('<ul class="comment-links">{}</ul>', items)

    @admin.display(description="record on this site")
    def commenter_record(self, obj):
        rows = comment_page.commenter_record(obj)
        if not rows:
            return "No email or IP address kept."
        queue = reverse("admin:comments_blogcomment_changelist")
        body = format_html_join(
            "",
            '<tr><th scope="row">same {}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
            '<td><a href="{}?q={}">see them</a></td></tr>',
            [
                (what, c["public"], c["held"], c["spam"], c["deleted"], queue, value)
                for what, value, c in rows
            ],
        )
        return format_html(
            '<table class="commenter-record"><thead><tr><th></th><th>public</th><th>held</th>'
            "<th>spam</th><th>deleted</th><th></th></tr></thead><tbody>{}</tbody></table>"
            '<p class="help">This comment included.</p>',
            body,
        )

    @admin.display(description="spam checker")
    def spam_check(self, obj):
        lines = [("Verdict", obj.get_verdict_display() if obj.verdict else "not checked")]
        if obj.pro_tip:
            lines.append(("X-akismet-pro-tip", obj.pro_tip))
        if obj.blatant:
            lines.append(("Blatant", "yes: purged after a while, never shown"))
        if obj.needs_recheck and obj.verdict == Verdict.PENDING:
            lines.append(("Check", "the worker asks the checker within seconds of the post"))
        elif obj.needs_recheck:
            lines.append(
                (
                    "Recheck",
                    "the check failed; the worker re-checks it every 10 minutes, then less often",
                )
            )
        params = obj.spam_check_params or {}
        if params.get("recheck_reason"):
            lines.append(("recheck_reason", params["recheck_reason"]))
        if params.get("user_role"):
            lines.append(("user_role", params["user_role"]))
        if params.get("comment_type"):
            lines.append(("comment_type", params["comment_type"]))
        items = format_html_join("", "<li><strong>{}</strong>: {}</li>", lines)
        return format_html('<ul class="spam-check">{}</ul>', items)

    @admin.display(description="moderate")
    def row_actions(self, obj):
        # Buttons submit the changelist's own form (with its CSRF token and the
        # queue's address in "next") to a per-comment URL, so each decision works
        # without JavaScript; queue.js sends the same POST with fetch.
        buttons = [
            format_html(
                '<button type="submit" class="button queue-{}" data-action="{}" formaction="{}">'
                "{}</button>",
                action,
                action,
                f"{queue_url()}{obj.pk}/moderate/{action}/",  # 50 rows: no reverse() each
                label,
            )
            for action, label in ROW_ACTIONS
            if self.applies(obj, action)
        ]
        return format_html(
            '<div class="queue-actions" data-comment="{}" data-reply-url="{}">{}</div>',
            obj.pk,
            reply_url(obj.pk),
            format_html(" ".join(["{}"] * len(buttons)), *buttons) if buttons else "",
        )

    @staticmethod
    def applies(obj, action):
        if obj.is_removed:
            return action == "restore"
        return {
            "approve": obj.state != State.PUBLIC,
            "spam": obj.state != State.SPAM,
            "not_spam": obj.state == State.SPAM,
            "delete": True,
            "restore": False,
        }[action]

    # Bulk actions

    def run(self, request, queryset, action):
        changed = moderate_many(queryset, action, request.user)
        label = ACTIONS[action][0]
        self.message_user(request, f"{changed} comment{'s' if changed != 1 else ''} {label}.")

    @admin.action(description="Approve", permissions=["change"])
    def approve(self, request, queryset):
        self.run(request, queryset, "approve")

    @admin.action(description="Mark as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self.run(request, queryset, "spam")

    @admin.action(description="Not spam", permissions=["change"])
    def mark_not_spam(self, request, queryset):
        self.run(request, queryset, "not_spam")

    @admin.action(description="Delete (replies stay)", permissions=["change"])
    def delete_comments(self, request, queryset):
        self.run(request, queryset, "delete")

    # Single actions

    def get_urls(self):
        view = self.admin_site.admin_view(require_POST(self.moderate_view))
        return [
            path(
                "<id:pk>/moderate/<str:action>/",
                view,
                name="comments_blogcomment_moderate",
            ),
            path(
                "<id:pk>/reply/",
                self.admin_site.admin_view(self.reply_view),
                name="comments_blogcomment_reply",
            ),
            path(
                "<id:pk>/undo/",
                self.admin_site.admin_view(require_POST(self.undo_view)),
                name="comments_blogcomment_undo",
            ),
            path(
                "empty-spam/",
                self.admin_site.admin_view(self.empty_spam_view),
                name="comments_blogcomment_empty_spam",
            ),
            path(
                "personal-data/",
                self.admin_site.admin_view(self.personal_data_view),
                name="comments_personal_data",
            ),
            *super().get_urls(),
        ]

    def personal_data_view(self, request):
        """Export or erase what is stored about a commenter, given their email."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = PersonalDataForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            email, action = form.cleaned_data["email"], form.cleaned_data["action"]
            if action == "export":
                response = JsonResponse(privacy.export(email), json_dumps_params={"indent": 2})
                response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
                return response
            count = privacy.erase(email, delete=action == "delete", actor=request.user)
            done = "deleted" if action == "delete" else "anonymised"
            messages.success(request, f"{count} comment(s) by {email} {done}.")
            return HttpResponseRedirect(reverse("admin:comments_personal_data"))
        context = {**self.admin_site.each_context(request), "form": form, "title": "Personal data"}
        return TemplateResponse(request, "admin/comments/personal_data.html", context)

    def moderate_view(self, request, pk, action):
        if not self.has_change_permission(request):
            raise PermissionDenied
        comment = get_object_or_404(
            BlogComment.objects.select_related(None).defer("comment_html"), pk=pk
        )
        if action not in ACTIONS:
            return self.answer(request, comment, "Unknown moderation action.", status=400)
        before = snapshot(comment)
        entry = decide(comment, action, request.user)
        if entry is None:
            return self.answer(request, comment, "Nothing to change.", level=messages.INFO)
        token = signing.dumps(
            {"c": comment.pk, "h": entry.pk, "before": before}, salt=UNDO_SALT, compress=True
        )
        return self.answer(
            request, comment, f"Comment by {comment.user_name} {ACTIONS[action][0]}.", undo=token
        )

    def undo_view(self, request, pk):
        if not self.has_change_permission(request):
            raise PermissionDenied
        comment = get_object_or_404(
            BlogComment.objects.select_related(None).defer("comment_html"), pk=pk
        )
        try:
            data = signing.loads(
                request.POST.get("token", ""), salt=UNDO_SALT, max_age=UNDO_SECONDS
            )
        except signing.BadSignature:
            return self.answer(request, comment, "This undo has expired.", status=400)
        entry = comment.history.filter(pk=data["h"]).first() if data["c"] == comment.pk else None
        if entry is None or not undo(comment, entry, data["before"], request.user):
            return self.answer(
                request, comment, "Another decision came after this one: nothing undone.",
                status=409,
            )  # fmt: skip
        return self.answer(request, comment, f"Undone: comment by {comment.user_name} restored.")

    def answer(self, request, comment, text, level=messages.SUCCESS, status=200, undo=None):
        """JSON for the queue's script (the row and the tab counts), or a message and a
        redirect back to the queue as the moderator was looking at it."""
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse(
                {
                    "ok": status == 200,
                    "message": text,
                    "comment": comment.pk,
                    "queue": queue_of(comment),
                    "state_label": self.state_label(comment),
                    "actions": self.row_actions(comment),
                    "counts": queue_counts(),
                    "undo_url": reverse("admin:comments_blogcomment_undo", args=[comment.pk]),
                    "undo_token": undo,
                },
                status=status,
            )
        messages.add_message(request, messages.ERROR if status >= 400 else level, text)
        back = request.POST.get("next") or request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
            back = reverse("admin:comments_blogcomment_changelist")
        return HttpResponseRedirect(back)

    def reply_view(self, request, pk):
        """Reply to a comment as the moderator (approving it first if held)."""
        parent = get_object_or_404(BlogComment.objects.select_related(None), pk=pk)
        if not self.has_change_permission(request, parent):
            raise PermissionDenied
        form = comment_page.ReplyForm(request.POST or None, parent=parent)
        wants_json = "application/json" in request.headers.get("Accept", "")
        if request.method == "POST" and form.is_valid():
            reply, approved = comment_page.post_reply(
                parent,
                form.cleaned_data["comment"],
                request.user,
                ip_address=client_ip(request),
                followup=form.cleaned_data["followup"],
            )
            done = "approved and replied to" if approved else "replied to"
            if wants_json:  # the queue's script, replying in place
                parent.refresh_from_db()
                text = f"Comment by {parent.user_name} {done}: your reply is public."
                return self.answer(request, parent, text)
            messages.success(
                request,
                format_html(
                    'Comment by {} {}: <a href="{}">your reply</a> is public.',
                    parent.user_name,
                    done,
                    reply.get_absolute_url(),
                ),
            )
            return HttpResponseRedirect(self.queue_url(request))
        if request.method == "POST" and wants_json:
            problems = " ".join(message for errors in form.errors.values() for message in errors)
            return self.answer(request, parent, problems, status=400)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Reply to {parent.user_name}",
            "opts": self.opts,
            "parent": parent,
            "post": parent.content_object,
            "form": form,
            "refusal": comment_page.reply_refusal(parent),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        }
        return TemplateResponse(request, "admin/comments/blogcomment/reply.html", context)

    def queue_url(self, request):
        """Back where the moderator came from, if it is on this site; else the queue."""
        back = request.POST.get("next") or request.GET.get("next", "")
        if back and url_has_allowed_host_and_scheme(back, {request.get_host()}):
            return back
        return reverse("admin:comments_blogcomment_changelist")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(
                history=comment_page.history_of(obj),
                reply_url=reverse("admin:comments_blogcomment_reply", args=[obj.pk]),
                reply_refusal=comment_page.reply_refusal(obj),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        """An edit by a moderator: the comment's HTML is rendered again on save, the old
        values go into the history, and the spam checker hears nothing (what it was sent
        stays the commenter's own words)."""
        previous = {field: form.initial.get(field, "") for field in comment_page.EDITABLE}
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change:
                comment_page.record_edit(obj, previous, request.user)

    def history_view(self, request, object_id, extra_context=None):
        """The admin's History button shows the comment's moderation history."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": f"History: {Truncator(obj.comment).words(12)}",
            "subtitle": None,
            "module_name": str(self.opts.verbose_name_plural).capitalize(),
            "object": obj,
            "opts": self.opts,
            "history": comment_page.history_of(obj),
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/comments/blogcomment/object_history.html", context)

    def empty_spam_view(self, request):
        """Empty spam now: a confirmation page, then a POST that deletes all spam."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        queue = reverse("admin:comments_blogcomment_changelist") + "?queue=spam"
        if request.method == "POST":
            count = empty_spam(request.user)
            messages.success(
                request, f"Spam emptied: {count} comment{'s' if count != 1 else ''} deleted."
            )
            return HttpResponseRedirect(queue)
        context = {
            **self.admin_site.each_context(request),
            "title": "Empty spam now?",
            "opts": self.opts,
            "spam": queue_counts(request)["spam"],
            "queue_url": queue,
        }
        return TemplateResponse(request, "admin/comments/blogcomment/empty_spam.html", context)

    def changelist_view(self, request, extra_context=None):
        current = request.GET.get("queue")
        current = current if current in dict(QUEUES) else DEFAULT_QUEUE
        counts = queue_counts(request)
        extra_context = {
            **(extra_context or {}),
            "queues": [
                (value, label, counts[value], value == current, tab_query(request, value))
                for value, label in QUEUES
            ],
            "current_queue": current,
            "spam_count": counts["spam"],
            "spam_checker": get_spam_checker(),
            "akismet_configured": bool(settings.AKISMET_API_KEY),
        }
        return super().changelist_view(request, extra_context=extra_context)


def comments_column(model):
    """The admin list's comment column for posts or pages (added in
    CommentsConfig.ready): public comments, and the held ones highlighted, each
    linking to the queue for this entry alone (posts and pages may share an id)."""

    @admin.display(description="comments")
    def column(entry):
        type_id = ContentType.objects.get_for_model(model).pk  # cached
        queue = f"{reverse('admin:comments_blogcomment_changelist')}?content_type={type_id}&"
        public = format_html(
            '<a href="{}queue=public&amp;object_pk={}" title="Public comments">{}</a>',
            queue,
            entry.pk,
            entry.desk_public_comments,
        )
        if not entry.desk_held_comments:
            return public
        return format_html(
            '{}<br><a class="desk-badge desk-alert" href="{}queue=held&amp;object_pk={}">'
            "{} held</a>",
            public,
            queue,
            entry.pk,
            entry.desk_held_comments,
        )

    column.__name__ = f"{model._meta.model_name}_comments_column"
    return column


def comment_annotations(model):
    return {
        "desk_public_comments": lambda outer: BlogComment.objects.count_subquery(model, outer),
        "desk_held_comments": lambda outer: BlogComment.objects.count_subquery(
            model, outer, state=State.HELD
        ),
    }


post_comments_column = comments_column(Post)
page_comments_column = comments_column(Page)


def post_comment_annotations():
    return comment_annotations(Post)


def held_comments_panel(request):
    """The desk's moderation panel (added in CommentsConfig.ready): held and spam
    counts in one query, for whoever may see the queue."""
    if not request.user.has_perm("comments.view_blogcomment"):
        return None
    counts = BlogComment.objects.filter(is_removed=False).aggregate(
        held=Count("pk", filter=Q(state=State.HELD)),
        spam=Count("pk", filter=Q(state=State.SPAM)),
    )
    queue = reverse("admin:comments_blogcomment_changelist")
    return "comments/admin/desk_held.html", {
        **counts,
        "held_url": f"{queue}?queue={State.HELD}",
        "spam_url": f"{queue}?queue={State.SPAM}",
    }


class PersonalDataForm(forms.Form):
    email = forms.EmailField(label="Commenter's email address")
    action = forms.ChoiceField(
        choices=[
            ("export", "Export their data (JSON)"),
            ("anonymise", "Anonymise their comments (text kept)"),
            ("delete", "Delete their comments (replies stay)"),
        ],
        widget=forms.RadioSelect,
        initial="export",
    )


SCREENING_RESULTS = {"pass": "passed", "hold": "held", "spam": "spam"}

ROW_ACTIONS = [
    ("approve", "Approve"),
    ("spam", "Spam"),
    ("not_spam", "Not spam"),
    ("delete", "Delete"),
    ("restore", "Restore"),
]


def tab_query(request, queue):
    """The query string of a queue's tab: the other filters and the search kept, the
    page number dropped."""
    params = request.GET.copy()
    params.pop("p", None)
    params["queue"] = queue
    return params.urlencode()


def queue_url():
    return reverse("admin:comments_blogcomment_changelist")


@functools.cache
def has_reply_page():
    try:
        return bool(reverse("admin:comments_blogcomment_reply", args=[1]))
    except NoReverseMatch:
        return False


def reply_url(pk):
    """The comment's reply page (admin:comments_blogcomment_reply, `<id>/reply/`) where
    it exists, else its change page."""
    return f"{queue_url()}{pk}/{'reply' if has_reply_page() else 'change'}/"


@admin.register(BlocklistEntry)
class BlocklistEntryAdmin(BadInputSafeAdminMixin, admin.ModelAdmin):
    list_display = ["value", "kind", "action", "note", "created_at"]
    list_filter = ["kind", "action"]
    search_fields = ["value", "note"]
