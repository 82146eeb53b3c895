"""Comment pages, as WordPress pages comments: COMMENTS_PER_PAGE top-level threads a
page, never a thread split across two; within a page, oldest first. A post's own
URL shows COMMENTS_DEFAULT_PAGE ("newest": the last page, "oldest": the first);
every page also answers at `<post URL>comment-page-N/`, WordPress's address (and its
old `?cpage=N`).

A comment's place follows from one number: how many shown threads of its post
began before its own (`threads_before`), counted by the database. A thread is shown
while any comment in it is public (a removed first comment stays as a placeholder).
Threads begin in id order, so a page's number never changes as new threads come.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from core.ids import parse_id

PAGE_PREFIX = "comment-page-"


def per_page():
    return settings.COMMENTS_PER_PAGE


def page_count(threads):
    """How many pages `threads` shown threads fill (at least one)."""
    size = per_page()
    return max(1, -(-threads // size)) if size else 1


def default_page(pages):
    return pages if settings.COMMENTS_DEFAULT_PAGE == "newest" else 1


def page_of_thread(threads_before):
    """The page of the thread that has `threads_before` shown threads before it."""
    size = per_page()
    return threads_before // size + 1 if size else 1


def page_path(entry, number, pages=None):
    """`<entry URL>comment-page-N/`; with `pages` known, the entry's own URL for
    its default page (the navigation's links, as WordPress makes them)."""
    if pages is not None and number == default_page(pages):
        return entry.get_absolute_url()
    if entry._meta.model_name == "page":
        return reverse("page_comments:page_comments", kwargs={"slug": entry.slug, "number": number})
    return reverse("comments:post_comments", kwargs={**entry.url_kwargs(), "number": number})


def comment_path(entry, comment_pk, threads_before, threads):
    """Where comment `comment_pk` is read: its entry's own URL while the discussion
    fits one page, else its comment page, named by number so that the link stays
    right as newer threads push the newest page on."""
    threads = max(threads, threads_before + 1)  # its own thread may not be public yet
    if page_count(threads) == 1:
        return f"{entry.get_absolute_url()}#comment-{comment_pk}"
    return f"{page_path(entry, page_of_thread(threads_before))}#comment-{comment_pk}"


def requested_page(value):
    """The page number a `?cpage=` asks for, or None."""
    number = parse_id(value) if value else None
    return number if number else None


@dataclass
class Paging:
    """One page of a discussion's threads, and what its navigation links to."""

    number: int
    pages: int
    entry: object

    @classmethod
    def of(cls, entry, threads, wanted=None):
        """Page `wanted` (default: the entry's default page) of `threads` threads;
        a number past the last shows the last."""
        pages = page_count(threads)
        number = min(wanted, pages) if wanted else default_page(pages)
        return cls(number=number, pages=pages, entry=entry)

    def slice(self, roots):
        size = per_page()
        if not size:
            return roots
        return roots[(self.number - 1) * size : self.number * size]

    @property
    def is_paged(self):
        return self.pages > 1

    def url(self, number):
        return f"{page_path(self.entry, number, self.pages)}#comments"

    @property
    def older_url(self):
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def newer_url(self):
        return self.url(self.number + 1) if self.number < self.pages else None

    @property
    def links(self):
        """(number, url, current) for the first and last pages and those near this
        one, as WordPress's page numbers; (None, None, False) where numbers are left out."""
        near = {1, self.pages, *range(self.number - 2, self.number + 3)}
        links, previous = [], 0
        for n in sorted(n for n in near if 1 <= n <= self.pages):
            if n > previous + 1:
                links.append((None, None, False))
            links.append((n, self.url(n), n == self.number))
            previous = n
        return links


def thread_counts(comments, outer_thread="thread_id"):
    """Annotations for a queryset of comments: `threads_before` (shown threads of the
    same post begun before the comment's) and `threads` (all its post's shown
    threads), as subqueries, so a list of comments costs no query per comment."""
    from .models import BlogComment

    def count(**before):
        shown = (
            BlogComment.objects.public()
            .filter(
                content_type_id=OuterRef("content_type_id"),
                object_pk=OuterRef("object_pk"),
                site_id=OuterRef("site_id"),
                **before,
            )
            .order_by()
            .values("object_pk")
            .annotate(n=Count("thread_id", distinct=True))
            .values("n")
        )
        return Coalesce(Subquery(shown), 0)

    return comments.annotate(
        threads_before=count(thread_id__lt=OuterRef(outer_thread)), threads=count()
    )


def comment_location(entry, comment_pk, thread_id):
    """The address of a comment of `entry` in thread `thread_id`: one query when
    comments are paged, none otherwise."""
    from .models import BlogComment

    if not per_page():
        return f"{entry.get_absolute_url()}#comment-{comment_pk}"
    comments = BlogComment.objects.for_object(entry)
    return comment_path(entry, comment_pk, *shown_thread_counts(comments, thread_id))


def shown_thread_counts(entry_comments, thread_id):
    """(threads before `thread_id`, all threads) among a post's shown threads: one query."""
    found = entry_comments.public().aggregate(
        before=Count("thread_id", distinct=True, filter=Q(thread_id__lt=thread_id)),
        threads=Count("thread_id", distinct=True),
    )
    return found["before"], found["threads"]


def place_of_new(comment):
    """Annotations for the query that loads the post the unsaved `comment` goes to:
    its shown threads, and those begun before the thread of the comment's parent
    (`parent_comment`, loaded by the form); a new thread comes after them all."""
    from .models import BlogComment

    shown = BlogComment.objects.public().filter(
        content_type_id=comment.content_type_id,
        object_pk=comment.object_pk,
        site_id=comment.site_id,
    )

    def count(comments):
        counted = (
            comments.order_by().values("object_pk").annotate(n=Count("thread_id", distinct=True))
        )
        return Coalesce(Subquery(counted.values("n")), 0)

    parent = comment.parent_comment
    before = shown.filter(thread_id__lt=parent.thread_id) if parent else shown
    return {"comment_threads": count(shown), "comment_threads_before": count(before)}


def location_of_new(post, comment):
    """Where the comment just saved is read, from `place_of_new`'s annotations."""
    before = getattr(post, "comment_threads_before", 0)
    return comment_path(post, comment.pk, before, getattr(post, "comment_threads", 0))
