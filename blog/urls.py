from django.urls import path, re_path

from . import feeds, views

app_name = "blog"

YEAR, MONTH, DAY = r"(?P<year>[0-9]{4})", r"(?P<month>[0-9]{2})", r"(?P<day>[0-9]{2})"
SLUG = r"(?P<slug>[-\w]+)"


def with_feeds(prefix, rss, atom, name):
    """RSS at <prefix>feed/ and Atom at <prefix>feed/atom/, the URLs WordPress uses."""
    return [
        re_path(rf"{prefix}feed/$", rss(), name=f"{name}_feed"),
        re_path(rf"{prefix}feed/atom/$", atom(), name=f"{name}_atom"),
    ]


urlpatterns = [
    *with_feeds("^", feeds.LatestPostsFeed, feeds.AtomLatestPostsFeed, "posts"),
    *with_feeds(
        rf"^category/(?:[-\w]+/)*{SLUG}/",
        feeds.CategoryPostsFeed,
        feeds.AtomCategoryPostsFeed,
        "category",
    ),
    *with_feeds(rf"^tag/{SLUG}/", feeds.TagPostsFeed, feeds.AtomTagPostsFeed, "tag"),
    *with_feeds(
        r"^author/(?P<username>[\w.@+-]+)/",
        feeds.AuthorPostsFeed,
        feeds.AtomAuthorPostsFeed,
        "author",
    ),
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    re_path(rf"^{YEAR}/{MONTH}/{DAY}/{SLUG}/$", views.PostDetailView.as_view(), name="post"),
    re_path(rf"^{YEAR}/{MONTH}/{DAY}/$", views.DayArchive.as_view(), name="archive_day"),
    re_path(rf"^{YEAR}/{MONTH}/$", views.MonthArchive.as_view(), name="archive_month"),
    re_path(rf"^{YEAR}/$", views.YearArchive.as_view(), name="archive_year"),
    re_path(rf"^category/(?:[-\w]+/)*{SLUG}/$", views.CategoryView.as_view(), name="category"),
    re_path(rf"^tag/{SLUG}/$", views.TagView.as_view(), name="tag"),
    re_path(r"^author/(?P<username>[\w.@+-]+)/$", views.AuthorView.as_view(), name="author"),
]

# Pages answer at /<slug>/; the root URLconf includes these last.
page_urlpatterns = [
    re_path(rf"^{SLUG}/$", views.PageDetailView.as_view(), name="page"),
]
