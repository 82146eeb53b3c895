"""The author's desk at /admin/: drafts, scheduled posts, held comments, the last
published posts and quick actions, each shown only to who may see it, at a query
count that does not grow with the number of posts or comments."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog.models import Post
from comments.models import State
from tests.factories import CommentFactory, PostFactory, StaffFactory, UserFactory, bulk_posts

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


def desk(client):
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_desk_shows_drafts_scheduled_held_and_recent(admin_client):
    draft = PostFactory(draft=True, title="Half written")
    saved = timezone.localtime(Post.objects.get(pk=draft.pk).updated_at)
    when = timezone.now() + timedelta(days=2)
    scheduled = PostFactory(title="Coming soon", published_at=when)
    discussed = PostFactory(title="Discussed")
    CommentFactory.create_batch(3, post=discussed)
    CommentFactory.create_batch(2, post=discussed, state=State.HELD)
    html = desk(admin_client)
    assert f'href="/admin/blog/post/{draft.pk}/change/">Half written</a>' in html
    assert f'last saved <time datetime="{saved.isoformat()}' in html
    assert f'href="/admin/blog/post/{scheduled.pk}/change/">Coming soon</a>' in html
    assert f'appears <time datetime="{timezone.localtime(when).isoformat()}' in html
    assert 'href="/admin/comments/blogcomment/?queue=held">2 held</a>' in html
    assert "Discussed</a> · <a href=" in html and "3 comments" in html
    assert 'href="/admin/blog/post/add/">New post</a>' in html
    assert 'href="/admin/blog/page/add/">New page</a>' in html
    assert 'id="desk-drafts"' in html and 'id="desk-recent"' in html
    assert "app-blog" in html  # the app list stays below


def test_the_desk_lists_the_last_five_published_newest_first(admin_client):
    bulk_posts(8)
    PostFactory(draft=True, title="Not published")
    html = desk(admin_client)
    recent = html[html.index('id="desk-recent"') :]
    recent = recent[: recent.index("</ul>")]
    titles = [f"Bulk post {n}</a>" for n in (8, 7, 6, 5, 4)]
    positions = [recent.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "Bulk post 3</a>" not in recent and "Not published" not in recent


def test_many_drafts_link_to_the_filtered_list(admin_client):
    for n in range(10):
        PostFactory(draft=True, title=f"Draft {n}")
    html = desk(admin_client)
    assert "Drafts (10)" in html
    assert 'href="/admin/blog/post/?state=draft">All 10 drafts</a>' in html


def test_an_empty_blog_says_so(admin_client):
    html = desk(admin_client)
    assert "No drafts." in html and "Nothing scheduled." in html
    assert "Nothing waits for a decision." in html


def test_a_moderator_sees_the_queue_and_no_posts(client, moderator):
    PostFactory(draft=True, title="Secret draft")
    CommentFactory(state=State.HELD)
    client.force_login(moderator)
    html = desk(client)
    assert 'href="/admin/comments/blogcomment/?queue=held">1 held</a>' in html
    assert "Secret draft" not in html
    assert 'id="desk-drafts"' not in html and 'id="desk-recent"' not in html
    assert "New post" not in html and "New page" not in html


def test_an_author_without_moderation_rights_sees_no_queue(client):
    author = StaffFactory(username="writer")
    author.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="blog", codename__in=["view_post", "add_post"]
        )
    )
    PostFactory(draft=True, title="My draft")
    CommentFactory(state=State.HELD)
    client.force_login(author)
    html = desk(client)
    assert "My draft" in html and "New post" in html
    assert "New page" not in html
    assert 'id="desk-held"' not in html


def make_content(count):
    posts = bulk_posts(count, prefix=f"size {count}")
    for post in posts:
        CommentFactory(post=post)
        CommentFactory(post=post, state=State.HELD)
        CommentFactory(post=post, state=State.SPAM)
    for n in range(count):
        PostFactory(draft=True, title=f"Draft {count}-{n}")
        PostFactory(scheduled=True, title=f"Scheduled {count}-{n}")


def queries(client):
    with CaptureQueriesContext(connection) as captured:
        desk(client)
    return len(captured)


def test_the_desk_costs_the_same_queries_at_any_size(admin_client):
    make_content(2)
    small = queries(admin_client)
    make_content(30)
    assert queries(admin_client) == small
