from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from blog.models import Category, Page, Post, Status
from tests.factories import CategoryFactory, PageFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_and_scheduled_posts():
    public = PostFactory()
    PostFactory(draft=True)
    PostFactory(scheduled=True)
    assert list(Post.objects.published()) == [public]


def test_scheduled_post_appears_once_its_time_has_come(time_machine):
    post = PostFactory(published_at=timezone.now() + timedelta(hours=2))
    assert not Post.objects.published().exists()
    assert post.is_scheduled and not post.is_public
    time_machine.move_to(timezone.now() + timedelta(hours=3))
    assert list(Post.objects.published()) == [post]


def test_publishing_without_a_time_stamps_it_now():
    before = timezone.now()
    post = PostFactory(status=Status.PUBLISHED, published_at=None)
    assert post.published_at >= before
    assert post.is_public


def test_database_refuses_a_published_post_without_time():
    post = PostFactory()
    with pytest.raises(IntegrityError):
        Post.objects.filter(pk=post.pk).update(published_at=None)


def test_database_refuses_duplicate_slugs():
    PostFactory(slug="same")
    with pytest.raises(IntegrityError):
        PostFactory(slug="same")


def test_body_is_sanitised_on_save():
    post = PostFactory(body='<p onclick="steal()">Hi<script>alert(1)</script></p>')
    post.refresh_from_db()
    assert post.body == "<p>Hi</p>"


def test_summary_prefers_the_excerpt_and_falls_back_to_the_body():
    assert PostFactory(excerpt="Short.").summary == "Short."
    words = " ".join(f"w{i}" for i in range(100))
    summary = PostFactory(body=f"<p>{words}</p>").summary
    assert summary.startswith("w0 w1") and summary.endswith("…")
    assert "<p>" not in summary


def test_previous_and_next_skip_unpublished_posts():
    now = timezone.now()
    first = PostFactory(published_at=now - timedelta(days=3))
    PostFactory(draft=True)
    middle = PostFactory(published_at=now - timedelta(days=2))
    PostFactory(scheduled=True)
    assert middle.previous_published() == first
    assert middle.next_published() is None
    assert first.next_published() == middle


def test_previous_and_next_order_posts_with_the_same_time_by_id():
    when = timezone.now() - timedelta(days=1)
    a, b = PostFactory(published_at=when), PostFactory(published_at=when)
    assert a.next_published() == b and b.previous_published() == a


def test_url_uses_the_local_publication_date(settings):
    settings.TIME_ZONE = "America/New_York"
    post = PostFactory(slug="late", published_at=datetime(2013, 9, 9, 2, 30, tzinfo=UTC))
    assert post.get_absolute_url() == "/2013/09/08/late/"


def test_category_cannot_be_its_own_ancestor():
    parent = CategoryFactory()
    child = CategoryFactory(parent=parent)
    parent.parent = child
    with pytest.raises(ValidationError):
        parent.full_clean()


def test_database_refuses_a_category_as_its_own_parent():
    category = CategoryFactory()
    with pytest.raises(IntegrityError):
        Category.objects.filter(pk=category.pk).update(parent=category)


def test_descendant_ids_walk_the_whole_subtree():
    top = CategoryFactory()
    child = CategoryFactory(parent=top)
    grandchild = CategoryFactory(parent=child)
    CategoryFactory()
    assert set(top.descendant_ids()) == {top.pk, child.pk, grandchild.pk}


@pytest.mark.parametrize("slug", ["admin", "category", "2013", "feed"])
def test_page_slugs_that_the_site_routes_elsewhere_are_refused(slug):
    page = PageFactory.build(slug=slug)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "slug" in error.value.message_dict


def test_pages_have_a_published_queryset_too():
    public = PageFactory()
    PageFactory(status=Status.DRAFT)
    assert list(Page.objects.published()) == [public]
