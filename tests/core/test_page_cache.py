"""Anonymous readers share cached pages; nobody sees anybody else's data; any change
readers could notice reaches them at once."""

import pytest
from django.test import Client

from comments.models import BlogComment, State
from comments.moderation import moderate
from series.models import SeriesPart
from tests.comment_helpers import POST_URL, comment_data
from tests.factories import (
    CommentFactory,
    GuideFactory,
    PostFactory,
    SeriesFactory,
    UserFactory,
    bulk_posts,
)

pytestmark = pytest.mark.django_db


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_anonymous_pages_are_cached_and_public(client):
    post = PostFactory()
    first = get(client, post.get_absolute_url())
    second = get(Client(), post.get_absolute_url())
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert first.content == second.content
    assert "public" in second["Cache-Control"] and "max-age=60" in second["Cache-Control"]
    assert "Cookie" in second["Vary"]
    assert second["ETag"]


def test_a_commenters_held_comment_stays_theirs(client):
    post = PostFactory()
    get(Client(), post.get_absolute_url())  # cached for everyone
    client.post(POST_URL, comment_data(post, comment="My held words"))
    mine = get(client, post.get_absolute_url())
    assert "My held words" in mine.content.decode() and "X-Page-Cache" not in mine
    assert "private" in mine["Cache-Control"]
    for _ in range(2):
        other = get(Client(), post.get_absolute_url())
        assert "My held words" not in other.content.decode()


def test_a_logged_in_name_never_reaches_the_cache(client):
    post = PostFactory()
    client.force_login(UserFactory(first_name="Grace", last_name="Hopper"))
    assert "Logged in as Grace Hopper." in get(client, post.get_absolute_url()).content.decode()
    anonymous = get(Client(), post.get_absolute_url()).content.decode()
    assert "Grace Hopper" not in anonymous and "csrfmiddlewaretoken" not in anonymous


def test_a_cached_page_still_takes_comments_without_javascript():
    post = PostFactory()
    CommentFactory(post=post, user_name="Ada Reader", user_email="ada@example.com")
    get(Client(), post.get_absolute_url())
    cached = get(Client(), post.get_absolute_url())
    assert cached["X-Page-Cache"] == "hit"
    html = cached.content.decode()
    fields = {
        name: html.split(f'name="{name}" value="')[1].split('"')[0]
        for name in ("content_type", "object_pk", "timestamp", "security_hash")
    }
    data = {**fields, "name": "Ada Reader", "email": "ada@example.com", "url": "",
            "comment": "From a cached page", "reply_to": "0", "honeypot": ""}  # fmt: skip
    response = Client(enforce_csrf_checks=True).post(POST_URL, data)
    assert response.status_code == 302
    assert BlogComment.objects.get(comment="From a cached page").state == State.PUBLIC


def test_approving_a_comment_refreshes_the_cached_page():
    post = PostFactory()
    held = CommentFactory(post=post, state=State.HELD, comment="Approved later")
    assert "Approved later" not in get(Client(), post.get_absolute_url()).content.decode()
    moderate(held, "approve", None)
    response = get(Client(), post.get_absolute_url())
    assert response["X-Page-Cache"] == "miss" and "Approved later" in response.content.decode()


def test_saving_a_post_refreshes_every_cached_page():
    post = PostFactory(title="Old title")
    for url in ("/", post.get_absolute_url()):
        get(Client(), url)
    post.title = "New title"
    post.save()
    for url in ("/", post.get_absolute_url()):
        assert "New title" in get(Client(), url).content.decode()


def test_renumbering_a_series_refreshes_its_page():
    series = SeriesFactory(slug="s")
    old, new = bulk_posts(2)
    SeriesPart.objects.create(series=series, post=new, number=1)
    SeriesPart.objects.create(series=series, post=old, number=2)
    before = get(Client(), "/series/s/").content.decode()
    assert before.index(new.title) < before.index(old.title)
    series.renumber_by_publication()
    after = get(Client(), "/series/s/").content.decode()
    assert after.index(old.title) < after.index(new.title)


def test_adding_postings_refreshes_the_guide():
    guide = GuideFactory(slug="g")
    guide.add_posts(bulk_posts(1, prefix="First"))
    get(Client(), "/guides/g/")
    guide.add_posts([PostFactory(title="Second listed")])
    assert "Second listed" in get(Client(), "/guides/g/").content.decode()


def test_staff_previews_and_error_pages_are_not_shared(staff_client):
    draft = PostFactory(draft=True, title="Draft preview")
    staff_client.get(draft.get_absolute_url())
    assert Client().get(draft.get_absolute_url()).status_code == 404
    assert Client().get("/no-such-page/")["X-Page-Cache"] == "miss"
    assert Client().get("/no-such-page/")["X-Page-Cache"] == "miss"


def test_page_cache_can_be_switched_off(settings):
    settings.PAGE_CACHE = False
    post = PostFactory()
    get(Client(), post.get_absolute_url())
    assert "X-Page-Cache" not in get(Client(), post.get_absolute_url())


def test_a_new_author_name_or_image_alt_refreshes_cached_pages(client, settings, tmp_path):
    from blog.models import AuthorProfile
    from tests.factories import ImageFactory

    settings.MEDIA_ROOT = tmp_path
    post = PostFactory()
    profile = AuthorProfile.objects.create(user=post.author, display_name="Old Name")
    assert get(client, post.get_absolute_url())["X-Page-Cache"] == "miss"
    assert get(Client(), post.get_absolute_url())["X-Page-Cache"] == "hit"
    profile.display_name = "New Name"
    profile.save()
    fresh = get(Client(), post.get_absolute_url())
    assert fresh["X-Page-Cache"] == "miss" and "New Name" in fresh.content.decode()

    image = ImageFactory(alt="Old alt")
    post.featured_image = image
    post.save()
    assert "Old alt" in get(Client(), post.get_absolute_url()).content.decode()
    image.alt = "New alt"
    image.save()
    assert "New alt" in get(Client(), post.get_absolute_url()).content.decode()
