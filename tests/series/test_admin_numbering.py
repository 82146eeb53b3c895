"""Series numbering says what it does: the number a post takes when left empty, the
parts before it that are not public yet, and the series' order on the post form."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog.models import Post, Status
from series.models import SeriesPart
from tests.admin_forms import inline_management
from tests.admin_forms import post_change_form as form
from tests.factories import PostFactory, SeriesFactory, UserFactory, bulk_posts

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.get_fixed_timezone(0))


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def series(time_machine):
    time_machine.move_to(NOW, tick=False)
    series = SeriesFactory(title="Leading from the middle")
    SeriesPart.objects.create(series=series, post=PostFactory(title="One"), number=1)
    scheduled = PostFactory(title="Two", published_at=datetime(2026, 12, 5, 8, tzinfo=NOW.tzinfo))
    SeriesPart.objects.create(series=series, post=scheduled, number=2)
    SeriesPart.objects.create(series=series, post=PostFactory(title="Three", draft=True), number=3)
    return series


def messages_after(response):
    return [str(message) for message in response.context["messages"]]


def test_joining_with_no_number_says_the_number_and_the_parts_not_yet_public(admin_client, series):
    post = PostFactory(title="Four")
    response = admin_client.post(
        f"/admin/blog/post/{post.pk}/change/",
        form(post, **{"series_part-0-series": series.pk, "series_part-0-number": ""}),
        follow=True,
    )
    assert (
        "This post becomes Part 4 of “Leading from the middle”; "
        "Part 2 is scheduled for 5 December, Part 3 is a draft."
    ) in messages_after(response)
    assert post.series_part.number == 4


def test_no_parts_waiting_means_a_short_note(admin_client, time_machine):
    series = SeriesFactory(title="Short")
    SeriesPart.objects.create(series=series, post=PostFactory(), number=1)
    post = PostFactory()
    response = admin_client.post(
        f"/admin/blog/post/{post.pk}/change/",
        form(post, **{"series_part-0-series": series.pk, "series_part-0-number": ""}),
        follow=True,
    )
    assert "This post becomes Part 2 of “Short”." in messages_after(response)


def test_a_number_given_by_hand_needs_no_note(admin_client, series):
    post = PostFactory()
    SeriesPart.objects.filter(number=3).delete()
    response = admin_client.post(
        f"/admin/blog/post/{post.pk}/change/",
        form(post, **{"series_part-0-series": series.pk, "series_part-0-number": "3"}),
        follow=True,
    )
    assert not any("becomes Part" in m for m in messages_after(response))
    assert post.series_part.number == 3


def test_a_scheduled_date_of_another_year_names_the_year(admin_client, series):
    SeriesPart.objects.filter(number=2).update(
        post=PostFactory(title="Far", published_at=NOW + timedelta(days=400))
    )
    post = PostFactory()
    response = admin_client.post(
        f"/admin/blog/post/{post.pk}/change/",
        form(post, **{"series_part-0-series": series.pk, "series_part-0-number": ""}),
        follow=True,
    )
    assert any("Part 2 is scheduled for 2 January 2028" in m for m in messages_after(response))


def test_a_new_post_joins_a_series_from_the_add_form_without_javascript(admin_client, series):
    page = admin_client.get("/admin/blog/post/add/").content.decode()
    # The empty series form is in the page itself, not only in a JavaScript template.
    assert 'name="series_part-0-series"' in page
    response = admin_client.post(
        "/admin/blog/post/add/",
        {
            "title": "Five",
            "slug": "five",
            "body": "<p>x</p>",
            "excerpt": "",
            "status": Status.DRAFT,
            "published_at_0": "",
            "published_at_1": "",
            "author": UserFactory(username="boss").pk,
            "comments_open": "on",
            **inline_management("series_part", total=1),
            **inline_management("postings"),
            "series_part-0-series": series.pk,
            "series_part-0-number": "",
        },
        follow=True,
    )
    assert "This post becomes Part 4 of “Leading from the middle”" in messages_after(response)[0]
    assert Post.objects.get(slug="five").series_part.number == 4


def test_the_series_box_shows_the_parts_around_this_post(admin_client, series):
    three = Post.objects.get(title="Three")
    html = admin_client.get(f"/admin/blog/post/{three.pk}/change/").content.decode()
    assert 'Part 1: One <span class="desk-muted">(published)</span>' in html
    assert 'Part 2: Two <span class="desk-muted">(scheduled for 5 December)</span>' in html
    assert 'Part 3: Three <span class="desk-muted">(draft)</span> <strong>← this post' in html
    assert "The next free number is 4." in html


def test_before_a_series_is_chosen_the_box_shows_every_series(admin_client, series):
    SeriesFactory(title="Another run")
    html = admin_client.get("/admin/blog/post/add/").content.decode()
    assert "“Leading from the middle”: next free number 4" in html
    assert "“Another run”: next free number 1" in html


def post_form_queries(client, post):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/admin/blog/post/{post.pk}/change/")
    assert response.status_code == 200
    return len(captured)


def test_the_series_box_costs_the_same_queries_for_3_and_60_parts(admin_client):
    counts = []
    for size in (3, 60):
        series = SeriesFactory()
        posts = bulk_posts(size, prefix=f"size {size}")
        SeriesPart.objects.bulk_create(
            SeriesPart(series=series, post=post, number=n) for n, post in enumerate(posts, 1)
        )
        # Everything after the first part is still to come.
        Post.objects.filter(pk__in=[p.pk for p in posts[1:]]).update(status=Status.DRAFT)
        counts.append(post_form_queries(admin_client, posts[-1]))
    assert counts[0] == counts[1]
