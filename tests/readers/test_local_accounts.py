"""Local reader accounts (email and password, verified by mail) exist only with
READER_ACCOUNTS on; staff keep the admin's own login either way."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long reader passphrase"


def signed_in(client):
    return client.get("/").wsgi_request.user.is_authenticated


def sign_up(client, email="reader@example.org"):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/accounts/signup/", data)


def log_in(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


@pytest.fixture
def reader():
    user = UserFactory(username="reader", email="reader@example.org")
    user.set_password(PASSWORD)
    user.save()
    return user


def test_sign_up_is_closed_by_default(client, django_capture_on_commit_callbacks):
    page = client.get("/accounts/signup/")
    assert page.status_code == 200 and b"Sign-up closed" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    assert not get_user_model().objects.filter(email="reader@example.org").exists()
    assert mail.outbox == []


def test_password_sign_in_is_not_offered_by_default(client, reader):
    page = client.get("/accounts/login/").content.decode()
    assert 'type="password"' not in page
    response = log_in(client, "reader@example.org")
    assert b"Signing in with a password is not offered to readers here." in response.content
    assert not signed_in(client)


def test_staff_still_sign_in_through_the_admin(client):
    staff = StaffFactory(username="editor", email="editor@example.org")
    staff.set_password(PASSWORD)
    staff.save()
    response = client.post("/admin/login/?next=/admin/", {"username": "editor",
                                                          "password": PASSWORD})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert signed_in(client)


def test_staff_cannot_use_the_readers_password_sign_in(client, settings):
    settings.READER_ACCOUNTS = True
    staff = StaffFactory(username="editor", email="editor@example.org")
    staff.set_password(PASSWORD)
    staff.save()
    response = log_in(client, "editor@example.org")
    assert b"Staff accounts sign in through the site&#x27;s administration" in response.content
    assert not signed_in(client)


def test_with_reader_accounts_a_reader_signs_up_and_verifies_the_address(
    client, settings, django_capture_on_commit_callbacks
):
    settings.READER_ACCOUNTS = True
    assert b'type="password"' in client.get("/accounts/login/").content
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)
    assert response.status_code == 302
    user = get_user_model().objects.get(email="reader@example.org")
    assert not (user.is_staff or user.is_superuser) and user.has_usable_password()
    assert not signed_in(client)  # mandatory verification first
    [message] = mail.outbox
    assert message.to == ["reader@example.org"]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body)
    assert link, message.body
    assert client.get(link.group(1)).status_code == 200  # "Confirm" button
    client.post(link.group(1))
    assert log_in(client, "reader@example.org").status_code == 302
    assert signed_in(client)


def test_an_unverified_reader_cannot_sign_in(client, settings, django_capture_on_commit_callbacks):
    settings.READER_ACCOUNTS = True
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        log_in(client, "reader@example.org")
    assert not signed_in(client)
