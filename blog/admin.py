from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import format_html

from core.content_version import bump_content_version

from .desk import DeskAdminMixin
from .extensions import post_admin_inlines
from .models import Category, Image, Page, Post, Status, Tag, published_q


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["parent"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class OptionalInlineFormSet(BaseInlineFormSet):
    """For inlines other apps add to the post form (blog/extensions.py): a POST
    without the inline's management form leaves it unchanged instead of failing,
    so the post form still works for whoever knows only the blog's fields."""

    def __init__(self, data=None, files=None, *args, **kwargs):
        prefix = kwargs.get("prefix") or self.get_default_prefix()
        if data is not None and f"{prefix}-TOTAL_FORMS" not in data:
            data = files = None
        super().__init__(data, files, *args, **kwargs)

    def is_valid(self):
        return not self.is_bound or super().is_valid()

    def save(self, commit=True):
        if self.is_bound:
            return super().save(commit)
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        return []


class PublishableAdmin(DeskAdminMixin, admin.ModelAdmin):
    """What the post and page admins share: state, preview link and bulk publishing;
    revisions, autosave and preview of unsaved text (blog/desk.py)."""

    actions = ["publish_now", "make_draft"]

    @admin.display(description="state")
    def state(self, obj):
        if obj.is_public:
            return "Published"
        return "Scheduled" if obj.is_scheduled else "Draft"

    @admin.display(description="view")
    def view_link(self, obj):
        label = "View" if obj.is_public else "Preview"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), label)

    @admin.action(description="Publish the selected items now")
    def publish_now(self, request, queryset):
        count = 0
        for obj in queryset.exclude(published_q()):
            obj.status, obj.published_at = Status.PUBLISHED, timezone.now()
            obj.save()
            count += 1
        self.message_user(request, f"{count} published.", messages.SUCCESS)

    @admin.action(description="Turn the selected items back into drafts")
    def make_draft(self, request, queryset):
        count = queryset.update(status=Status.DRAFT)
        bump_content_version()  # update() bypasses the signals that usually do this
        self.message_user(request, f"{count} turned into drafts.", messages.SUCCESS)


@admin.register(Post)
class PostAdmin(PublishableAdmin):
    list_display = ["title", "state", "published_at", "author", "view_link"]
    list_filter = ["status", "categories", ("author", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["author"]
    search_fields = ["title", "slug", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    filter_horizontal = ["categories", "tags"]
    preview_template = "blog/post_detail.html"
    fieldsets = [
        (None, {"fields": ["title", "slug", "body", "excerpt"]}),
        ("Publishing", {"fields": ["status", "published_at", "author", "comments_open", "sticky"]}),
        ("Filing", {"fields": ["categories", "tags"]}),
    ]

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def get_inlines(self, request, obj):
        # Series parts and guide listings come from the series app.
        return [*super().get_inlines(request, obj), *post_admin_inlines()]


@admin.register(Page)
class PageAdmin(PublishableAdmin):
    list_display = ["title", "slug", "state", "menu_order", "show_in_menu", "view_link"]
    list_editable = ["menu_order", "show_in_menu"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "body"]
    preview_template = "blog/page_detail.html"
    fields = ["title", "slug", "body", "status", "published_at", "menu_order", "show_in_menu"]


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "alt", "dimensions", "uploaded_at", "address"]
    search_fields = ["alt", "caption"]
    readonly_fields = ["thumbnail", "address", "dimensions"]

    @admin.display(description="preview")
    def thumbnail(self, obj):
        if not obj.file:
            return ""
        return format_html('<img src="{}" alt="{}" style="max-height:4rem">', obj.file.url, obj.alt)

    @admin.display(description="address to place in a post's figure")
    def address(self, obj):
        return obj.file.url if obj.file else ""

    @admin.display(description="size")
    def dimensions(self, obj):
        return f"{obj.width}×{obj.height}" if obj.width else ""


# Authors' profiles: /admin/profile/ and the profile inline on the user admin.
from . import admin_profiles  # noqa: E402, F401
