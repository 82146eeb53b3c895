"""Staff accounts are never signed in, connected or created through a provider."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tests.factories import PostFactory, StaffFactory, UserFactory
from tests.readers.conftest import sign_in

pytestmark = pytest.mark.django_db

REFUSED = b"Staff accounts are never signed in or created through another site."


@pytest.fixture
def post():
    return PostFactory()


def signed_in_user(client):
    return client.get("/").wsgi_request.user


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
def test_a_staff_address_at_the_provider_is_refused(client, post, oidc, flag):
    UserFactory(username="boss", email="ADA@example.org", **{flag: True})
    response = sign_in(client, post, oidc)
    assert response.status_code == 403 and REFUSED in response.content
    assert not SocialAccount.objects.exists()
    assert not signed_in_user(client).is_authenticated
    assert get_user_model().objects.count() == 2  # the staff member and the post's author


def test_a_provider_account_linked_to_staff_signs_nobody_in(client, post, oidc):
    """Linked earlier (say, by hand in the admin): it still opens no staff account."""
    staff = StaffFactory(username="boss", email="boss@example.org")
    SocialAccount.objects.create(user=staff, provider="local", uid="ada-1815")
    response = sign_in(client, post, oidc)
    assert response.status_code == 403 and REFUSED in response.content
    assert not signed_in_user(client).is_authenticated


def test_staff_cannot_connect_a_provider_account(client, post, oidc):
    staff = StaffFactory(username="boss", email="boss@example.org")
    client.force_login(staff)
    link = "/accounts/oidc/local/login/?process=connect"
    response = sign_in(client, post, oidc, link=link)
    assert response.status_code == 403 and REFUSED in response.content
    assert not SocialAccount.objects.exists()


def test_claims_cannot_make_a_reader_staff(client, post, oidc):
    """Whatever the provider says about the person, the reader gets no rights."""
    oidc.person.update(is_staff=True, is_superuser=True, groups=["Moderators"], role="admin")
    sign_in(client, post, oidc)
    reader = get_user_model().objects.get(email="ada@example.org")
    assert not (reader.is_staff or reader.is_superuser)
    assert not Group.objects.get(name="Moderators").user_set.filter(pk=reader.pk).exists()
    assert client.get("/admin/").status_code == 302  # to the admin's login


def test_a_reader_signing_in_again_keeps_no_password_and_no_rights(client, post, oidc):
    sign_in(client, post, oidc)
    client.logout()
    assert sign_in(client, post, oidc).status_code == 302
    reader = get_user_model().objects.get(email="ada@example.org")
    assert not reader.has_usable_password() and not reader.is_staff
    assert SocialAccount.objects.count() == 1
