"""Every database constraint of blog, series and comments speaks to the author in a
sentence: the admin (through the model's validation) never shows a constraint's name."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import BaseConstraint

from blog.models import Post, Status
from comments.models import BlocklistEntry
from series.models import GuideSeries, GuideVolume, Posting, SeriesPart
from tests.admin_forms import inline_management, post_change_form
from tests.factories import (
    CategoryFactory,
    GuideFactory,
    PostFactory,
    SeriesFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

APPS = ["blog", "series", "comments", "wordpress"]


def all_constraints():
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            for constraint in model._meta.constraints:
                yield model, constraint


def test_every_constraint_has_a_sentence_of_its_own():
    default = BaseConstraint.default_violation_error_message
    missing = [
        constraint.name
        for _, constraint in all_constraints()
        if constraint.violation_error_message in (None, default)
    ]
    assert missing == []


def messages_of(error):
    return [message for messages in error.message_dict.values() for message in messages]


def assert_says(instance, sentence, constraint_name, full=True):
    validate = instance.full_clean if full else instance.validate_constraints
    with pytest.raises(ValidationError) as raised:
        validate()
    said = messages_of(raised.value)
    assert sentence in said
    assert not any(constraint_name in message for message in said)


# One test per constraint. Each builds what breaks it; a model's own clean() may
# say the same first, so some call validate_constraints() to reach the constraint.


def test_category_not_own_parent():
    category = CategoryFactory()
    category.parent = category
    assert_says(
        category, "A category cannot be inside itself.", "category_not_own_parent", full=False
    )


def test_post_published_has_time():
    post = PostFactory.build(author=UserFactory(), status=Status.PUBLISHED, published_at=None)
    assert_says(
        post,
        "A published post needs a publication time.",
        "post_published_has_time",
        full=False,
    )
    # Full validation (what the admin runs) fills in "now" instead.
    post.full_clean()
    assert post.published_at is not None


@pytest.fixture
def series():
    return SeriesFactory()


def test_series_part_number_unique(series):
    SeriesPart.objects.create(series=series, post=PostFactory(), number=1)
    part = SeriesPart(series=series, post=PostFactory(), number=1)
    assert_says(
        part,
        "This series already has a part with this number.",
        "series_part_number_unique",
        full=False,
    )


def test_series_part_number_positive(series):
    part = SeriesPart(series=series, post=PostFactory(), number=0)
    assert_says(part, "Part numbers start at 1.", "series_part_number_positive")


def test_guide_series_unique(series):
    guide = GuideFactory()
    GuideSeries.objects.create(guide=guide, series=series)
    assert_says(
        GuideSeries(guide=guide, series=series),
        "This series is already listed in this guide.",
        "guide_series_unique",
    )


def test_guide_volume_number_unique():
    guide = GuideFactory()
    GuideVolume.objects.create(guide=guide, number=1, first_number=1)
    assert_says(
        GuideVolume(guide=guide, number=1, first_number=1),
        "This guide already has a volume with this number.",
        "guide_volume_number_unique",
        full=False,
    )


def test_guide_volume_start_unique():
    guide = GuideFactory()
    GuideVolume.objects.create(guide=guide, number=2, first_number=20)
    assert_says(
        GuideVolume(guide=guide, number=3, first_number=20),
        "Another volume of this guide starts at this posting.",
        "guide_volume_start_unique",
        full=False,
    )


def test_guide_volume_positive():
    assert_says(
        GuideVolume(guide=GuideFactory(), number=0, first_number=5),
        "Volume and posting numbers start at 1.",
        "guide_volume_positive",
    )


def test_guide_volume_one_starts_at_one():
    assert_says(
        GuideVolume(guide=GuideFactory(), number=1, first_number=5),
        "Volume 1 starts at posting 1.",
        "guide_volume_one_starts_at_one",
        full=False,
    )


def test_posting_number_unique():
    guide = GuideFactory()
    Posting.objects.create(guide=guide, post=PostFactory(), number=1)
    assert_says(
        Posting(guide=guide, post=PostFactory(), number=1),
        "This guide already has a posting with this number.",
        "posting_number_unique",
        full=False,
    )


def test_posting_post_once_per_guide():
    guide, post = GuideFactory(), PostFactory()
    Posting.objects.create(guide=guide, post=post, number=1)
    assert_says(
        Posting(guide=guide, post=post, number=2),
        "This post is already listed in this guide.",
        "posting_post_once_per_guide",
        full=False,
    )


def test_posting_number_positive():
    assert_says(
        Posting(guide=GuideFactory(), post=PostFactory(), number=0),
        "Posting numbers start at 1.",
        "posting_number_positive",
    )


def test_blocklist_unique_entry():
    BlocklistEntry.objects.create(kind="email", value="a@example.com")
    assert_says(
        BlocklistEntry(kind="email", value="a@example.com"),
        "The blocklist already has this entry.",
        "blocklist_unique_entry",
    )


# Through the admin: the sentence on the page, the author's input kept.


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


def test_admin_shows_the_sentence_for_a_part_number_of_zero(admin_client, series):
    post = PostFactory(title="Kept title")
    response = admin_client.post(
        f"/admin/blog/post/{post.pk}/change/",
        post_change_form(
            post,
            title="Changed title",
            **{"series_part-0-series": series.pk, "series_part-0-number": "0"},
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Part numbers start at 1." in html
    assert "series_part_number_positive" not in html
    assert 'value="Changed title"' in html  # nothing the author typed is lost
    assert Post.objects.get(pk=post.pk).title == "Kept title"


def test_admin_shows_the_sentence_for_a_duplicate_blocklist_entry(admin_client):
    BlocklistEntry.objects.create(kind="email", value="a@example.com")
    response = admin_client.post(
        "/admin/comments/blocklistentry/add/",
        {"kind": "email", "value": "a@example.com", "action": "hold", "note": "again"},
    )
    assert response.status_code == 200
    assert "The blocklist already has this entry." in response.content.decode()
    assert BlocklistEntry.objects.count() == 1


def test_admin_shows_the_sentence_for_a_volume_one_not_at_one(admin_client):
    guide = GuideFactory()
    response = admin_client.post(
        f"/admin/series/guide/{guide.pk}/change/",
        {
            "title": guide.title,
            "slug": guide.slug,
            "introduction": "",
            **inline_management("volumes", total=1),
            "volumes-0-number": "1",
            "volumes-0-first_number": "5",
            "volumes-0-title": "",
            **inline_management("series_links"),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Volume 1 starts at posting 1." in html
    assert "Constraint" not in html


def test_a_wordpress_item_recorded_twice_is_refused_with_a_sentence():
    from wordpress.models import ImportedItem

    ImportedItem.objects.create(site="https://old.example", wp_type="post", wp_id="7")
    again = ImportedItem(site="https://old.example", wp_type="post", wp_id="7")
    with pytest.raises(ValidationError) as refused:
        again.validate_constraints()
    assert "already recorded for that site" in str(refused.value)
    assert "imported_item_unique_wp_id" not in str(refused.value)
