"""Authors' profiles in the admin.

Every staff user edits their own profile at /admin/profile/ (linked from the
admin's user tools beside "Change password"); the page has no user in its URL or
form, so nobody reaches another's profile through it. Superusers edit anyone's
from the user admin, where the profile is an inline.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import AdminForm
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from core.admin_input import BadInputSafeAdminMixin

from .authors import author_url
from .models import AuthorProfile

PROFILE_FIELDS = ["display_name", "bio", "avatar", "website"]


class AuthorProfileForm(forms.ModelForm):
    class Meta:
        model = AuthorProfile
        fields = PROFILE_FIELDS
        widgets = {
            "display_name": forms.TextInput(attrs={"class": "vTextField"}),
            "bio": forms.Textarea(attrs={"rows": 5, "class": "vLargeTextField"}),
            "website": forms.URLInput(attrs={"class": "vURLField"}),
        }


def profile_view(request):
    """The signed-in staff user's own author profile (wrapped in admin_view)."""
    profile = AuthorProfile.objects.filter(user=request.user).first()
    profile = profile or AuthorProfile(user=request.user)
    form = AuthorProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile was saved.")
        return redirect(request.path)
    context = {
        **admin.site.each_context(request),
        "title": "Your profile",
        "subtitle": None,
        "adminform": AdminForm(form, [(None, {"fields": PROFILE_FIELDS})], {}),
        "errors": form.errors,
        "profile": profile,
        "author_page": author_url(request.user),
        "has_posts": request.user.posts.exists(),
    }
    return TemplateResponse(request, "admin/blog/profile.html", context)


class AuthorProfileInline(admin.StackedInline):
    """The profile on the user's admin page; only superusers see or change it there
    (anyone else edits their own at /admin/profile/)."""

    model = AuthorProfile
    form = AuthorProfileForm
    can_delete = False
    verbose_name_plural = "author profile"

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False


User = get_user_model()


class UserWithProfileAdmin(BadInputSafeAdminMixin, UserAdmin):
    inlines = [*UserAdmin.inlines, AuthorProfileInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("profile")


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, UserWithProfileAdmin)
