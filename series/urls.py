from django.urls import path

from blog.urls import with_feeds

from . import feeds, follow_views, views

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
    path("follow/", follow_views.follow, name="follow"),
    path("follow/check-your-inbox/", follow_views.check_inbox, name="follow_check_inbox"),
    path("follow/confirm/<str:token>/", follow_views.confirm, name="follow_confirm"),
    path("follow/unsubscribe/<str:token>/", follow_views.unsubscribe, name="follow_unsubscribe"),
    path("follow/manage/<str:token>/", follow_views.manage, name="follow_manage"),
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
