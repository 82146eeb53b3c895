"""Authoring series and guides in the admin."""

import pytest

from series.models import SeriesPart
from tests.admin_forms import inline_management
from tests.admin_forms import post_change_form as post_form
from tests.factories import GuideFactory, PostFactory, SeriesFactory, UserFactory, bulk_posts

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


def test_adding_a_post_to_a_series_in_the_admin_takes_the_next_number(admin_client):
    series = SeriesFactory()
    for post in bulk_posts(2):
        SeriesPart.objects.create(series=series, post=post)
    post = PostFactory()
    response = admin_client.post(
        f"/admin/blog/post/{post.pk}/change/",
        post_form(post, **{"series_part-0-series": series.pk, "series_part-0-number": ""}),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert post.series_part.number == 3


def test_a_taken_part_number_is_refused_with_a_clear_message(admin_client):
    series = SeriesFactory()
    SeriesPart.objects.create(series=series, post=PostFactory(title="First part"))
    post = PostFactory()
    response = admin_client.post(
        f"/admin/blog/post/{post.pk}/change/",
        post_form(post, **{"series_part-0-series": series.pk, "series_part-0-number": "1"}),
    )
    assert response.status_code == 200
    assert "Part 1 is already “First part”" in response.content.decode()
    assert not SeriesPart.objects.filter(post=post).exists()


def test_renumber_action_and_gap_report(admin_client):
    series = SeriesFactory()
    posts = bulk_posts(3)
    for post in posts:
        SeriesPart.objects.create(series=series, post=post)
    SeriesPart.objects.filter(number=2).delete()
    listing = admin_client.get("/admin/series/series/").content.decode()
    assert '<td class="field-gaps">2</td>' in listing
    admin_client.post(
        "/admin/series/series/", {"action": "renumber", "_selected_action": [series.pk]}
    )
    assert sorted(series.parts.values_list("number", flat=True)) == [1, 2]
    listing = admin_client.get("/admin/series/series/").content.decode()
    assert '<td class="field-gaps">none</td>' in listing


def test_guide_admin_lists_a_whole_series(admin_client):
    series = SeriesFactory()
    for post in bulk_posts(3):
        SeriesPart.objects.create(series=series, post=post)
    guide = GuideFactory()
    data = {
        "title": guide.title,
        "slug": guide.slug,
        "introduction": "",
        **inline_management("volumes", total=1),
        "volumes-0-number": "1",
        "volumes-0-first_number": "1",
        **inline_management("series_links", total=1),
        "series_links-0-series": series.pk,
    }
    response = admin_client.post(f"/admin/series/guide/{guide.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(guide.postings.order_by("number").values_list("number", flat=True)) == [1, 2, 3]


@pytest.mark.parametrize("url", ["/admin/series/series/", "/admin/series/guide/add/"])
def test_moderators_cannot_edit_series_or_guides(client, moderator, url):
    client.force_login(moderator)
    assert client.get(url).status_code == 403


# Query counts at two sizes.


def test_saving_a_post_without_the_series_inlines_keeps_its_part(admin_client):
    series = SeriesFactory()
    post = PostFactory()
    SeriesPart.objects.create(series=series, post=post, number=1)
    data = {k: v for k, v in post_form(post, title="Retitled").items() if "-" not in k}
    response = admin_client.post(f"/admin/blog/post/{post.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    post.refresh_from_db()
    assert post.title == "Retitled" and post.series_part.number == 1
