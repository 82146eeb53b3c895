"""Publishing as in WordPress: Published with no time means now, a future time
schedules, a past time backdates; errors are sentences, never constraint names."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from blog.models import Page, Post, Status
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=timezone.get_fixed_timezone(0))


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


def post_data(client, when=None, status="published", **extra):
    day, time = (when.strftime("%Y-%m-%d"), when.strftime("%H:%M:%S")) if when else ("", "")
    return {
        "title": "Desk post",
        "slug": "desk-post",
        "body": "<p>Words.</p>",
        "excerpt": "",
        "status": status,
        "published_at_0": day,
        "published_at_1": time,
        "author": UserFactory(username="boss").pk,
        "comments_open": "on",
        **extra,
    }


def test_published_with_no_time_means_now(admin_client, time_machine):
    time_machine.move_to(NOW, tick=False)
    response = admin_client.post("/admin/blog/post/add/", post_data(admin_client))
    assert response.status_code == 302, response.content.decode()[:3000]
    post = Post.objects.get(slug="desk-post")
    assert post.published_at == NOW
    assert post.is_public


def test_a_future_time_schedules(admin_client, client):
    when = timezone.now() + timedelta(days=2)
    response = admin_client.post("/admin/blog/post/add/", post_data(admin_client, when))
    assert response.status_code == 302
    post = Post.objects.get(slug="desk-post")
    assert post.is_scheduled and not post.is_public
    assert not Post.objects.published().filter(pk=post.pk).exists()


def test_a_past_time_backdates(admin_client):
    when = timezone.now().replace(microsecond=0) - timedelta(days=400)
    response = admin_client.post("/admin/blog/post/add/", post_data(admin_client, when))
    assert response.status_code == 302
    post = Post.objects.get(slug="desk-post")
    assert post.published_at == when
    assert post.get_absolute_url().startswith(timezone.localtime(when).strftime("/%Y/%m/%d/"))


def test_a_draft_with_no_time_stays_undated(admin_client):
    response = admin_client.post(
        "/admin/blog/post/add/", post_data(admin_client, status=Status.DRAFT)
    )
    assert response.status_code == 302
    post = Post.objects.get(slug="desk-post")
    assert post.status == Status.DRAFT and post.published_at is None


def test_a_page_published_with_no_time_means_now(admin_client, time_machine):
    time_machine.move_to(NOW, tick=False)
    response = admin_client.post(
        "/admin/blog/page/add/",
        {
            "title": "About",
            "slug": "about",
            "body": "<p>Me.</p>",
            "status": "published",
            "published_at_0": "",
            "published_at_1": "",
            "menu_order": "0",
            "show_in_menu": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Page.objects.get(slug="about").published_at == NOW


def test_the_form_says_what_an_empty_time_means(admin_client):
    page = admin_client.get("/admin/blog/post/add/").content.decode()
    assert "Published with no time: now." in page


def test_the_publish_button_publishes_a_draft_now_after_the_usual_checks(
    admin_client, time_machine
):
    time_machine.move_to(NOW, tick=False)
    form = admin_client.get("/admin/blog/post/add/").content.decode()
    assert 'name="_publish"' in form
    data = post_data(admin_client, status="draft", _publish="1")
    response = admin_client.post("/admin/blog/post/add/", data)
    assert response.status_code == 302
    post = Post.objects.get(slug="desk-post")
    assert post.status == Status.PUBLISHED and post.published_at == NOW
    # Already published: no Publish button, Save updates it.
    change = admin_client.get(f"/admin/blog/post/{post.pk}/change/").content.decode()
    assert 'name="_publish"' not in change


def test_the_publish_button_still_refuses_an_image_without_alt_text(admin_client):
    data = post_data(admin_client, status="draft", _publish="1")
    data["body"] = '<figure><img src="/media/uploads/x.png" alt=""></figure>'
    response = admin_client.post("/admin/blog/post/add/", data)
    assert response.status_code == 200
    assert "Describe every image before publishing" in response.content.decode()
    assert not Post.objects.exists()
