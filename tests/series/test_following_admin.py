"""Subscriptions for staff (the admin list, counts per series) and as personal
data in the moderators' export and erase tools."""

import json

import pytest
from django.utils import timezone

from series.models import Notice, Subscription
from tests.factories import PostFactory, SeriesFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db
PERSONAL_DATA = "/admin/comments/blogcomment/personal-data/"


def test_subscriptions_are_in_the_export_and_go_with_an_erase(client, moderator):
    series = SeriesFactory(title="Travels in Asia")
    mine = SubscriptionFactory(email="ada@example.com", series=series, ip_address="203.0.113.5")
    SubscriptionFactory(email="ada@example.com", series=None, pending=True)
    Notice.objects.create(subscription=mine, post=PostFactory(), sent_at=timezone.now())
    other = SubscriptionFactory(email="bob@example.com", series=series)
    client.force_login(moderator)

    exported = json.loads(
        client.post(PERSONAL_DATA, {"email": "Ada@Example.com", "action": "export"}).content
    )
    follows = sorted(exported["subscriptions"], key=lambda s: s["follows"])
    assert [s["follows"] for s in follows] == ["Travels in Asia", "all new posts"]
    assert follows[0]["ip_address"] == "203.0.113.5"
    assert follows[0]["mails_sent"] == 1
    assert follows[1]["confirmed"] is None

    client.post(PERSONAL_DATA, {"email": "ada@example.com", "action": "anonymise"})
    assert list(Subscription.objects.all()) == [other]
    assert not Notice.objects.exists()


def test_staff_see_subscriptions_with_filters_and_counts_per_series(admin_client):
    travels, kitchen = SeriesFactory(title="Travels"), SeriesFactory(title="Kitchen")
    for n in range(3):
        SubscriptionFactory(email=f"t{n}@example.com", series=travels)
    SubscriptionFactory(email="wait@example.com", series=travels, pending=True)
    SubscriptionFactory(email="k@example.com", series=kitchen)
    SubscriptionFactory(email="all@example.com", series=None)

    page = admin_client.get("/admin/series/subscription/").content.decode()
    assert "t0@example.com" in page and "All new posts" in page
    assert '<td class="field-state">waiting</td>' in page
    table = page.split('class="module follower-counts"')[1].split("</table>")[0]
    assert "<td>Travels</td><td>3</td><td>1</td>" in table
    assert "<td>All new posts</td><td>1</td><td>0</td>" in table

    pending = admin_client.get("/admin/series/subscription/?state=pending").content.decode()
    assert "wait@example.com" in pending and "t0@example.com" not in pending
    by_series = admin_client.get(f"/admin/series/subscription/?follows={kitchen.pk}")
    assert "k@example.com" in by_series.content.decode()
    assert "t0@example.com" not in by_series.content.decode()
    # Readers subscribe themselves (double opt-in); staff cannot add one.
    assert admin_client.get("/admin/series/subscription/add/").status_code == 403

    series_list = admin_client.get("/admin/series/series/").content.decode()
    assert f'?follows={travels.pk}">3</a>' in series_list
    everyone = admin_client.get("/admin/series/subscription/?follows=all-posts").content.decode()
    assert "all@example.com" in everyone and "k@example.com" not in everyone
