"""The admin's list of posts, as the author works with it: drafts and scheduled
posts first, a state filter, series and comment columns from the other apps, search,
bulk publishing, and a query count that does not grow with the number of posts."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog.models import Post, Status
from comments.models import State
from series.models import SeriesPart
from tests.factories import (
    CommentFactory,
    PageFactory,
    PostFactory,
    SeriesFactory,
    UserFactory,
    bulk_posts,
)

pytestmark = pytest.mark.django_db

LIST = "/admin/blog/post/"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


def listed(client, query=""):
    response = client.get(LIST + query)
    assert response.status_code == 200
    return [post.title for post in response.context["cl"].result_list]


def test_drafts_then_scheduled_then_published_newest_first(admin_client):
    bulk_posts(150)  # more than a page (100 rows)
    old_draft = PostFactory(draft=True, title="Older draft")
    Post.objects.filter(pk=old_draft.pk).update(updated_at=timezone.now() - timedelta(days=9))
    PostFactory(draft=True, title="Fresh draft")
    PostFactory(title="Later", published_at=timezone.now() + timedelta(days=9))
    PostFactory(title="Sooner", published_at=timezone.now() + timedelta(days=1))
    PostFactory(title="Newest published", published_at=timezone.now() - timedelta(minutes=1))
    titles = listed(admin_client)
    assert titles[:6] == [
        "Fresh draft",
        "Older draft",
        "Sooner",
        "Later",
        "Newest published",
        "Bulk post 150",
    ]


def test_a_new_draft_is_on_the_first_page(admin_client):
    bulk_posts(120)
    PostFactory(draft=True, title="Just started")
    assert listed(admin_client)[0] == "Just started"


def test_state_filter(admin_client):
    PostFactory(draft=True, title="A draft")
    PostFactory(scheduled=True, title="A scheduled post")
    PostFactory(title="A published post")
    assert listed(admin_client, "?state=draft") == ["A draft"]
    assert listed(admin_client, "?state=scheduled") == ["A scheduled post"]
    assert listed(admin_client, "?state=published") == ["A published post"]
    html = admin_client.get(LIST).content.decode()
    for label in ("Draft (1)", "Scheduled (1)", "Published (1)"):
        assert label in html


def test_state_column_says_draft_scheduled_or_published(admin_client):
    PostFactory(draft=True)
    PostFactory(scheduled=True)
    PostFactory()
    html = admin_client.get(LIST).content.decode()
    for label in ("Draft", "Scheduled", "Published"):
        assert f'<td class="field-state">{label}</td>' in html


def test_series_part_column(admin_client):
    series = SeriesFactory(title="Leading from the middle")
    post = PostFactory(title="In the series")
    SeriesPart.objects.create(series=series, post=post, number=22)
    PostFactory(title="Alone")
    html = admin_client.get(LIST).content.decode()
    assert f'href="/admin/series/series/{series.pk}/change/"' in html
    assert "Part 22</a>" in html and "“Leading from the middle”" in html


def test_comment_column_counts_public_and_highlights_held(admin_client):
    post = PostFactory(title="Discussed")
    CommentFactory.create_batch(3, post=post)
    CommentFactory.create_batch(2, post=post, state=State.HELD)
    CommentFactory(post=post, state=State.SPAM)
    html = admin_client.get(LIST).content.decode()
    type_id = ContentType.objects.get_for_model(post).pk  # posts and pages may share ids
    base = f"/admin/comments/blogcomment/?content_type={type_id}"
    held_link = f"{base}&amp;queue=held&amp;object_pk={post.pk}"
    assert f'href="{held_link}">2 held</a>' in html
    assert f'object_pk={post.pk}" title="Public comments">3</a>' in html
    # The link opens the queue with this post's held comments only.
    CommentFactory(state=State.HELD)  # on another post
    queue = admin_client.get(held_link.replace("&amp;", "&"))
    assert queue.status_code == 200
    assert len(queue.context["cl"].result_list) == 2


def test_no_held_badge_without_held_comments(admin_client):
    CommentFactory.create_batch(2, post=PostFactory())
    assert "held</a>" not in admin_client.get(LIST).content.decode()


def test_search_finds_title_and_body(admin_client):
    PostFactory(title="Hiring well")
    PostFactory(title="Other", body="<p>On hiring for potential.</p>")
    PostFactory(title="Unrelated")
    assert sorted(listed(admin_client, "?q=hiring")) == ["Hiring well", "Other"]


def test_view_and_preview_links(admin_client):
    public, draft = PostFactory(), PostFactory(draft=True)
    html = admin_client.get(LIST).content.decode()
    assert f'href="{public.get_absolute_url()}">View</a>' in html
    assert f'href="{draft.get_absolute_url()}">Preview</a>' in html


def test_publish_now_and_unpublish_actions(admin_client):
    draft = PostFactory(draft=True)
    scheduled = PostFactory(scheduled=True)
    response = admin_client.post(
        LIST,
        {"action": "publish_now", "_selected_action": [draft.pk, scheduled.pk]},
        follow=True,
    )
    assert "2 published." in response.content.decode()
    draft.refresh_from_db()
    scheduled.refresh_from_db()
    assert draft.is_public and scheduled.is_public
    response = admin_client.post(
        LIST, {"action": "make_draft", "_selected_action": [draft.pk]}, follow=True
    )
    assert "1 turned into drafts." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert not Post.objects.published().filter(pk=draft.pk).exists()
    actions = admin_client.get(LIST).content.decode()
    assert "Publish now" in actions and "Unpublish (back to draft)" in actions


def make_posts(count):
    series = SeriesFactory()
    posts = bulk_posts(count, prefix=f"Size {count}")
    SeriesPart.objects.bulk_create(
        SeriesPart(series=series, post=post, number=n) for n, post in enumerate(posts, 1)
    )
    for post in posts:
        CommentFactory(post=post)
        CommentFactory(post=post, state=State.HELD)
    PostFactory(draft=True, title=f"Draft {count}")
    PostFactory(scheduled=True, title=f"Scheduled {count}")


def queries(client, query=""):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST + query)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("query", ["", "?state=published", "?q=size"])
def test_list_queries_do_not_grow_with_the_number_of_posts(admin_client, query):
    make_posts(3)
    small = queries(admin_client, query)
    make_posts(40)
    assert queries(admin_client, query) == small


def test_page_list_shows_state_too(admin_client):
    PageFactory(title="About", status=Status.DRAFT)
    response = admin_client.get("/admin/blog/page/")
    assert response.status_code == 200
    assert '<td class="field-state">Draft</td>' in response.content.decode()
