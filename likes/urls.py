from django.urls import path

from . import views

app_name = "likes"

urlpatterns = [
    # str, not int: parse_id turns anything but a plain id into a 404.
    path("likes/<str:post_pk>/", views.post_likes, name="post"),
]
