from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, Q, When
from django.forms.models import BaseInlineFormSet
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from core.admin_input import BadInputSafeAdminMixin
from core.content_version import bump_content_version

from .desk import DeskAdminMixin
from .extensions import (
    page_admin_annotations,
    page_admin_columns,
    post_admin_annotations,
    post_admin_columns,
    post_admin_inlines,
)
from .models import Category, Image, Page, Post, Status, Tag, published_q

# Where a post or page stands, as the author sees it; "scheduled" depends on the time.
DRAFT, SCHEDULED, PUBLISHED = 0, 1, 2
STAGE_LABELS = {DRAFT: "Draft", SCHEDULED: "Scheduled", PUBLISHED: "Published"}
STAGE_PARAMS = {"draft": DRAFT, "scheduled": SCHEDULED, "published": PUBLISHED}


def stage_conditions(now):
    return {
        DRAFT: ~Q(status=Status.PUBLISHED),
        SCHEDULED: Q(status=Status.PUBLISHED, published_at__gt=now),
        PUBLISHED: Q(status=Status.PUBLISHED, published_at__lte=now),
    }


def stage_expression(now):
    conditions = stage_conditions(now)
    return Case(
        When(conditions[DRAFT], then=DRAFT),
        When(conditions[SCHEDULED], then=SCHEDULED),
        default=PUBLISHED,
        output_field=IntegerField(),
    )


class StageFilter(admin.SimpleListFilter):
    """Draft / Scheduled / Published, each with its count (one query)."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        conditions = stage_conditions(timezone.now())
        counts = model_admin.model.objects.aggregate(
            **{param: Count("pk", filter=conditions[s]) for param, s in STAGE_PARAMS.items()}
        )
        return [
            (param, f"{STAGE_LABELS[stage]} ({counts[param]})")
            for param, stage in STAGE_PARAMS.items()
        ]

    def queryset(self, request, queryset):
        stage = STAGE_PARAMS.get(self.value())
        if stage is None:
            return queryset
        return queryset.filter(stage_conditions(timezone.now())[stage])


@admin.register(Category)
class CategoryAdmin(BadInputSafeAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["parent"]


@admin.register(Tag)
class TagAdmin(BadInputSafeAdminMixin, admin.ModelAdmin):
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


class PublishableAdmin(BadInputSafeAdminMixin, DeskAdminMixin, admin.ModelAdmin):
    """What the post and page admins share: state, preview link and bulk publishing;
    revisions, autosave and preview of unsaved text (blog/desk.py)."""

    actions = ["publish_now", "make_draft"]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and "_publish" in request.POST:
            # The form's Publish button, as in WordPress: status Published, then the
            # usual checks and save (no time set means now; a future time schedules).
            request.POST = request.POST.copy()
            request.POST["status"] = Status.PUBLISHED
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_queryset(self, request):
        # ModelAdmin.get_queryset orders before we could annotate; the ordering may
        # name the annotations, so it comes last here.
        queryset = self.annotate(self.model._default_manager.get_queryset())
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset

    def annotate(self, queryset):
        return queryset.annotate(stage=stage_expression(timezone.now()))

    @admin.display(description="state", ordering="stage")
    def state(self, obj):
        if obj.is_public:
            return "Published"
        return "Scheduled" if obj.is_scheduled else "Draft"

    @admin.display(description="date", ordering="published_at")
    def publication_time(self, obj):
        if obj.published_at is None:
            return "–"
        when = timezone.localtime(obj.published_at)
        return format_html(
            '<time class="desk-nowrap" datetime="{}">{}<br>{}</time>',
            when.isoformat(),
            f"{when:%-d %b %Y}",
            f"{when:%H:%M}",
        )

    @admin.display(description="view")
    def view_link(self, obj):
        label = "View" if obj.is_public else "Preview"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), label)

    @admin.action(description="Publish now")
    def publish_now(self, request, queryset):
        count = 0
        for obj in queryset.exclude(published_q()):
            obj.status, obj.published_at = Status.PUBLISHED, timezone.now()
            obj.save()
            count += 1
        self.message_user(request, f"{count} published.", messages.SUCCESS)

    @admin.action(description="Unpublish (back to draft)")
    def make_draft(self, request, queryset):
        count = queryset.exclude(status=Status.DRAFT).update(status=Status.DRAFT)
        bump_content_version()  # update() bypasses the signals that usually do this
        self.message_user(request, f"{count} turned into drafts.", messages.SUCCESS)


@admin.register(Post)
class PostAdmin(PublishableAdmin):
    # Series part and comment columns come from the other apps (get_list_display).
    list_display = ["title", "state", "publication_time", "view_link"]
    show_facets = admin.ShowFacets.NEVER  # the state filter counts for itself
    list_filter = [StageFilter, "categories", ("author", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "slug", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    # Categories are ticked, as in WordPress (one click each); tags are many, so they
    # keep the two-list chooser with its filter.
    filter_horizontal = ["tags"]
    preview_template = "blog/post_detail.html"
    fieldsets = [
        (None, {"fields": ["title", "slug", "body", "excerpt"]}),
        ("Publishing", {"fields": ["status", "published_at", "author", "comments_open", "sticky"]}),
        ("Filing", {"fields": ["categories", "tags"]}),
        ("Featured image", {"fields": ["featured_image", "featured_image_alt"]}),
    ]
    autocomplete_fields = ["featured_image"]

    class Media:
        css = {"all": ["css/admin-desk.css"]}

    def annotate(self, queryset):
        # A new draft must not sink to the last page: drafts first (last saved
        # first), then scheduled posts (next to appear first), then published
        # posts, newest first (get_ordering). Column headers still sort as usual.
        return (
            super()
            .annotate(queryset)
            .annotate(
                desk_time=Case(
                    When(stage=DRAFT, then=F("updated_at")),
                    When(stage=PUBLISHED, then=F("published_at")),
                ),
                **post_admin_annotations(),
            )
        )

    def get_ordering(self, request):
        return ["stage", F("desk_time").desc(nulls_last=True), "published_at"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "categories":
            kwargs["widget"] = forms.CheckboxSelectMultiple(attrs={"class": "desk-categories"})
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_list_display(self, request):
        *columns, view = super().get_list_display(request)
        return [*columns, *post_admin_columns(), view]

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
    fields = [
        "title", "slug", "body", "status", "published_at", "menu_order", "show_in_menu",
        "comments_open",
    ]  # fmt: skip

    class Media:
        css = {"all": ["css/admin-desk.css"]}  # the badges other apps' columns use

    def get_queryset(self, request):
        # Columns other apps add (comment counts) read these: no query per row.
        return super().get_queryset(request).annotate(**page_admin_annotations())

    def get_list_display(self, request):
        *columns, view = super().get_list_display(request)
        return [*columns, *page_admin_columns(), view]


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
class ImageAdmin(BadInputSafeAdminMixin, admin.ModelAdmin):
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


# Authors' profiles: /admin/profile/ and the profile inline on the user admin.
from . import admin_profiles  # noqa: E402, F401
