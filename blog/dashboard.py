"""The author's desk: the admin's front page. Drafts, scheduled posts, the last
published posts with their comment counts, quick actions, and the panels other apps
add (blog/extensions.py, e.g. held comments). Each panel asks the admin whether
this user may see it; the whole page costs the same queries at any size."""

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from .extensions import dashboard_panels, post_annotations
from .models import Page, Post, Status, published_q

LISTED = 8  # drafts and scheduled posts listed on the desk; the rest are a link away
RECENT = 5


def desk(request, site=admin.site):
    """Everything the front page shows for this user."""
    post_admin, page_admin = site.get_model_admin(Post), site.get_model_admin(Page)
    context = {"actions": [], "panels": []}
    if post_admin.has_add_permission(request):
        context["actions"].append(("New post", reverse("admin:blog_post_add")))
    if page_admin.has_add_permission(request):
        context["actions"].append(("New page", reverse("admin:blog_page_add")))
    if post_admin.has_view_permission(request):
        context.update(posts_desk())
        context["posts_url"] = reverse("admin:blog_post_changelist")
    for panel in dashboard_panels():
        found = panel(request)
        if found is not None:
            template_name, panel_context = found
            context["panels"].append({"template": template_name, "context": panel_context})
    context["shown"] = bool(context["actions"] or context["panels"] or "drafts" in context)
    return context


def posts_desk():
    now = timezone.now()
    scheduled_q = Q(status=Status.PUBLISHED, published_at__gt=now)
    totals = Post.objects.aggregate(
        drafts=Count("pk", filter=~Q(status=Status.PUBLISHED)),
        scheduled=Count("pk", filter=scheduled_q),
    )
    return {
        "drafts": Post.objects.exclude(status=Status.PUBLISHED)
        .only("title", "updated_at")
        .order_by("-updated_at", "-pk")[:LISTED],
        "scheduled": Post.objects.filter(scheduled_q)
        .only("title", "published_at")
        .order_by("published_at", "pk")[:LISTED],
        "recent": Post.objects.filter(published_q())
        .only("title", "slug", "published_at")
        .annotate(**post_annotations())
        .order_by("-published_at", "-pk")[:RECENT],
        "totals": totals,
    }
