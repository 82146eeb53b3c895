from django.urls import path

from . import views

app_name = "series"

urlpatterns = [
    path("series/", views.SeriesListView.as_view(), name="series_list"),
    path("series/<str:slug>/", views.SeriesDetailView.as_view(), name="series_detail"),
    path("guides/", views.GuideListView.as_view(), name="guide_list"),
    path("guides/<str:slug>/", views.GuideVolumeView.as_view(), name="guide_detail"),
    path(
        "guides/<str:slug>/volume/<int:volume>/",
        views.GuideVolumeView.as_view(),
        name="guide_volume",
    ),
    path(
        "guides/<str:slug>/posting/<int:number>/",
        views.posting_redirect,
        name="guide_posting",
    ),
]
