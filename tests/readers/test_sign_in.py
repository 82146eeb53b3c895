"""A reader signs in with an account they have at an OpenID Connect provider (a local
one, started by the test) and comments without typing a name."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.test import Client

from comments.models import BlogComment
from tests.comment_helpers import POST_URL, comment_data
from tests.factories import PostFactory
from tests.readers.conftest import sign_in, sign_in_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    return PostFactory(title="On engines", slug="on-engines")


def test_the_comment_box_offers_only_configured_providers(client, post, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    html = client.get(post.get_absolute_url()).content.decode()
    assert "sign in with" not in html and "/accounts/" not in html


def test_the_comment_box_links_to_each_configured_provider(client, post, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "github": {"APPS": [{"provider_id": "github", "name": "GitHub", "client_id": "a",
                             "secret": "b"}]},
        "google": {"APPS": [{"provider_id": "google", "name": "Google", "client_id": "c",
                             "secret": "d"}]},
    }  # fmt: skip
    html = client.get(post.get_absolute_url()).content.decode()
    assert "Fill in your details below or sign in with:" in html
    assert 'href="/accounts/github/login/?process=login&amp;next=%2F' in html
    assert ">GitHub</a>" in html and ">Google</a>" in html
    assert "on-engines%2F%23respond" in html  # back to the comment box


def test_a_reader_signs_in_and_lands_back_on_the_comment_box(client, post, oidc):
    response = sign_in(client, post, oidc)
    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}#respond"
    assert oidc.refusals == []
    reader = get_user_model().objects.get(email="ada@example.org")
    account = SocialAccount.objects.get(user=reader)
    assert (account.provider, account.uid) == ("local", "ada-1815")
    assert reader.get_full_name() == "Ada Lovelace"


def test_the_provider_checks_pkce_and_the_client_secret(client, post, oidc):
    """The provider refuses what a real one refuses, so a passing sign-in means the
    blog sent the right secret, redirect_uri and PKCE verifier."""
    oidc.client_secret = "another secret"
    response = sign_in(client, post, oidc)
    assert "wrong client credentials" in oidc.refusals
    assert not get_user_model().objects.filter(email="ada@example.org").exists()
    assert response.status_code == 401 and b"could not sign you in" in response.content


def test_a_new_reader_is_no_staff_and_has_no_password(client, post, oidc):
    sign_in(client, post, oidc)
    reader = get_user_model().objects.get(email="ada@example.org")
    assert not reader.is_staff and not reader.is_superuser
    assert not reader.groups.exists() and not reader.user_permissions.exists()
    assert not reader.has_usable_password()


def test_a_signed_in_reader_comments_without_name_or_email(client, post, oidc):
    sign_in(client, post, oidc)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Logged in as Ada Lovelace." in page
    assert 'name="name"' not in page and 'name="email"' not in page
    assert "Log out?</a>" in page
    data = comment_data(post, comment="Engines weave patterns.")
    del data["name"], data["email"], data["url"]
    response = client.post(POST_URL, data)
    assert response.status_code == 302
    comment = BlogComment.objects.get()
    assert comment.user_name == "Ada Lovelace" and comment.user_email == "ada@example.org"
    assert comment.avatar_url == "https://avatars.example.org/ada.png"


def test_the_name_falls_back_to_the_nickname_never_empty(client, post, oidc):
    for claim in ("name", "given_name", "family_name"):
        oidc.person.pop(claim)
    oidc.person["nickname"] = "countess"
    sign_in(client, post, oidc)
    reader = get_user_model().objects.get(email="ada@example.org")
    assert reader.get_full_name() == "countess"


def test_a_picture_that_is_not_https_is_not_kept(client, post, oidc):
    oidc.person["picture"] = "http://avatars.example.org/ada.png"
    sign_in(client, post, oidc)
    data = comment_data(post)
    del data["name"], data["email"]
    client.post(POST_URL, data)
    assert BlogComment.objects.get().avatar_url == ""


def test_a_signed_in_reader_never_gets_the_shared_page(client, post, oidc):
    """The session cookie makes every page personal: never served from, nor stored
    in, the anonymous page cache, and the shared page never names the reader."""
    anonymous = Client()
    first = anonymous.get(post.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    assert anonymous.get(post.get_absolute_url())["X-Page-Cache"] == "hit"
    sign_in(client, post, oidc)
    mine = client.get(post.get_absolute_url())
    assert "X-Page-Cache" not in mine and "private" in mine["Cache-Control"]
    assert b"Logged in as Ada" in mine.content
    shared = Client().get(post.get_absolute_url())
    assert shared["X-Page-Cache"] == "hit" and b"Ada" not in shared.content
    assert b"Fill in your details below or sign in with:" in shared.content


def test_signing_out_asks_then_signs_out(client, post, oidc):
    sign_in(client, post, oidc)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "/accounts/logout/?next=%2F" in page
    assert client.get("/accounts/logout/").status_code == 200  # "Are you sure?"
    response = client.post("/accounts/logout/", {"next": f"{post.get_absolute_url()}#respond"})
    assert response.status_code == 302
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Logged in as" not in page and 'name="email"' in page


def test_the_sign_in_link_starts_nothing_on_get(client, post, oidc):
    """A GET of the link only asks (allauth ≥ 65): a third-party page cannot start a
    sign-in with an <img>; the POST it makes carries the CSRF token."""
    link = sign_in_link(client.get(post.get_absolute_url()).content.decode())
    page = Client(enforce_csrf_checks=True).get(link)
    assert page.status_code == 200 and b"Continue" in page.content
    assert Client(enforce_csrf_checks=True).post(link).status_code == 403
