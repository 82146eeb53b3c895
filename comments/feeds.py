"""A post's (or a page's) public comments, as RSS and Atom at `<post URL>feed/`, and
the newest public comments of the whole site at `/comments/feed/`, as in WordPress."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from blog.feeds import BaseFeed, rss_and_atom
from blog.models import Page, Post
from core.page_cache import depends_on
from core.site_url import site_url

from . import paging
from .models import BlogComment
from .templatetags.comment_tags import recent_comments
from .visibility import COMMENTS, discussion_key_of


class CommentsFeed(BaseFeed):
    def get_object(self, request, year, month, day, slug):
        post = get_object_or_404(Post.objects.published(), slug=slug)
        if post.get_absolute_url() != f"/{year}/{month}/{day}/{slug}/":
            raise Http404("No such post.")
        return post

    def title(self, post):
        return f"Comments on: {post.title or '(untitled)'}"

    def description(self, post):
        return f"Comments on “{post.title}” at {settings.SITE_NAME}"

    def link(self, post):
        return site_url() + post.get_absolute_url()

    def items(self, post):
        depends_on(discussion_key_of(post))
        comments = BlogComment.objects.for_object(post).public().select_related(None)
        comments = paging.thread_counts(comments)  # where each is read (comment pages)
        comments = list(comments.order_by("-submit_date")[: settings.FEED_ITEMS])
        for c in comments:
            c.link = f"{site_url()}{paging.comment_path(post, c.pk, c.threads_before, c.threads)}"
        return comments

    def item_title(self, comment):
        return f"By: {comment.user_name}"

    def item_description(self, comment):
        return comment.comment_html

    def item_link(self, comment):
        return comment.link

    def item_pubdate(self, comment):
        return comment.submit_date

    def item_author_name(self, comment):
        return comment.user_name

    def item_guid(self, comment):
        return f"{site_url()}/?p={comment.object_pk}#comment-{comment.pk}"

    item_guid_is_permalink = False


PostCommentsFeed, AtomPostCommentsFeed = rss_and_atom(CommentsFeed)


class PageFeed(CommentsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Page.objects.published(), slug=slug)

    def item_guid(self, comment):
        return f"{site_url()}/?page_id={comment.object_pk}#comment-{comment.pk}"


PageCommentsFeed, AtomPageCommentsFeed = rss_and_atom(PageFeed)


class SiteFeed(CommentsFeed):
    """Public comments on published posts and pages, newest first (a few queries,
    whatever their number: comment_tags.recent_comments)."""

    def get_object(self, request):
        return None

    def title(self):
        return f"Comments on {settings.SITE_NAME}"

    def description(self):
        return f"The newest comments at {settings.SITE_NAME}"

    def link(self):
        return reverse("blog:home")

    def items(self):
        depends_on(COMMENTS)  # bumped whenever a comment becomes public or leaves
        comments = []
        for comment, entry in recent_comments(settings.FEED_ITEMS):
            comment.link = f"{site_url()}{comment.link}"  # its comment page
            comment.entry = entry
            comments.append(comment)
        return comments

    def item_title(self, comment):
        return f"Comment on {comment.entry.title or '(untitled)'} by {comment.user_name}"

    def item_guid(self, comment):
        query = "page_id" if isinstance(comment.entry, Page) else "p"
        return f"{settings.SITE_URL}/?{query}={comment.object_pk}#comment-{comment.pk}"


SiteCommentsFeed, AtomSiteCommentsFeed = rss_and_atom(SiteFeed)
