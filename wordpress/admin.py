from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.urls import path
from django.utils import timezone

from core.admin_input import BadInputSafeAdminMixin

from .export import export_chunks
from .models import ImportedItem

EXPORT_PERMISSION = "wordpress.export"


def may_export(user):
    """Superusers, and staff given "Can export the whole blog as WXR"."""
    return user.is_active and user.is_staff and user.has_perm(EXPORT_PERMISSION)


@admin.register(ImportedItem)
class ImportedItemAdmin(BadInputSafeAdminMixin, admin.ModelAdmin):
    """What came from WordPress: read-only, written by `manage.py import_wxr`."""

    list_display = ["wp_type", "wp_id", "site", "content_type", "object_id", "old_path"]
    list_filter = ["wp_type", "site"]
    search_fields = ["wp_id", "guid", "old_path", "old_url"]
    list_select_related = ["content_type"]
    change_list_template = "admin/wordpress/importeditem/change_list.html"

    def get_urls(self):
        export = path(
            "export/", self.admin_site.admin_view(self.export_view), name="wordpress_export"
        )
        return [export, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_export": may_export(request.user)}
        return super().changelist_view(request, extra_context)

    def export_view(self, request):
        """The whole blog as a WXR download, written as it streams (export_wxr's work)."""
        if not may_export(request.user):
            raise PermissionDenied
        personal = request.GET.get("personal") != "0"
        name = f"blog-{timezone.localdate():%Y-%m-%d}{'' if personal else '-no-personal-data'}.xml"
        response = StreamingHttpResponse(
            export_chunks(personal_data=personal), content_type="application/xml; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
