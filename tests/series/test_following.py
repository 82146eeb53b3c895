"""Following a series by email: the form, double opt-in, signed links, one-click
unsubscribe, abuse limits, and one notice per follower when a part goes live."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.utils import timezone

from blog.models import Status
from series import notices
from series.models import Announcement, Notice, SeriesPart, Subscription
from series.tasks import follow_tick
from tests.factories import PostFactory, SeriesFactory, SubscriptionFactory, UserFactory
from tests.series.follow_helpers import SAME_SITE, follow, link_in, mails_to

pytestmark = pytest.mark.django_db
committing = TestCase.captureOnCommitCallbacks


@pytest.fixture
def series():
    series = SeriesFactory(title="Travels in Asia", slug="travels")
    first = PostFactory(title="Leaving home", slug="leaving-home")
    SeriesPart.objects.create(series=series, post=first, number=1)
    return series


def publish_part(series, number, title="Arriving", **post_fields):
    """Publish a part as the admin does: the post and its part in one transaction."""
    with committing(execute=True):
        post = PostFactory(
            title=title,
            slug=title.lower().replace(" ", "-"),
            published_at=post_fields.pop("published_at", timezone.now()),
            excerpt=post_fields.pop("excerpt", "The train pulls in at dawn."),
            **post_fields,
        )
        SeriesPart.objects.create(series=series, post=post, number=number)
    return post


def subscribe_and_confirm(client, email, series=None):
    with committing(execute=True):
        follow(client, email, series)
    client.get(link_in(mails_to(email)[-1], "confirm"))
    mail.outbox.clear()


# The form on the pages


def test_the_form_is_on_the_series_page_a_parts_end_and_the_home_page(client, series):
    page = client.get(series.get_absolute_url()).content.decode()
    assert "Email me when the next part is published" in page
    assert 'name="series" value="travels"' in page
    part = client.get(series.parts.get().post.get_absolute_url()).content.decode()
    assert "Email me when the next part is published" in part
    home = client.get("/").content.decode()
    assert "Email me new posts" in home
    # Cacheable pages: no token, no cookie, nothing personal.
    assert "csrfmiddlewaretoken" not in page + part + home
    assert not client.get("/").cookies


def test_a_post_outside_any_series_has_no_series_form(client):
    post = PostFactory()
    assert "Email me when the next part" not in client.get(post.get_absolute_url()).content.decode()


# Double opt-in


def test_nothing_is_sent_before_the_address_confirms(client, series):
    with committing(execute=True):
        response = follow(client, "Reader@Example.com", series)
    assert response.status_code == 302
    assert response.url == "/follow/check-your-inbox/"
    assert "Check your inbox" in client.get(response.url).content.decode()
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.series, subscription.is_confirmed) == (
        "reader@example.com",
        series,
        False,
    )
    [confirmation] = mail.outbox
    assert confirmation.to == ["reader@example.com"]
    assert "Travels in Asia" in confirmation.body
    mail.outbox.clear()

    publish_part(series, 2)
    assert mail.outbox == []  # pending: told nothing

    page = client.get(link_in(confirmation, "confirm"))
    assert page.status_code == 200
    assert "You are following “Travels in Asia”" in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.is_confirmed
    publish_part(series, 3, title="Into the hills")
    [notice] = mail.outbox
    assert notice.subject == "Part 3 of “Travels in Asia”: Into the hills"


def test_the_page_after_the_form_says_the_same_whoever_the_address_is(client, series):
    SubscriptionFactory(email="known@example.com", series=series)
    known = client.get(follow(client, "known@example.com", series).url)
    new = client.get(follow(client, "new@example.com", series).url)
    assert known.content == new.content
    assert Subscription.objects.filter(email="known@example.com").count() == 1


def test_following_all_new_posts_from_the_home_page(client):
    with committing(execute=True):
        follow(client, "all@example.com")
    client.get(link_in(mail.outbox[0], "confirm"))
    assert Subscription.objects.get(email="all@example.com", series=None).is_confirmed
    mail.outbox.clear()
    with committing(execute=True):
        PostFactory(title="A lone post", published_at=timezone.now(), excerpt="Short.")
    [notice] = mail.outbox
    assert notice.subject == "New post: A lone post"


# Signed links


@pytest.mark.parametrize("kind", ["confirm", "unsubscribe", "manage"])
def test_a_tampered_link_is_refused_with_a_clear_page(client, series, kind):
    with committing(execute=True):
        follow(client, "reader@example.com", series)
    path = link_in(mail.outbox[0], kind)
    token = path.rstrip("/").rsplit("/", 1)[1]
    forged = path.replace(token, token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb"))
    for method in (client.get, client.post):
        response = method(forged)
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None  # nothing changed


def test_a_confirmation_link_expires(client, series, time_machine):
    with committing(execute=True):
        follow(client, "late@example.com", series)
    time_machine.move_to(timezone.now() + timedelta(days=8))
    response = client.get(link_in(mail.outbox[0], "confirm"))
    assert response.status_code == 400
    assert not Subscription.objects.get().is_confirmed


def test_a_link_signed_for_one_purpose_does_not_work_for_another(client, series):
    with committing(execute=True):
        follow(client, "reader@example.com", series)
    confirm_token = link_in(mail.outbox[0], "confirm").split("/")[-2]
    assert client.post(f"/follow/unsubscribe/{confirm_token}/").status_code == 400
    assert Subscription.objects.exists()


# Unsubscribing


def test_every_mail_carries_rfc_8058_one_click_headers(client, series):
    subscribe_and_confirm(client, "reader@example.com", series)
    with committing(execute=True):
        follow(client, "reader@example.com", series)  # a confirmation mail again
    publish_part(series, 2)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        unsubscribe = link_in(message, "unsubscribe")
        assert message.extra_headers["List-Unsubscribe"] == f"<http://127.0.0.1:8000{unsubscribe}>"
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "/follow/manage/" in message.body


def test_one_click_post_unsubscribes_without_a_page_cookie_or_origin(client, series):
    subscribe_and_confirm(client, "reader@example.com", series)
    publish_part(series, 2)
    path = link_in(mail.outbox[0], "unsubscribe")
    # What a mail provider sends (RFC 8058): a bare POST with this body.
    response = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()
    assert client.post(path).status_code == 200  # a second click: still fine


def test_the_unsubscribe_page_is_one_button_and_a_get_changes_nothing(client, series):
    subscribe_and_confirm(client, "reader@example.com", series)
    publish_part(series, 2)
    path = link_in(mail.outbox[0], "unsubscribe")
    page = client.get(path)
    assert page.status_code == 200
    form = page.content.decode().split('class="follow-unsubscribe"')[1].split("</form>")[0]
    assert form.count("<button") == 1 and "Unsubscribe reader@example.com" in form
    assert "no-cache" in page["Cache-Control"]
    assert Subscription.objects.exists()


def test_the_manage_page_lists_and_removes_only_that_addresss_subscriptions(client, series):
    other_series = SeriesFactory(title="Kitchen notes")
    SubscriptionFactory(email="reader@example.com", series=series)
    SubscriptionFactory(email="reader@example.com", series=other_series)
    SubscriptionFactory(email="reader@example.com", series=None, pending=True)
    stranger = SubscriptionFactory(email="stranger@example.com", series=series)
    with committing(execute=True):
        follow(client, "reader@example.com", series)
    path = link_in(mail.outbox[0], "manage")
    page = client.get(path).content.decode()
    assert "Travels in Asia" in page and "Kitchen notes" in page and "All new posts" in page
    assert "stranger@" not in page
    kitchen = Subscription.objects.get(email="reader@example.com", series=other_series)

    response = client.post(path, {"remove": stranger.pk})  # not theirs: nothing happens
    assert Subscription.objects.filter(pk=stranger.pk).exists()
    response = client.post(path, {"remove": kitchen.pk})
    assert response.status_code == 302
    assert "Unsubscribed from 1 subscription" in client.get(response.url).content.decode()
    assert not Subscription.objects.filter(pk=kitchen.pk).exists()
    client.post(path, {"remove": "all"})
    assert list(Subscription.objects.all()) == [stranger]
    assert "None: nothing will be sent" in client.get(path).content.decode()


# Abuse and bad input


def test_the_honeypot_stores_and_sends_nothing(client, series):
    with committing(execute=True):
        response = follow(client, "bot@example.com", series, data={"website": "http://spam"})
    assert response.url == "/follow/check-your-inbox/"
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_a_form_from_another_site_is_refused(client, series):
    response = follow(client, "x@example.com", series, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert "did not come from this site" in response.content.decode()
    assert not Subscription.objects.exists()


def test_a_bad_address_gets_a_clear_message_and_keeps_what_was_typed(client, series):
    response = follow(client, "not-an-address", series)
    assert response.status_code == 400
    page = response.content.decode()
    assert "does not look like an email address" in page
    assert 'value="not-an-address"' in page and 'value="travels"' in page
    assert follow(client, "a@example.com", data={"series": "gone"}).status_code == 400


def test_rate_limit_per_client_address(client, series, settings):
    settings.FOLLOW_RATE_LIMIT_PER_IP = 3
    for n in range(3):
        assert follow(client, f"r{n}@example.com", series).status_code == 302
    refused = follow(client, "r9@example.com", series)
    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()
    assert Subscription.objects.count() == 3
    # Another client is not affected.
    assert follow(client, "r9@example.com", series, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_rate_limit_per_address_stops_mail_but_says_the_same(client, series, settings):
    settings.FOLLOW_RATE_LIMIT_PER_ADDRESS = 2
    with committing(execute=True):
        answers = [
            follow(client, "victim@example.com", series, REMOTE_ADDR=f"198.51.100.{n}")
            for n in range(5)
        ]
    assert {answer.url for answer in answers} == {"/follow/check-your-inbox/"}
    assert len(mails_to("victim@example.com")) == 2


# Notices


def test_the_notice_has_title_excerpt_part_and_link(client, series):
    subscribe_and_confirm(client, "reader@example.com", series)
    post = publish_part(series, 2, title="Arriving", excerpt="The train pulls in at dawn.")
    [notice] = mail.outbox
    assert "Part 2 of “Travels in Asia” is out" in notice.body
    assert "Arriving" in notice.body
    assert "The train pulls in at dawn." in notice.body
    assert f"http://127.0.0.1:8000{post.get_absolute_url()}" in notice.body


def test_each_follower_gets_one_mail_even_when_the_post_is_saved_again(client, series):
    subscribe_and_confirm(client, "a@example.com", series)
    subscribe_and_confirm(client, "b@example.com", series)
    subscribe_and_confirm(client, "b@example.com")  # all new posts too: still one mail
    post = publish_part(series, 2)
    for _ in range(2):
        with committing(execute=True):
            post.title = "Arriving (edited)"
            post.save()
    notices.send_batch(post.pk)  # a batch run again after a crash
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.com", "b@example.com"]
    assert Notice.objects.filter(sent_at__isnull=False).count() == 2


def test_batches_split_the_followers_and_skip_sent_rows(series, settings):
    settings.FOLLOW_BATCH_SIZE = 3
    for n in range(7):
        SubscriptionFactory(email=f"f{n}@example.com", series=series)
    post = publish_part(series, 2)  # announce → three chained batches (3, 3, 1)
    assert len(mail.outbox) == 7
    assert len({m.to[0] for m in mail.outbox}) == 7
    assert not notices.send_batch(post.pk)


def test_a_scheduled_part_is_announced_by_the_minute_tick_when_its_time_comes(series, time_machine):
    SubscriptionFactory(email="reader@example.com", series=series)
    publish_part(series, 2, published_at=timezone.now() + timedelta(hours=2))
    follow_tick.call_local()
    assert mail.outbox == []
    time_machine.move_to(timezone.now() + timedelta(hours=2, minutes=1))
    with committing(execute=True):
        follow_tick.call_local()
    [notice] = mail.outbox
    assert notice.subject.startswith("Part 2 of")
    with committing(execute=True):
        follow_tick.call_local()
    assert len(mail.outbox) == 1


def test_old_and_draft_posts_are_never_announced(series):
    SubscriptionFactory(email="reader@example.com", series=series)
    publish_part(series, 2, title="Imported", published_at=timezone.now() - timedelta(days=400))
    publish_part(series, 3, title="Draft", status=Status.DRAFT, published_at=None)
    with committing(execute=True):
        follow_tick.call_local()
    assert mail.outbox == []
    assert not Announcement.objects.exists()


def test_a_post_unpublished_before_its_batch_runs_is_not_sent(series):
    SubscriptionFactory(email="reader@example.com", series=series)
    post = PostFactory(published_at=timezone.now())
    SeriesPart.objects.create(series=series, post=post, number=2)
    assert notices.announce(post.pk)
    post.status = Status.DRAFT
    post.save()
    assert not notices.send_batch(post.pk)
    assert mail.outbox == []
    assert not Notice.objects.exists()


def test_the_tick_resumes_notices_a_dead_worker_left_unsent(series):
    for n in range(3):
        SubscriptionFactory(email=f"f{n}@example.com", series=series)
    post = PostFactory(published_at=timezone.now())
    SeriesPart.objects.create(series=series, post=post, number=2)
    assert notices.announce(post.pk)  # planned, then the worker died
    assert notices.stalled_posts() == [post.pk]
    with committing(execute=True):
        follow_tick.call_local()
    assert len(mail.outbox) == 3
    assert notices.stalled_posts(all_unsent=True) == []


def test_same_origin_check_accepts_this_site(client, series):
    assert follow(client, "ok@example.com", series, **SAME_SITE).status_code == 302


def test_a_logged_in_reader_needs_the_csrf_token_the_page_gives_them(series):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="logged-in"))
    page = client.get(series.get_absolute_url()).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert follow(client, "me@example.com", series).status_code == 403
    response = follow(client, "me@example.com", series, data={"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Subscription.objects.filter(email="me@example.com").exists()
