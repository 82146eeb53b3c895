"""A reader follows a series by email: subscribes on the series page, confirms by
the mailed link, gets one mail when the next part is published, and leaves with
one click. Mail goes to a real SMTP server on 127.0.0.1."""

import email
import re
from email import policy

import pytest
from django.db import transaction
from django.utils import timezone

from series.models import SeriesPart, Subscription
from tests.factories import PostFactory, SeriesFactory
from tests.smtp_sink import SmtpSink

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smtp(settings):
    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        yield sink.handler


def last_mail(smtp, count):
    assert smtp.wait_for(count, timeout=10) == count
    return email.message_from_bytes(smtp.messages[-1], policy=policy.default)


def body_of(message):
    return message.get_body(("plain",)).get_content()


def path_of(message, kind):
    return re.search(rf"https?://[^/\s]+(/follow/{kind}/\S+/)", body_of(message)).group(1)


def test_follow_confirm_get_the_next_part_and_unsubscribe_in_one_click(live_server, page, smtp):
    series = SeriesFactory(title="Travels in Asia", slug="travels")
    SeriesPart.objects.create(series=series, post=PostFactory(title="Leaving"), number=1)

    page.goto(live_server.url + "/series/travels/")
    form = page.locator("form.follow-form")
    assert form.locator("h2").inner_text() == "Email me when the next part is published"
    form.get_by_label("Your email address").fill("reader@example.com")
    form.get_by_role("button", name="Follow this series").click()
    assert page.locator("h1").inner_text() == "Check your inbox"

    confirmation = last_mail(smtp, 1)
    assert confirmation["To"] == "reader@example.com"
    page.goto(live_server.url + path_of(confirmation, "confirm"))
    assert page.locator("h1").inner_text() == "You are following “Travels in Asia”"
    assert Subscription.objects.get().is_confirmed

    # The author publishes Part 2 (post and part in one transaction, as the admin
    # saves them); after the commit the worker, inline in tests, mails the follower.
    with transaction.atomic():
        post = PostFactory(
            title="Arriving", excerpt="The train pulls in.", published_at=timezone.now()
        )
        SeriesPart.objects.create(series=series, post=post, number=2)
    notice = last_mail(smtp, 2)
    assert notice["Subject"] == "Part 2 of “Travels in Asia”: Arriving"
    assert notice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = path_of(notice, "unsubscribe")
    assert notice["List-Unsubscribe"].strip() == f"<http://127.0.0.1:8000{unsubscribe}>"
    assert f"Read it: http://127.0.0.1:8000{post.get_absolute_url()}" in body_of(notice)
    page.goto(live_server.url + post.get_absolute_url())
    assert page.locator("h1").inner_text() == "Arriving"

    page.goto(live_server.url + unsubscribe)
    page.get_by_role("button", name="Unsubscribe reader@example.com").click()
    assert page.locator("h1").inner_text() == "You are unsubscribed"
    assert not Subscription.objects.exists()
    assert smtp.total == 2
    assert page.js_errors == []
