"""Likes for staff (a read-only list, a column in the list of posts) and as
personal data in the moderators' export and erase tools."""

import json

import pytest

from likes.models import Like
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db
PERSONAL_DATA = "/admin/comments/blogcomment/personal-data/"


def test_a_signed_in_readers_likes_are_exported_and_erased(client, moderator):
    ada = UserFactory(username="ada", email="ada@example.com")
    liked = PostFactory(title="Leaving")
    Like.objects.create(post=liked, user=ada)
    others = [
        Like.objects.create(post=liked, user=UserFactory(email="bob@example.com")),
        Like.objects.create(post=liked, browser_hash="c" * 64),
    ]
    client.force_login(moderator)

    exported = json.loads(
        client.post(PERSONAL_DATA, {"email": "Ada@Example.com", "action": "export"}).content
    )
    [like] = exported["likes"]
    assert like["post"] == "Leaving" and like["account"] == "ada"
    assert like["url"].endswith(liked.get_absolute_url())

    client.post(PERSONAL_DATA, {"email": "ada@example.com", "action": "anonymise"})
    assert sorted(Like.objects.all(), key=lambda x: x.pk) == others


def test_an_empty_address_names_no_likes():
    from likes import privacy

    Like.objects.create(post=PostFactory(), user=UserFactory(email=""))
    assert privacy.export("") == [] and privacy.erase(" ") == 0
    assert Like.objects.count() == 1


def test_staff_see_likes_but_cannot_make_or_change_them(admin_client):
    post, other = PostFactory(title="Liked post"), PostFactory(title="Other post")
    like = Like.objects.create(post=post, user=UserFactory(username="ada"))
    Like.objects.create(post=other, browser_hash="d" * 64)
    listing = admin_client.get("/admin/likes/like/").content.decode()
    assert "ada" in listing and ">anonymous<" in listing
    only_one = admin_client.get(f"/admin/likes/like/?post__id__exact={post.pk}")
    assert "Liked post" in only_one.content.decode()
    assert "Other post" not in only_one.content.decode()
    assert admin_client.get("/admin/likes/like/add/").status_code == 403
    detail = admin_client.get(f"/admin/likes/like/{like.pk}/change/").content.decode()
    assert 'name="_save"' not in detail  # read-only
