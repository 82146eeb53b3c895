"""The picture beside each comment: the sign-in provider's, Gravatar's only when the
site enables it, otherwise initials made here, with no request to anyone."""

import hashlib
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.avatars import avatar_html, hue_of, initials, safe_avatar_url
from comments.fragments import fragment_key
from tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

PICTURE = "https://avatars.example.org/u/1.png?s=80"


def avatars_in(html):
    return re.findall(r'<(?:img|span) class="avatar[^>]*>', html)


def test_by_default_each_comment_has_initials_and_nothing_external(client):
    post = PostFactory()
    CommentFactory(post=post, user_name="Grace Brewster Hopper", user_email="g@example.com")
    html = client.get(post.get_absolute_url()).content.decode()
    [avatar] = avatars_in(html)
    assert 'class="avatar avatar-initials avatar-hue-' in avatar and 'aria-hidden="true"' in avatar
    assert ">GB</span>" in html
    assert "gravatar" not in html and '<img class="avatar' not in html


def test_gravatar_only_when_the_site_enables_it(client, settings):
    post = PostFactory()
    CommentFactory(post=post, user_email="Reader@Example.com ")
    assert "gravatar.com" not in client.get(post.get_absolute_url()).content.decode()
    settings.GRAVATAR = True
    cache.clear()
    html = client.get(post.get_absolute_url()).content.decode()
    [avatar] = avatars_in(html)
    # SHA-256 of the trimmed, lower-cased address (Gravatar's documented hash).
    digest = hashlib.sha256(b"reader@example.com").hexdigest()
    assert f'src="https://www.gravatar.com/avatar/{digest}?s=80&amp;d=identicon"' in avatar
    assert 'referrerpolicy="no-referrer"' in avatar and 'width="40" height="40"' in avatar


def test_the_providers_picture_is_shown_with_its_size_and_no_referrer(client):
    post = PostFactory()
    CommentFactory(post=post, avatar_url=PICTURE)
    [avatar] = avatars_in(client.get(post.get_absolute_url()).content.decode())
    assert avatar == (
        '<img class="avatar" src="https://avatars.example.org/u/1.png?s=80" width="40" '
        'height="40" alt="" loading="lazy" decoding="async" referrerpolicy="no-referrer">'
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://avatars.example.org/a.png",
        "javascript:alert(1)",
        "data:image/png;base64,AAAA",
        'https://x.example/a.png" onerror="alert(1)',
        "https://user:pass@x.example/a.png",
        "https:///nohost.png",
        "https://x.example/" + "a" * 600,
        "//x.example/a.png",
    ],
)
def test_only_plain_https_pictures_are_kept(url):
    assert safe_avatar_url(url) == ""
    comment = CommentFactory.build(user_name="Eve", avatar_url=url)
    assert "<img" not in avatar_html(comment)


def test_initials_and_colour_follow_the_name():
    assert initials("ada lovelace") == "AL" and initials("  ") == "?" and initials("Ω") == "Ω"
    assert initials("“Quoted” Name") == "N"
    assert hue_of("Ada") == hue_of(" ada ") and 0 <= hue_of("Ada") < 8


def test_a_changed_picture_gives_the_fragment_a_new_key():
    comment = CommentFactory(avatar_url="")
    before = fragment_key(comment)
    comment.avatar_url = PICTURE
    assert fragment_key(comment) != before


def test_gravatar_on_or_off_gives_the_fragment_a_new_key(settings):
    comment = CommentFactory()
    before = fragment_key(comment)
    settings.GRAVATAR = True
    assert fragment_key(comment) != before


def queries_for(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_avatars_cost_no_query_with_fifty_comments(client, settings):
    plain, pictured = PostFactory(), PostFactory()
    for n in range(50):
        CommentFactory(post=plain, user_name=f"Reader {n}")
        CommentFactory(post=pictured, avatar_url=f"https://avatars.example.org/{n}.png")
    few = PostFactory()
    CommentFactory(post=few)
    baseline, _ = queries_for(client, few.get_absolute_url())
    count, html = queries_for(client, plain.get_absolute_url())
    assert count == baseline and len(avatars_in(html)) == 50
    count, html = queries_for(client, pictured.get_absolute_url())
    assert count == baseline and html.count('<img class="avatar"') == 50
    settings.GRAVATAR = True
    assert queries_for(client, plain.get_absolute_url())[0] == baseline
