from django.urls import include, path

# allauth's pages (sign in, sign out, providers' callbacks), under /accounts/.
urlpatterns = [path("", include("allauth.urls"))]
