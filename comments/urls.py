from django.urls import path
from django_comments_xtd.views import mute

from . import views

app_name = "comments"

urlpatterns = [
    path("post/", views.post_comment, name="post"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
]

# xtd's one-click unsubscribe, under the name its follow-up mail reverses.
xtd_urlpatterns = [path("mute/<str:key>/", mute, name="comments-xtd-mute")]
