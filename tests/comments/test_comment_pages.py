"""Long discussions in pages of threads, as WordPress pages them."""

import random
import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.discussions import Draft, insert_comments
from blog.models import Page
from comments.models import BlogComment, State
from tests.comment_helpers import POST_URL, comment_data
from tests.factories import CommentFactory, PageFactory, PostFactory

pytestmark = pytest.mark.django_db

THREAD = re.compile(r'<li class="comment depth-1" id="comment-(\d+)"')


@pytest.fixture(autouse=True)
def paged(settings):
    settings.COMMENTS_PER_PAGE = 50
    settings.COMMENTS_DEFAULT_PAGE = "newest"


def discussion(post, threads, replies=0, seed=3):
    """`threads` threads and `replies` replies among them, inserted in bulk as the
    bench inserts them; returns the comments in thread order."""
    rng = random.Random(seed)
    when = post.published_at
    drafts = []
    for n in range(threads + replies):
        when += timedelta(minutes=1)
        tops = [i for i, d in enumerate(drafts) if d.parent is None]
        parent = rng.choice(tops) if tops and n >= threads else None
        drafts.append(Draft(post.pk, parent, f"Comment {n}.", when, f"Reader {n}", "r@example.com"))
    insert_comments(drafts)
    return list(BlogComment.objects.for_object(post).order_by("thread_id", "order"))


def threads_on(response):
    return [int(pk) for pk in THREAD.findall(response.content.decode())]


def test_a_500_comment_post_shows_50_threads_a_page_and_a_permalink_finds_its_comment(client):
    post = PostFactory(slug="busy")
    comments = discussion(post, threads=350, replies=150)
    assert len(comments) == 500
    first = client.get(f"{post.get_absolute_url()}comment-page-1/")
    assert first.status_code == 200
    tops = threads_on(first)
    assert len(tops) == 50
    assert tops == sorted(tops)  # oldest first within the page
    page = first.content.decode()
    assert "500 responses to" in page  # the count stays the total
    assert page.count('class="comment-navigation"') == 2  # above and below
    assert f'href="{post.get_absolute_url()}comment-page-2/#comments" rel="next"' in page
    assert 'aria-current="page"><span class="visually-hidden">Comment page </span>1<' in page

    # The post's own URL shows the newest page, the seventh.
    own = client.get(post.get_absolute_url())
    assert len(threads_on(own)) == 350 - 6 * 50
    assert "Newer comments" not in own.content.decode()

    seventh = set(threads_on(own))
    target = [c for c in comments if c.thread_id in seventh][-1]
    url = target.get_absolute_url()
    assert url == f"{post.get_absolute_url()}comment-page-7/#comment-{target.pk}"
    path, anchor = url.split("#")
    assert f'id="{anchor}"' in client.get(path).content.decode()


def test_every_comment_permalink_lands_on_the_page_that_shows_it(client):
    post = PostFactory()
    comments = discussion(post, threads=120, replies=40)
    shown = {}
    for number in (1, 2, 3):
        page = client.get(f"{post.get_absolute_url()}comment-page-{number}/").content.decode()
        shown.update({int(pk): number for pk in re.findall(r'id="comment-(\d+)"', page)})
    assert len(shown) == 160
    for comment in comments[::7]:
        assert f"comment-page-{shown[comment.pk]}/#comment-{comment.pk}" in (
            comment.get_absolute_url()
        )


def test_a_page_costs_the_same_queries_at_60_and_120_threads(client):
    small, large = PostFactory(), PostFactory()
    discussion(small, threads=60, replies=30)
    discussion(large, threads=120, replies=60)

    def queries(url):
        cache.clear()
        client.get(url)  # warm what a running process keeps (content types)
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for number in (1, 2):
        assert queries(f"{small.get_absolute_url()}comment-page-{number}/") == queries(
            f"{large.get_absolute_url()}comment-page-{number}/"
        )
    assert queries(small.get_absolute_url()) == queries(large.get_absolute_url())


def test_oldest_first_shows_the_first_page_on_the_post(client, settings):
    settings.COMMENTS_DEFAULT_PAGE = "oldest"
    post = PostFactory()
    comments = discussion(post, threads=60)
    own = client.get(post.get_absolute_url())
    assert threads_on(own) == [c.pk for c in comments[:50]]
    page = own.content.decode()
    assert f'href="{post.get_absolute_url()}comment-page-2/#comments" rel="next"' in page
    second = client.get(f"{post.get_absolute_url()}comment-page-2/").content.decode()
    # The navigation links the default page to the post's own URL, as WordPress does.
    assert f'href="{post.get_absolute_url()}#comments" rel="prev"' in second


def test_one_page_discussions_are_unchanged(client):
    post = PostFactory()
    comment = CommentFactory(post=post)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "comment-navigation" not in page
    assert comment.get_absolute_url() == f"{post.get_absolute_url()}#comment-{comment.pk}"


def test_old_wordpress_links_keep_working(client):
    post = PostFactory()
    comments = discussion(post, threads=110)
    second = [c.pk for c in comments[50:100]]
    assert threads_on(client.get(f"{post.get_absolute_url()}?cpage=2")) == second
    assert threads_on(client.get(f"{post.get_absolute_url()}comment-page-2/")) == second
    # A page that no longer exists (another page size, fewer threads): the comments.
    gone = client.get(f"{post.get_absolute_url()}comment-page-9/")
    assert gone.status_code == 302
    assert gone["Location"] == f"{post.get_absolute_url()}#comments"
    # A wrong date, as for the post itself: the right address, same page.
    wrong = client.get(f"/1999/01/01/{post.slug}/comment-page-2/")
    assert wrong.status_code == 301
    assert wrong["Location"] == f"{post.get_absolute_url()}comment-page-2/"


def test_without_paging_a_comment_page_link_shows_the_post(client, settings):
    settings.COMMENTS_PER_PAGE = 0
    post = PostFactory()
    discussion(post, threads=80)
    response = client.get(f"{post.get_absolute_url()}comment-page-2/")
    assert response["Location"] == f"{post.get_absolute_url()}#comments"
    assert len(threads_on(client.get(post.get_absolute_url()))) == 80


def test_a_comment_page_is_cached_and_a_new_comment_makes_it_stale(client, settings):
    settings.PAGE_CACHE = True
    cache.clear()
    post = PostFactory()
    comments = discussion(post, threads=60)
    url = f"{post.get_absolute_url()}comment-page-1/"
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    CommentFactory(post=post, parent=comments[0], comment="A late reply on page one.")
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "A late reply on page one." in fresh.content.decode()


def test_a_reply_posted_from_page_one_returns_to_page_one(client):
    post = PostFactory()
    comments = discussion(post, threads=60)
    parent = comments[3]
    form_page = client.get(f"{post.get_absolute_url()}comment-page-1/?replytocom={parent.pk}")
    assert "Reply to <bdi>Reader 3</bdi>" in form_page.content.decode()
    response = client.post(POST_URL, comment_data(post, reply_to=parent.pk, comment="Indeed."))
    reply = BlogComment.objects.get(comment="Indeed.")
    assert reply.parent_id == parent.pk
    assert response["Location"] == f"{post.get_absolute_url()}comment-page-1/#comment-{reply.pk}"
    assert f'id="comment-{reply.pk}"' in client.get(response["Location"]).content.decode()


def test_a_new_thread_returns_to_the_newest_page(client):
    post = PostFactory()
    discussion(post, threads=100)
    response = client.post(POST_URL, comment_data(post, comment="A new thread."))
    comment = BlogComment.objects.get(comment="A new thread.")
    assert response["Location"] == f"{post.get_absolute_url()}comment-page-3/#comment-{comment.pk}"
    # The writer sees it there, awaiting moderation or not.
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert f'id="comment-{comment.pk}"' in page


def test_widget_feed_and_mail_links_land_on_the_comment_page(client, mailoutbox):
    post = PostFactory()
    comments = discussion(post, threads=60)
    late = CommentFactory(post=post, parent=comments[1], comment="Late on page one.")
    where = f"{post.get_absolute_url()}comment-page-1/#comment-{late.pk}"
    cache.clear()
    assert f'href="{where}"' in client.get("/").content.decode()  # recent comments
    feed = client.get(f"{post.get_absolute_url()}feed/").content.decode()
    assert f"{where}</link>" in feed


def test_a_page_takes_comment_pages_too(client):
    page = PageFactory(slug="about")
    page_type = ContentType.objects.get_for_model(Page)
    for n in range(55):
        CommentFactory(content_type=page_type, object_pk=str(page.pk), comment=f"Page {n}.")
    response = client.get("/about/comment-page-1/")
    assert response.status_code == 200
    assert len(threads_on(response)) == 50
    assert len(threads_on(client.get("/about/"))) == 5


def test_states_other_than_public_do_not_count_as_threads(client):
    post = PostFactory()
    discussion(post, threads=50)
    CommentFactory(post=post, state=State.HELD)
    CommentFactory(post=post, state=State.SPAM)
    assert "comment-navigation" not in client.get(post.get_absolute_url()).content.decode()
