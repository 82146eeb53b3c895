"""The requests a benchmark run measures, found in the benchmark dataset."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from blog.models import Category, Post
from comments.forms import BlogCommentForm
from comments.models import BlogComment
from series.models import Guide, Series

from . import dataset

# A word the generated posts use often: search ranks and highlights many matches.
SEARCH_WORD = "deadline"
# Not one of the dataset's commenters and no Akismet test value: every benchmark
# comment is a first comment, so it passes every screening step and is held.
COMMENTER_NAME = "Bench Reader"
COMMENTER_EMAIL = "bench-reader@example.com"


@dataclass(frozen=True)
class Request:
    name: str
    label: str
    path: str
    # For the comment POST: the form's fields, all but the comment text, which
    # changes with every request so that the duplicate check never answers instead.
    form: dict | None = None

    @property
    def method(self):
        return "GET" if self.form is None else "POST"

    def as_dict(self):
        return {"name": self.name, "label": self.label, "path": self.path, "form": self.form}


def bench_requests():
    """Every request to measure, in order (the POST last: it adds comments)."""
    if dataset.summary() is None:
        raise LookupError("No benchmark dataset in this database: run bench_data first.")
    posts = {post.slug: post for post in Post.objects.filter(slug__in=dataset.special_slugs())}
    long_post, deep_post = posts[dataset.LONG_POST_SLUG], posts[dataset.DEEP_POST_SLUG]
    series = Series.objects.get(slug=dataset.SERIES_SLUG)
    guide = Guide.objects.get(slug=dataset.GUIDE_SLUG)
    category = Category.objects.get(slug=dataset.CATEGORY_SLUG)
    return [
        Request("home", "home", reverse("blog:home")),
        Request("long-post", described(long_post), long_post.get_absolute_url()),
        Request("deep-post", described(deep_post), deep_post.get_absolute_url()),
        Request("series", f"series, {series.parts.count()} parts", series.get_absolute_url()),
        Request(
            "guide",
            f"guide volume, {guide.postings.count():,} postings",
            guide.get_absolute_url(),
        ),
        Request("category", f"category “{category.name}”", category.get_absolute_url()),
        Request(
            "search",
            f"search “{SEARCH_WORD}”",
            f"{reverse('blog:search')}?{urlencode({'q': SEARCH_WORD})}",
        ),
        Request("feed", "feed", reverse("blog:posts_feed")),
        Request(
            "comment-post",
            "comment POST",
            reverse("comments:post"),
            form=comment_form(posts[dataset.TARGET_POST_SLUG]),
        ),
    ]


def described(post):
    count = BlogComment.objects.for_object(post).public().count()
    return f"post, {post.word_count:,} words, {count} comments"


def comment_form(post):
    """The comment form's POST fields as a browser sends them, without the comment:
    the security hash and timestamp come from the form itself."""
    initial = BlogCommentForm(post).initial
    fields = {name: str(value) for name, value in initial.items() if value is not None}
    fields.update(name=COMMENTER_NAME, email=COMMENTER_EMAIL, url="", reply_to="0", honeypot="")
    return fields


def remove_posted_comments():
    """Delete the comments that benchmark POSTs made; return their number by state."""
    posted = BlogComment.objects.filter(user_email=COMMENTER_EMAIL)
    by_state = dict(posted.order_by().values_list("state").annotate(n=Count("pk")))
    posted.delete()
    return by_state
