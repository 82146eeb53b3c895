"""Likes in the admin: a read-only list (a like is a reader's, not the staff's to
make or change). The list of posts has no likes column: beside both sidebars at
1280 px it pushed the post list's last column out of sight."""

from django.contrib import admin

from core.admin_input import BadInputSafeAdminMixin

from .models import Like


@admin.register(Like)
class LikeAdmin(BadInputSafeAdminMixin, admin.ModelAdmin):
    list_display = ["post", "liked_by", "created"]
    list_select_related = ["post", "user"]
    search_fields = ["post__title", "user__username", "user__email"]
    date_hierarchy = "created"
    fields = ["post", "user", "created"]
    readonly_fields = fields

    @admin.display(description="liked by")
    def liked_by(self, like):
        return like.user.get_username() if like.user_id else "anonymous"

    def lookup_allowed(self, lookup, value, request=None):
        return lookup == "post__id__exact" or super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
