"""A change makes stale only the cached pages that show it: a held or spam comment
none, an approved comment its post's page, its comment feed and the listings that
print its post's count, and an author's edit everything it shows."""

import threading
import time

import pytest
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory

from comments.models import BlogComment, State
from comments.moderation import moderate
from core import page_cache
from core.content_version import bump, content_version, tokens, version
from series.models import SeriesPart
from tests.comment_helpers import POST_URL, comment_data
from tests.factories import CategoryFactory, CommentFactory, PostFactory, SeriesFactory

pytestmark = pytest.mark.django_db


class Reader:
    """An anonymous reader: no session, ever. One per test, as each Client loads
    the middleware (and whitenoise scans the static files) when it is made."""

    def __init__(self):
        self.client = Client()

    def read(self, url):
        response = self.client.get(url)
        assert response.status_code == 200, url
        assert not self.client.cookies
        return response

    def state(self, url):
        return self.read(url)["X-Page-Cache"]


@pytest.fixture
def reader():
    return Reader()


@pytest.fixture
def blog():
    """Two posts in their own categories; a series with only the second one."""
    first_category, second_category = CategoryFactory(slug="first"), CategoryFactory(slug="second")
    first = PostFactory(title="The first post", categories=[first_category])
    second = PostFactory(title="The second post", categories=[second_category])
    SeriesPart.objects.create(series=SeriesFactory(slug="s"), post=second, number=1)
    CommentFactory(post=first, user_name="Early Reader", comment="An early word")
    return first, second


def urls_of(first, second):
    return {
        "first": first.get_absolute_url(),
        "first feed": first.get_absolute_url() + "feed/",
        "second": second.get_absolute_url(),
        "home": "/",
        "first category": "/category/first/",
        "second category": "/category/second/",
        "series": "/series/s/",
    }


def warm(reader, urls):
    for url in urls.values():
        reader.read(url)
    assert {name: reader.state(url) for name, url in urls.items()} == dict.fromkeys(urls, "hit")


def all_tokens(*posts):
    keys = ["content", "comments", "any", "discussion"]
    keys += [f"discussion:{post.pk}" for post in posts]
    return tokens(keys)


def test_version_of_several_keys_changes_when_any_of_them_is_bumped():
    both = version("content", "comments")
    assert version("content", "comments") == both
    assert content_version() == version("content")
    bump("comments")
    assert version("content", "comments") != both
    family, one = version("discussion"), version("discussion:5")
    bump("discussion:5")
    assert version("discussion") != family and version("discussion:5") != one


def test_a_bump_in_a_transaction_is_repeated_after_the_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        bump("content")
        during = content_version()
    assert content_version() != during


@pytest.mark.parametrize(
    "fields",
    [
        {"email": "first-timer@example.com"},  # a first comment: held
        {"name": "viagra-test-123"},  # the spam checker says spam
    ],
    ids=["held", "spam"],
)
def test_a_held_or_spam_comment_bumps_no_key(reader, blog, fields):
    first, second = blog
    urls = urls_of(first, second)
    warm(reader, urls)
    before = all_tokens(first, second)
    response = Client().post(POST_URL, comment_data(first, comment="Not for readers yet", **fields))
    assert response.status_code == 302
    comment = BlogComment.objects.get(comment="Not for readers yet")
    assert comment.state != State.PUBLIC
    CommentFactory(post=second, state=State.HELD)  # and one straight into the database
    assert all_tokens(first, second) == before
    for name, url in urls.items():
        response = reader.read(url)
        assert response["X-Page-Cache"] == "hit", name
        assert "Not for readers yet" not in response.content.decode()


def test_an_approval_makes_stale_only_the_pages_that_show_it(reader, blog):
    first, second = blog
    held = CommentFactory(post=first, state=State.HELD, user_name="Late Reader", comment="Now seen")
    urls = urls_of(first, second)
    warm(reader, urls)
    moderate(held, "approve", None)
    states = {name: reader.state(url) for name, url in urls.items()}
    assert states == {
        "first": "miss",
        "first feed": "miss",
        "second": "hit",
        "home": "miss",  # prints the first post's comment count
        "first category": "miss",  # likewise
        "second category": "hit",
        "series": "hit",
    }
    assert "Now seen" in reader.read(urls["first"]).content.decode()
    assert "Now seen" in reader.read(urls["first feed"]).content.decode()
    assert "2&nbsp;comments" in reader.read(urls["first category"]).content.decode()
    # The recent comments in the sidebar of a page still cached are current.
    cached = reader.read(urls["series"])
    assert cached["X-Page-Cache"] == "hit" and "Late Reader" in cached.content.decode()


@pytest.mark.parametrize(
    "change",
    [
        lambda comment: moderate(comment, "spam", None),
        lambda comment: moderate(comment, "not_spam", None),  # back to held
        lambda comment: moderate(comment, "delete", None),
        lambda comment: comment.delete(),
        lambda comment: BlogComment.objects.filter(pk=comment.pk).delete(),
        lambda comment: (
            BlogComment.objects.select_related(None).only("comment").get(pk=comment.pk).delete()
        ),
    ],
    ids=["spam", "unapprove", "remove", "delete", "delete-queryset", "delete-deferred"],
)
def test_a_comment_leaving_public_vanishes_at_once(reader, blog, change):
    first, second = blog
    comment = BlogComment.objects.get(comment="An early word")
    urls = urls_of(first, second)
    warm(reader, urls)
    change(BlogComment.objects.get(pk=comment.pk))
    for name in ("first", "first feed", "home", "first category", "series"):
        page = reader.read(urls[name]).content.decode()
        assert "An early word" not in page and "Early Reader" not in page, name
    assert "1&nbsp;comment" not in reader.read(urls["home"]).content.decode()
    assert reader.state(urls["second category"]) == "hit"


def test_an_edit_of_a_public_comment_shows_at_once(reader, blog):
    first, second = blog
    urls = urls_of(first, second)
    warm(reader, urls)
    comment = BlogComment.objects.get(comment="An early word")
    comment.comment = "A corrected word"
    comment.save()
    assert "A corrected word" in reader.read(urls["first"]).content.decode()
    assert "A corrected word" in reader.read(urls["first feed"]).content.decode()
    assert reader.state(urls["second"]) == "hit"


def test_author_edits_refresh_every_page_that_shows_them(reader, blog):
    first, second = blog
    urls = urls_of(first, second)
    warm(reader, urls)
    second.title = "A renamed post"
    second.save()
    for name in ("second", "home", "second category", "series"):
        assert "A renamed post" in reader.read(urls[name]).content.decode(), name
    first.title = "The first, renamed"
    first.save()
    # The recent comments name the post they are on.
    assert "The first, renamed" in reader.read(urls["series"]).content.decode()


def test_a_long_listing_follows_every_post_it_lists_through_one_key(reader, blog, monkeypatch):
    monkeypatch.setattr(page_cache, "FAMILY_LIMIT", 1)
    first, second = blog
    reader.read("/")
    entry = cache.get(page_cache.page_key(RequestFactory().get("/")))
    assert "discussion" in entry["shows"] and f"discussion:{first.pk}" not in entry["shows"]
    assert reader.state("/") == "hit"
    moderate(CommentFactory(post=second, state=State.HELD), "approve", None)
    assert reader.state("/") == "miss"


def test_a_page_rendered_while_something_changed_is_not_stored():
    def view(request):
        page_cache.depends_on("discussion:1")
        bump("discussion:1")  # a moderator approves while this page renders
        return HttpResponse("<p>rendered</p>")

    middleware = page_cache.AnonymousPageCacheMiddleware(view)
    request = RequestFactory().get("/racing/")
    assert middleware(request)["X-Page-Cache"] == "miss"
    assert cache.get(page_cache.page_key(request)) is None

    calm = page_cache.AnonymousPageCacheMiddleware(lambda request: HttpResponse("<p>calm</p>"))
    calm(request)
    assert calm(request)["X-Page-Cache"] == "hit"


def test_readers_of_a_page_being_rendered_wait_for_it_instead_of_rendering_it_again():
    renders = []

    def slow_view(request):
        renders.append(request.path)
        time.sleep(0.3)  # a long discussion, rendered after an approval
        return HttpResponse("<p>long discussion</p>")

    middleware = page_cache.AnonymousPageCacheMiddleware(slow_view)
    answers = []

    def reader():
        answers.append(middleware(RequestFactory().get("/long/"))["X-Page-Cache"])

    readers = [threading.Thread(target=reader) for _ in range(4)]
    readers[0].start()
    time.sleep(0.1)  # the first has the render lock
    for thread in readers[1:]:
        thread.start()
    for thread in readers:
        thread.join()
    assert renders == ["/long/"]
    assert sorted(answers) == ["hit", "hit", "hit", "miss"]


def test_every_page_leaves_with_its_recent_comments_filled_in(reader, blog, staff_client):
    first, _ = blog
    for response in (
        reader.read(first.get_absolute_url()),  # rendered and stored
        reader.read(first.get_absolute_url()),  # from the cache
        staff_client.get(first.get_absolute_url()),  # private, never cached
    ):
        page = response.content.decode()
        assert "<!--live:" not in page
        assert "Recent comments" in page and "Early Reader" in page
        assert int(response["Content-Length"]) == len(response.content)
