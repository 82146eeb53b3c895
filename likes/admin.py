"""Likes in the admin: a read-only list (a like is a reader's, not the staff's to
make or change), and a "likes" column in the list of posts."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import Like


@admin.register(Like)
class LikeAdmin(admin.ModelAdmin):
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


@admin.display(description="likes", ordering="desk_likes")
def post_likes_column(post):
    if not post.desk_likes:
        return "0"
    url = f"{reverse('admin:likes_like_changelist')}?post__id__exact={post.pk}"
    return format_html('<a href="{}" title="Who likes this post">{}</a>', url, post.desk_likes)


def post_likes_annotations():
    return {"desk_likes": lambda outer: Like.objects.count_subquery(outer)}
