"""A signed-in reader's accounts are personal data: the moderators' export by email
lists them, erasing by email removes them (and the reader's user account)."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from comments import privacy
from comments.models import BlogComment
from tests.factories import CommentFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    user = UserFactory(username="ada", email="ada@example.org", first_name="Ada")
    SocialAccount.objects.create(
        user=user, provider="github", uid="1815", extra_data={"login": "ada", "avatar_url": "x"}
    )
    EmailAddress.objects.create(user=user, email="ada@example.org", verified=True, primary=True)
    CommentFactory(user=user, user_name="Ada", user_email="ada@example.org",
                   avatar_url="https://avatars.example.org/ada.png")  # fmt: skip
    return user


def test_the_export_lists_the_readers_accounts(reader):
    data = privacy.export("ADA@example.org")
    [account] = data["sign_in_accounts"]
    assert account["provider"] == "github" and account["account_id"] == "1815"
    assert account["profile"] == {"login": "ada", "avatar_url": "x"}
    assert data["comments"][0]["avatar"] == "https://avatars.example.org/ada.png"


def test_erasing_removes_the_accounts_the_user_and_the_picture(reader):
    privacy.erase("ada@example.org", delete=False)
    assert not SocialAccount.objects.exists() and not EmailAddress.objects.exists()
    assert not get_user_model().objects.filter(pk=reader.pk).exists()
    comment = BlogComment.objects.get()
    assert comment.avatar_url == "" and comment.user_id is None


def test_erasing_by_email_never_deletes_staff(reader):
    staff = StaffFactory(username="boss", email="boss@example.org")
    SocialAccount.objects.create(user=staff, provider="github", uid="1")
    assert privacy.export("boss@example.org")["sign_in_accounts"] == []
    privacy.erase("boss@example.org", delete=True)
    assert get_user_model().objects.filter(pk=staff.pk).exists()
    assert SocialAccount.objects.filter(user=staff).exists()
