from django.urls import path, re_path
from django_comments_xtd.views import mute

from blog.urls import DAY, MONTH, SLUG, YEAR, with_feeds

from . import feeds, views

app_name = "comments"
PAGE = r"comment-page-(?P<number>[0-9]{1,9})/"

urlpatterns = [
    path("comments/post/", views.post_comment, name="post"),
    path("comments/confirm/<str:token>/", views.confirm, name="confirm"),
    path("comments/moderate/<str:token>/", views.moderate_by_link, name="moderate"),
    # Every entry's newest comments, at WordPress's address for them.
    *with_feeds("^comments/", feeds.SiteCommentsFeed, feeds.AtomSiteCommentsFeed, "site"),
    # Page N of a post's comments, at WordPress's address (comments/paging.py).
    re_path(
        rf"^{YEAR}/{MONTH}/{DAY}/{SLUG}/{PAGE}$",
        views.PostCommentPage.as_view(),
        name="post_comments",
    ),
    # A post's comments as RSS and Atom, at <post URL>feed/ as in WordPress.
    *with_feeds(
        rf"^{YEAR}/{MONTH}/{DAY}/{SLUG}/",
        feeds.PostCommentsFeed,
        feeds.AtomPostCommentsFeed,
        "post",
    ),
]

# A page's comments at <page URL>feed/: included last (config/urls.py), with the
# pages, so that no other listing's feed is taken for a page's.
page_feed_urlpatterns = [
    *with_feeds(rf"^{SLUG}/", feeds.PageCommentsFeed, feeds.AtomPageCommentsFeed, "page"),
    re_path(rf"^{SLUG}/{PAGE}$", views.PageCommentPage.as_view(), name="page_comments"),
]

# xtd's one-click unsubscribe, under the name its follow-up mail reverses.
xtd_urlpatterns = [path("mute/<str:key>/", mute, name="comments-xtd-mute")]
