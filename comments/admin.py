"""The moderation queue, in the admin: held and spam comments with everything a
moderator needs to decide, single and bulk actions, and each comment's history."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.views.decorators.http import require_POST
from django_comments_xtd.models import BlackListedDomain, XtdComment

from blog.models import Post

from . import privacy
from .models import BlocklistEntry, BlogComment, CommentHistory, State
from .moderation import ACTIONS, moderate, moderate_many
from .spam import get_spam_checker

# One way to moderate: through BlogCommentAdmin, which records history.
for model in (XtdComment, BlackListedDomain):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class StateFilter(admin.SimpleListFilter):
    """Public / held / spam / deleted, each with its count (one query)."""

    title = "queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        counts = dict(
            BlogComment.objects.filter(is_removed=False)
            .order_by()
            .values_list("state")
            .annotate(n=Count("pk"))
        )
        removed = BlogComment.objects.filter(is_removed=True).count()
        labels = [(State.HELD, "Held"), (State.SPAM, "Spam"), (State.PUBLIC, "Public")]
        return [(value, f"{label} ({counts.get(value, 0)})") for value, label in labels] + [
            ("removed", f"Deleted ({removed})")
        ]

    def queryset(self, request, queryset):
        if self.value() == "removed":
            return queryset.filter(is_removed=True)
        if self.value() in State.values:
            return queryset.filter(state=self.value(), is_removed=False)
        return queryset


class HistoryInline(admin.TabularInline):
    model = CommentHistory
    fields = ["at", "actor", "action", "from_state", "to_state", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(BlogComment)
class BlogCommentAdmin(admin.ModelAdmin):
    change_list_template = "admin/comments/blogcomment/change_list.html"
    list_display = [
        "excerpt",
        "author",
        "on_post",
        "state_label",
        "why",
        "submit_date",
        "row_actions",
    ]
    list_filter = [StateFilter, "verdict", "blatant", "needs_recheck"]
    search_fields = ["user_name", "user_email", "user_url", "ip_address", "comment"]
    date_hierarchy = "submit_date"
    list_per_page = 50
    actions = ["approve", "mark_spam", "mark_not_spam", "delete_comments"]
    inlines = [HistoryInline]
    readonly_fields = [
        "on_post", "user_name", "user_email", "user_url", "ip_address", "submit_date",
        "comment", "state", "reason", "verdict", "pro_tip", "blatant", "needs_recheck",
        "screening_steps", "user_agent", "referrer", "is_removed", "parent_id", "level",
    ]  # fmt: skip
    fieldsets = [
        ("Comment", {"fields": ["on_post", "comment", "submit_date", "parent_id", "level"]}),
        ("Author", {"fields": ["user_name", "user_email", "user_url", "ip_address"]}),
        (
            "Screening",
            {
                "fields": [
                    "state",
                    "reason",
                    "screening_steps",
                    "verdict",
                    "pro_tip",
                    "blatant",
                    "needs_recheck",
                    "is_removed",
                    "user_agent",
                    "referrer",
                ]
            },
        ),
    ]

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
            format_html("<li>{}: {} {}</li>", s["step"], s["result"], s.get("reason", ""))
            for s in obj.screening
        ]
        return format_html("<ol>{}</ol>", format_html("".join(rows))) if rows else "—"

    @admin.display(description="moderate")
    def row_actions(self, obj):
        # Buttons submit the changelist's own form (with its CSRF token) to a
        # per-comment URL, so single actions work without JavaScript.
        buttons = [
            format_html(
                '<button type="submit" class="button" formaction="{}">{}</button>',
                reverse("admin:comments_blogcomment_moderate", args=[obj.pk, action]),
                label,
            )
            for action, label in ROW_ACTIONS
            if self.applies(obj, action)
        ]
        return format_html(" ".join(["{}"] * len(buttons)), *buttons) if buttons else ""

    @staticmethod
    def applies(obj, action):
        if obj.is_removed:
            return action == "approve"
        return {
            "approve": obj.state != State.PUBLIC,
            "spam": obj.state != State.SPAM,
            "not_spam": obj.state == State.SPAM,
            "delete": True,
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
        comment = get_object_or_404(BlogComment.objects.select_related(None), pk=pk)
        if action not in ACTIONS:
            messages.error(request, "Unknown moderation action.")
        elif moderate(comment, action, request.user):
            messages.success(request, f"Comment by {comment.user_name} {ACTIONS[action][0]}.")
        else:
            messages.info(request, "Nothing to change.")
        # Back to the queue as the moderator was looking at it (filters kept).
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
            back = reverse("admin:comments_blogcomment_changelist")
        return HttpResponseRedirect(back)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "spam_checker": get_spam_checker(),
            "akismet_configured": bool(settings.AKISMET_API_KEY),
        }
        return super().changelist_view(request, extra_context=extra_context)


@admin.display(description="comments")
def post_comments_column(post):
    """The post list's comment column (added in CommentsConfig.ready): public comments,
    and the held ones highlighted, each linking to the queue for this post."""
    queue = reverse("admin:comments_blogcomment_changelist")
    public = format_html(
        '<a href="{}?queue=public&amp;object_pk={}" title="Public comments">{}</a>',
        queue,
        post.pk,
        post.desk_public_comments,
    )
    if not post.desk_held_comments:
        return public
    return format_html(
        '{}<br><a class="desk-badge desk-alert" href="{}?queue=held&amp;object_pk={}">{} held</a>',
        public,
        queue,
        post.pk,
        post.desk_held_comments,
    )


def post_comment_annotations():
    return {
        "desk_public_comments": lambda outer: BlogComment.objects.count_subquery(Post, outer),
        "desk_held_comments": lambda outer: BlogComment.objects.count_subquery(
            Post, outer, state=State.HELD
        ),
    }


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


ROW_ACTIONS = [
    ("approve", "Approve"),
    ("spam", "Spam"),
    ("not_spam", "Not spam"),
    ("delete", "Delete"),
]


@admin.register(BlocklistEntry)
class BlocklistEntryAdmin(admin.ModelAdmin):
    list_display = ["value", "kind", "action", "note", "created_at"]
    list_filter = ["kind", "action"]
    search_fields = ["value", "note"]
