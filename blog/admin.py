from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from core.content_version import bump_content_version

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


class PublishableAdmin(admin.ModelAdmin):
    """What the post and page admins share: state, preview link and bulk publishing."""

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
    fieldsets = [
        (None, {"fields": ["title", "slug", "body", "excerpt"]}),
        ("Publishing", {"fields": ["status", "published_at", "author", "comments_open", "sticky"]}),
        ("Filing", {"fields": ["categories", "tags"]}),
        ("Featured image", {"fields": ["featured_image", "featured_image_alt"]}),
    ]
    autocomplete_fields = ["featured_image"]

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
    fields = ["title", "slug", "body", "status", "published_at", "menu_order", "show_in_menu"]


class ImageUploadForm(forms.ModelForm):
    """What the editor sends: the same fields and checks as the Images admin."""

    class Meta:
        model = Image
        fields = ["file", "alt", "caption"]
        error_messages = {
            "file": {"required": "Choose an image file to upload."},
            "alt": {"required": "Describe the image (alternative text) before uploading it."},
        }

    def error_text(self):
        return " ".join(message for errors in self.errors.values() for message in errors)


def image_json(image):
    return {
        "id": image.pk,
        "url": image.file.url,
        "alt": image.alt,
        "caption": image.caption,
        "width": image.width,
        "height": image.height,
    }


PICKER_PAGE_SIZE = 24


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "alt", "dimensions", "uploaded_at", "address"]
    search_fields = ["alt", "caption"]
    readonly_fields = ["thumbnail", "address", "dimensions"]

    def get_urls(self):
        # Staff only and CSRF-checked, like every admin view (admin_view).
        return [
            path(
                "upload/",
                self.admin_site.admin_view(require_POST(self.upload_view)),
                name="blog_image_upload",
            ),
            path(
                "picker/",
                self.admin_site.admin_view(require_GET(self.picker_view)),
                name="blog_image_picker",
            ),
            *super().get_urls(),
        ]

    def upload_view(self, request):
        """An image from the body editor (button, drop or paste): JSON in, JSON out."""
        if not self.has_add_permission(request):
            return JsonResponse({"error": "You may not upload images."}, status=403)
        form = ImageUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return JsonResponse({"error": form.error_text(), "fields": form.errors}, status=400)
        image = form.save()
        self.log_addition(request, image, [{"added": {}}])
        return JsonResponse(image_json(image), status=201)

    def picker_view(self, request):
        """A searchable, paginated grid of the library's images, opened by the
        figure dialog's “Browse…” button (two queries: the page and the count)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        images = Image.objects.only("file", "alt", "caption", "width", "height", "renditions")
        query = request.GET.get("q", "").strip()
        if query:
            images = images.filter(Q(alt__icontains=query) | Q(caption__icontains=query))
        page = Paginator(images, PICKER_PAGE_SIZE).get_page(request.GET.get("page"))
        params = {"q": query, "CKEditorFuncNum": request.GET.get("CKEditorFuncNum", "")}
        context = {
            **self.admin_site.each_context(request),
            "title": "Choose an image",
            "opts": self.opts,
            "is_popup": True,
            "page_obj": page,
            "query": query,
            "func_num": params["CKEditorFuncNum"],
            "page_query": urlencode({k: v for k, v in params.items() if v}),
            "images": page.object_list,
        }
        return TemplateResponse(request, "admin/blog/image/picker.html", context)

    @admin.display(description="preview")
    def thumbnail(self, obj):
        if not obj.file:
            return ""
        return format_html(
            '<img src="{}" alt="{}" style="max-height:4rem">', obj.thumbnail_url, obj.alt
        )

    @admin.display(description="address to place in a post's figure")
    def address(self, obj):
        return obj.file.url if obj.file else ""

    @admin.display(description="size")
    def dimensions(self, obj):
        return f"{obj.width}×{obj.height}" if obj.width else ""
