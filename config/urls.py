from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.static import serve

from blog.admin_profiles import profile_view
from blog.sitemaps import CategorySitemap, PageSitemap, PostSitemap, sitemap_index
from blog.urls import page_urlpatterns
from blog.views import robots_txt
from comments.urls import page_feed_urlpatterns, xtd_urlpatterns
from core.login_form import BoundedAdminAuthenticationForm
from core.site_url import view_on_site
from series.sitemaps import GuideSitemap, SeriesSitemap

admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = settings.SITE_NAME
admin.site.login_form = BoundedAdminAuthenticationForm

SITEMAPS = {
    "posts": PostSitemap,
    "pages": PageSitemap,
    "categories": CategorySitemap,
    "series": SeriesSitemap,
    "guides": GuideSitemap,
}

urlpatterns = [
    path("sitemap.xml", sitemap_index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("robots.txt", robots_txt, name="robots"),
    # Each staff user's own author profile, beside the admin's own pages.
    path("admin/profile/", admin.site.admin_view(profile_view), name="admin_profile"),
    # "View on site" at site_url(), before the admin's own (which uses the Site record).
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
    # Readers sign in to comment (allauth's pages, readers/).
    path("accounts/", include("readers.urls")),
    path("", include("comments.urls")),
    path("comments/", include(xtd_urlpatterns)),
    path("", include("likes.urls")),
    path("", include("blog.urls")),
    path("", include("series.urls")),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.strip("/")
    urlpatterns += [
        re_path(rf"^{media_prefix}/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

# Pages at /<slug>/ come last so that nothing above is shadowed by a page.
urlpatterns += [
    path("", include((page_feed_urlpatterns, "page_comments"))),
    path("", include((page_urlpatterns, "pages"))),
]

handler500 = "core.errors.server_error"
