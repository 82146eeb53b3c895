from django.contrib import admin

from core.admin_input import BadInputSafeAdminMixin

from .models import ImportedItem


@admin.register(ImportedItem)
class ImportedItemAdmin(BadInputSafeAdminMixin, admin.ModelAdmin):
    """What came from WordPress: read-only, written by `manage.py import_wxr`."""

    list_display = ["wp_type", "wp_id", "site", "content_type", "object_id", "old_path"]
    list_filter = ["wp_type", "site"]
    search_fields = ["wp_id", "guid", "old_path", "old_url"]
    list_select_related = ["content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
