from django.urls import path

from blog.urls import with_feeds

from . import feeds, views

app_name = "series"

urlpatterns = [
    *with_feeds(
        r"^series/(?P<slug>[-\w]+)/", feeds.SeriesPartsFeed, feeds.AtomSeriesPartsFeed, "series"
    ),
    *with_feeds(
        r"^guides/(?P<slug>[-\w]+)/", feeds.GuidePostingsFeed, feeds.AtomGuidePostingsFeed, "guide"
    ),
    path("series/", views.SeriesListView.as_view(), name="series_list"),
    path("series/<str:slug>/", views.SeriesDetailView.as_view(), name="series_detail"),
    path("guides/", views.GuideListView.as_view(), name="guide_list"),
    path("guides/<str:slug>/", views.GuideVolumeView.as_view(), name="guide_detail"),
    path(
        "guides/<str:slug>/volume/<id:volume>/",
        views.GuideVolumeView.as_view(),
        name="guide_volume",
    ),
    path(
        "guides/<str:slug>/posting/<id:number>/",
        views.posting_redirect,
        name="guide_posting",
    ),
]
