"""The author's desk: revisions on save, compare and restore, autosave, pruning and the
preview of unsaved text (blog/desk.py, blog/revisions.py)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog.models import Post, Revision
from blog.revisions import KEEP_RECENT, Kind, prune, record
from tests.factories import PageFactory, PostFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return UserFactory(username="writer", is_staff=True, is_superuser=True)


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


@pytest.fixture
def post(author):
    return PostFactory(
        title="The first title", slug="first", body="<p>One two three.</p>", author=author
    )


def post_form(post, **changes):
    """What the admin's change form sends for `post`, with `changes`."""
    data = {
        "title": post.title,
        "slug": post.slug,
        "body": post.body,
        "excerpt": post.excerpt,
        "status": post.status,
        "published_at_0": timezone.localtime(post.published_at).strftime("%Y-%m-%d"),
        "published_at_1": timezone.localtime(post.published_at).strftime("%H:%M:%S"),
        "author": post.author_id,
        "comments_open": "on",
    }
    data.update(changes)
    return data


def url(post, action, *args):
    extra = "".join(f"{arg}/" for arg in args)
    return f"/admin/blog/post/{post.pk}/{action}/{extra}"


# Revisions on save ---------------------------------------------------------------


def test_each_save_in_the_admin_keeps_a_revision_with_author_time_and_changes(
    author_client, author, post, time_machine
):
    time_machine.move_to("2026-03-01 10:42:00+00:00", tick=False)
    response = author_client.post(
        f"/admin/blog/post/{post.pk}/change/", post_form(post, body="<p>One two four.</p>")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    first = Revision.objects.of(post).get()
    assert (first.kind, first.author, first.body) == (Kind.SAVE, author, "<p>One two four.</p>")
    assert first.created_at == timezone.now()
    assert first.changed == ""  # the first revision has nothing before it

    time_machine.move_to("2026-03-01 11:00:00+00:00", tick=False)
    post.refresh_from_db()
    author_client.post(f"/admin/blog/post/{post.pk}/change/", post_form(post, title="New title"))
    latest = Revision.objects.of(post).first()
    assert (latest.title, latest.changed) == ("New title", "title")
    assert Revision.objects.of(post).count() == 2


def test_a_save_that_changes_no_text_adds_no_revision(author_client, post):
    author_client.post(f"/admin/blog/post/{post.pk}/change/", post_form(post))
    post.refresh_from_db()
    author_client.post(f"/admin/blog/post/{post.pk}/change/", post_form(post, sticky="on"))
    assert Revision.objects.of(post).count() == 1


def test_adding_a_post_keeps_its_first_revision(author_client, author):
    response = author_client.post(
        "/admin/blog/post/add/",
        {
            "title": "Brand new",
            "slug": "brand-new",
            "body": "<p>Fresh.</p>",
            "status": "draft",
            "author": author.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    post = Post.objects.get(slug="brand-new")
    assert Revision.objects.of(post).get().author == author


def test_change_form_links_to_the_revisions_with_their_count(author_client, post, author):
    record(post, author)
    page = author_client.get(f"/admin/blog/post/{post.pk}/change/").content.decode()
    assert f'href="{url(post, "revisions")}"' in page
    assert "Revisions (1)" in page


# Compare and restore -------------------------------------------------------------


def test_compare_shows_what_changed_escaped(author_client, post, author):
    old = record(post, author)
    post.title = "A <script>title</script>"
    post.body = "<p>One two four.</p><p>A new paragraph.</p>"
    post.save()
    new = record(post, author)
    page = author_client.get(url(post, "revisions"), {"a": old.pk, "b": new.pk}).content.decode()
    # The body as text, a paragraph a line, word by word.
    assert "One two <del>three.</del><ins>four.\nA new paragraph.</ins>" in page
    assert "&lt;script&gt;title&lt;/script&gt;" in page
    assert "<script>title" not in page


def test_revisions_page_compares_the_newest_two_by_default(author_client, post, author):
    record(post, author)
    post.body = "<p>One two five.</p>"
    post.save()
    record(post, author)
    page = author_client.get(url(post, "revisions")).content.decode()
    assert "<del>three.</del><ins>five.</ins>" in page


def test_compare_with_a_revision_of_another_post_says_so(author_client, post, author):
    mine = record(post, author)
    other = record(PostFactory(), author)
    response = author_client.get(url(post, "revisions"), {"a": mine.pk, "b": other.pk})
    assert response.status_code == 200
    assert "Choose two revisions of this post to compare." in response.content.decode()


def test_restore_asks_first_then_restores_sanitised_and_keeps_a_revision(
    author_client, post, author
):
    record(post, author)
    post.refresh_from_db()
    # A revision holding markup the sanitiser refuses (as an old import might).
    old = Revision.objects.create(
        content_type_id=Revision.objects.of(post).first().content_type_id,
        object_id=post.pk,
        author=author,
        title="Restored title",
        body='<p onclick="evil()">Back again</p><script>evil()</script>',
        created_at=timezone.now() - timedelta(days=2),
    )
    confirm = author_client.get(url(post, "revisions", old.pk, "restore"))
    assert confirm.status_code == 200
    assert "Restore this revision" in confirm.content.decode()
    post.refresh_from_db()
    assert post.title == "The first title"  # looking changes nothing

    response = author_client.post(url(post, "revisions", old.pk, "restore"))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "Restored title"
    assert post.body == "<p>Back again</p>"
    newest = Revision.objects.of(post).first()
    assert (newest.kind, newest.restored_from, newest.author) == (Kind.RESTORE, old, author)
    assert newest.changed == "title, body"
    # The text it replaced is still there.
    assert Revision.objects.of(post).filter(title="The first title").exists()


def test_restore_keeps_the_replaced_text_even_if_no_revision_held_it(author_client, post):
    old = record(post, None)
    post.body = "<p>Changed outside the admin.</p>"
    post.save()
    author_client.post(url(post, "revisions", old.pk, "restore"))
    bodies = set(Revision.objects.of(post).values_list("body", flat=True))
    assert "<p>Changed outside the admin.</p>" in bodies


def test_restore_needs_change_permission(client, post):
    old = record(post, None)
    viewer = StaffFactory(username="viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_post"))
    client.force_login(viewer)
    assert client.post(url(post, "revisions", old.pk, "restore")).status_code == 403
    assert client.get(url(post, "revisions")).status_code == 403


def test_revisions_page_query_count_does_not_grow(author_client, post, author):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert author_client.get(url(post, "revisions")).status_code == 200
        return len(captured)

    for _ in range(3):
        record(post, author)
        post.body += "<p>more</p>"
        post.save()
    few = queries()
    for n in range(30):
        record(post, UserFactory(username=f"other{n}"))
        post.body += "<p>more</p>"
        post.save()
    assert queries() == few


def test_change_form_query_count_does_not_grow_with_revisions(author_client, post, author):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert author_client.get(f"/admin/blog/post/{post.pk}/change/").status_code == 200
        return len(captured)

    record(post, author)
    few = queries()
    for n in range(20):
        post.body += f"<p>{n}</p>"
        post.save()
        record(post, author)
    assert queries() == few


# Pruning -------------------------------------------------------------------------


def test_pruning_keeps_the_newest_fifty_and_one_a_day_before_them(post, author):
    start = timezone.now() - timedelta(days=30)
    content_type_id = record(post, author).content_type_id
    Revision.objects.all().delete()
    # 70 saves over ten days: seven a day; the newest 50 and then one a day remain.
    ids = [
        Revision.objects.create(
            content_type_id=content_type_id,
            object_id=post.pk,
            author=author,
            title=f"save {n}",
            created_at=start + timedelta(days=n // 7, hours=n % 7),
        ).pk
        for n in range(70)
    ]
    autosave = Revision.objects.create(
        content_type_id=content_type_id,
        object_id=post.pk,
        author=author,
        kind=Kind.AUTOSAVE,
        title="draft",
        created_at=start,
    )
    prune(post)
    left = set(Revision.objects.of(post).values_list("pk", flat=True))
    newest = set(ids[-KEEP_RECENT:])
    older = ids[:-KEEP_RECENT]  # saves 0-19: days 0, 1 (7 each) and 6 of day 2
    assert newest <= left
    # Of each older day, its newest save: 6 (day 0), 13 (day 1), 19 (day 2).
    assert left - newest - {autosave.pk} == {older[6], older[13], older[19]}
    assert autosave.pk in left  # autosaves follow their own rule


# Autosave ------------------------------------------------------------------------


def test_autosave_keeps_the_text_and_leaves_the_post_alone(author_client, post, author):
    before = Post.objects.values().get(pk=post.pk)
    response = author_client.post(
        url(post, "autosave"),
        {"title": "Half-written", "body": "<p>Unsaved <script>x()</script>words</p>"},
    )
    assert response.status_code == 200
    assert response.json()["saved"] is True
    assert response.json()["message"].startswith("Autosaved at ")
    assert Post.objects.values().get(pk=post.pk) == before
    autosave = Revision.objects.of(post).get(kind=Kind.AUTOSAVE)
    assert (autosave.author, autosave.title) == (author, "Half-written")
    assert autosave.body == "<p>Unsaved words</p>"
    assert autosave.excerpt == post.excerpt  # what was not sent comes from the post
    assert autosave.changed == "title, body"


def test_autosave_keeps_one_per_author_and_post(author_client, post):
    author_client.post(url(post, "autosave"), {"body": "<p>first</p>"})
    author_client.post(url(post, "autosave"), {"body": "<p>second</p>"})
    assert Revision.objects.of(post).get(kind=Kind.AUTOSAVE).body == "<p>second</p>"


def test_autosave_of_the_saved_text_drops_the_autosave(author_client, post):
    author_client.post(url(post, "autosave"), {"body": "<p>typed</p>"})
    response = author_client.post(url(post, "autosave"), {"body": post.body})
    assert response.json() == {"saved": False, "message": "No changes to autosave."}
    assert not Revision.objects.of(post).autosaves().exists()


def test_autosave_refuses_an_overlong_title_with_a_clear_message(author_client, post):
    response = author_client.post(url(post, "autosave"), {"title": "x" * 301, "body": "<p>k</p>"})
    assert response.status_code == 400
    assert response.json()["error"] == "The title is longer than 300 characters; not autosaved."
    assert not Revision.objects.of(post).exists()
    response = author_client.post(url(post, "autosave"), {})
    assert response.status_code == 400
    assert "Nothing to autosave" in response.json()["error"]


def test_autosave_is_staff_only(client, post):
    response = client.post(url(post, "autosave"), {"body": "<p>anon</p>"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(UserFactory(username="reader"))
    response = client.post(url(post, "autosave"), {"body": "<p>reader</p>"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(StaffFactory(username="helper"))  # staff without change permission
    assert client.post(url(post, "autosave"), {"body": "<p>helper</p>"}).status_code == 403
    assert not Revision.objects.exists()


def test_autosave_needs_the_csrf_token(author, post):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    response = client.post(url(post, "autosave"), {"body": "<p>forged</p>"})
    assert response.status_code == 403
    assert not Revision.objects.exists()
    # With the token from the form, it works.
    client.get(f"/admin/blog/post/{post.pk}/change/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        url(post, "autosave"), {"body": "<p>ok</p>", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200


def test_autosave_only_answers_post(author_client, post):
    assert author_client.get(url(post, "autosave")).status_code == 405


def test_reopening_offers_a_newer_autosave_and_restore_loads_it_into_the_form(author_client, post):
    author_client.post(url(post, "autosave"), {"body": "<p>Typed but never saved.</p>"})
    autosave = Revision.objects.of(post).autosaves().get()
    page = author_client.get(f"/admin/blog/post/{post.pk}/change/").content.decode()
    assert "You have an autosave from" in page and "newer than this version" in page
    assert f'href="?autosave={autosave.pk}"' in page

    page = author_client.get(
        f"/admin/blog/post/{post.pk}/change/", {"autosave": autosave.pk}
    ).content.decode()
    assert "Typed but never saved." in page
    assert "The form shows your autosave" in page
    post.refresh_from_db()
    assert post.body == "<p>One two three.</p>"  # still nothing stored


def test_an_autosave_older_than_the_last_save_is_not_offered(author_client, post, author):
    author_client.post(url(post, "autosave"), {"body": "<p>old draft</p>"})
    Revision.objects.of(post).autosaves().update(created_at=timezone.now() - timedelta(hours=1))
    page = author_client.get(f"/admin/blog/post/{post.pk}/change/").content.decode()
    assert "You have an autosave" not in page


def test_another_authors_autosave_is_not_offered(author_client, post):
    other = Client()
    other.force_login(UserFactory(username="coauthor", is_staff=True, is_superuser=True))
    other.post(url(post, "autosave"), {"body": "<p>theirs</p>"})
    page = author_client.get(f"/admin/blog/post/{post.pk}/change/").content.decode()
    assert "You have an autosave" not in page


def test_dismiss_deletes_the_autosave(author_client, post):
    author_client.post(url(post, "autosave"), {"body": "<p>meh</p>"})
    response = author_client.post(url(post, "autosave", "dismiss"))
    assert response.status_code == 302
    assert not Revision.objects.of(post).autosaves().exists()


def test_saving_settles_the_authors_autosave(author_client, post):
    author_client.post(url(post, "autosave"), {"body": "<p>draft</p>"})
    author_client.post(f"/admin/blog/post/{post.pk}/change/", post_form(post, body="<p>final</p>"))
    assert not Revision.objects.of(post).autosaves().exists()


# Preview of unsaved text ---------------------------------------------------------


def assert_private_preview(response):
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "no-cache" in cache_control and "no-store" in cache_control
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_preview_shows_the_unsaved_text_and_saves_nothing(author_client, post):
    before = Post.objects.values().get(pk=post.pk)
    response = author_client.post(
        url(post, "preview"),
        post_form(post, title="Not yet saved", body="<p>Typed <b>now</b><script>x()</script></p>"),
    )
    assert_private_preview(response)
    page = response.content.decode()
    assert "Not yet saved" in page and "<p>Typed <b>now</b></p>" in page
    assert "x()" not in page
    assert "Preview of the text in the editor" in page
    assert Post.objects.values().get(pk=post.pk) == before
    assert not Revision.objects.exists()


def test_a_preview_leaves_readers_their_cached_post_navigation(author_client, post, settings):
    settings.PAGE_CACHE = False  # the page's own cached blocks are what is checked here
    earlier = PostFactory(title="The post before", published_at=post.published_at - timedelta(1))
    author_client.post(url(post, "preview"), post_form(post, title="Not yet saved"))
    page = Client().get(post.get_absolute_url()).content.decode()
    assert 'rel="prev"' in page and earlier.title in page


def test_preview_of_a_post_never_saved(author_client, author):
    response = author_client.post(
        "/admin/blog/post/preview/", {"title": "Still an idea", "body": "<p>Draft words</p>"}
    )
    assert_private_preview(response)
    assert "Draft words" in response.content.decode()
    assert not Post.objects.exists()


def test_preview_of_an_autosave(author_client, post):
    author_client.post(url(post, "autosave"), {"body": "<p>Autosaved words</p>"})
    autosave = Revision.objects.of(post).autosaves().get()
    response = author_client.get(url(post, "revisions", autosave.pk, "preview"))
    assert_private_preview(response)
    assert "Autosaved words" in response.content.decode()


def test_preview_is_for_staff_who_may_edit(client, post):
    response = client.post(url(post, "preview"), {"title": "x"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(StaffFactory(username="helper"))
    assert client.post(url(post, "preview"), {"title": "x"}).status_code == 403


def test_change_form_has_the_preview_button_and_word_count(author_client, post):
    page = author_client.get(f"/admin/blog/post/{post.pk}/change/").content.decode()
    assert f'formaction="{url(post, "preview")}" formtarget="_blank"' in page
    assert "3 words · 1 min read" in page
    assert 'data-autosave-url="' + url(post, "autosave") + '"' in page


# Pages -------------------------------------------------------------------------------


def test_pages_keep_revisions_and_preview_too(author_client, author):
    page = PageFactory(title="About", slug="about", body="<p>Who we are.</p>")
    response = author_client.post(
        f"/admin/blog/page/{page.pk}/change/",
        {
            "title": "About us",
            "slug": "about",
            "body": "<p>Who we are.</p>",
            "status": page.status,
            "menu_order": 0,
            "show_in_menu": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    revision = Revision.objects.of(page).get()
    assert (revision.title, revision.author) == ("About us", author)
    response = author_client.post(
        f"/admin/blog/page/{page.pk}/preview/", {"title": "About", "body": "<p>Draft page</p>"}
    )
    assert_private_preview(response)
    assert "Draft page" in response.content.decode()
    response = author_client.post(f"/admin/blog/page/{page.pk}/autosave/", {"body": "<p>x</p>"})
    assert response.json()["saved"] is True


def test_compare_folds_long_unchanged_runs_of_the_body():
    from blog.revisions import compare

    body = "".join(f"<p>Para {n}.</p>" for n in range(10))
    changed = body.replace("Para 5.", "Para five.") + "<p>End &lt;x&gt;</p>"
    diff = compare({"body": body}, {"body": changed}, ["body"])[0]["diff"]
    assert diff == (
        '<span class="desk-folded">… 4 unchanged paragraphs …</span>\n'
        "Para 4.\nPara <del>5.</del><ins>five.</ins>\nPara 6.\n"
        '<span class="desk-folded">… 3 unchanged paragraphs …</span>\n'
        "<ins>End &lt;x&gt;</ins>"
    )


def test_a_preview_neither_reads_nor_leaves_the_articles_cached_blocks(
    author_client, post, settings
):
    """The JSON-LD headline is in a cached block: readers keep theirs, and the
    preview shows the unsaved title, not the cached one."""
    settings.PAGE_CACHE = False  # the page's own cached blocks are what is checked here
    assert f'"headline": "{post.title}"' in Client().get(post.get_absolute_url()).content.decode()
    preview = author_client.post(url(post, "preview"), post_form(post, title="Not yet saved"))
    assert '"headline": "Not yet saved"' in preview.content.decode()
    page = Client().get(post.get_absolute_url()).content.decode()
    assert f'"headline": "{post.title}"' in page and "Not yet saved" not in page
