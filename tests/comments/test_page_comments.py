"""Pages take comments as posts do: the same section, screening, moderation, feeds
and caching, and a page's discussion never mixed with a post's of the same id."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from blog.models import Page, Status
from comments.models import BlogComment, State
from comments.privacy import export
from tests.comment_helpers import POST_URL, comment_data, post_and_check
from tests.factories import CommentFactory, PageFactory, PostFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/comments/blogcomment/"


@pytest.fixture
def page():
    return PageFactory(title="About this blog", slug="about")


def page_comment(page, **fields):
    return CommentFactory(
        content_type=ContentType.objects.get_for_model(Page), object_pk=str(page.pk), **fields
    )


def text_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_comment_form_names_the_page(client, page):
    html = text_of(client, page.get_absolute_url())
    assert 'id="comments"' in html and 'id="respond"' in html
    assert 'name="content_type" value="blog.page"' in html
    assert f'name="object_pk" value="{page.pk}"' in html
    assert 'href="/about/feed/"' in html and 'href="/about/feed/atom/"' in html


def test_a_reader_comments_a_moderator_approves_and_the_page_and_feed_show_it(
    client, page, moderator
):
    response = post_and_check(client, comment_data(page, comment="Who writes here?"))
    comment = BlogComment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/about/#comment-{comment.pk}"
    # A first comment is held (policy), as on a post; its writer sees it, nobody else.
    assert comment.state == State.HELD
    assert comment.content_object == page
    # The moderators hear of it, as of a held comment on a post (a page has no author).
    (notice,) = [m for m in mail.outbox if m.to == [moderator.email]]
    assert "Comment held for moderation on “About this blog”" in notice.subject
    assert "/about/" in notice.body
    assert "Your comment is awaiting moderation." in text_of(client, "/about/")
    assert "Who writes here?" not in text_of(Client(), "/about/")
    assert "Who writes here?" not in text_of(Client(), "/about/feed/")

    moderators = Client()
    moderators.force_login(moderator)
    queue = text_of(moderators, QUEUE + "?queue=held")
    assert "Who writes here?" in queue and 'href="/about/#comment-' in queue
    approved = moderators.post(f"{QUEUE}{comment.pk}/moderate/approve/")
    assert approved.status_code == 302
    comment.refresh_from_db()
    assert comment.state == State.PUBLIC

    html = text_of(Client(), "/about/")
    assert "Who writes here?" in html and "1 response to “About this blog”" in html
    for url in ("/about/feed/", "/about/feed/atom/"):
        feed = text_of(Client(), url)
        assert "Who writes here?" in feed and "Comments on: About this blog" in feed
        assert f"/about/#comment-{comment.pk}" in feed


def test_a_known_commenter_is_published_at_once_and_spam_is_never_shown(client, page):
    page_comment(page, user_name="Ada Reader", user_email="ada@example.com")
    post_and_check(client, comment_data(page, comment="Back on the page."))
    assert BlogComment.objects.latest("pk").state == State.PUBLIC
    assert "Back on the page." in text_of(Client(), "/about/")
    spam = comment_data(page, name="akismet-guaranteed-spam", comment="Cheap pills")
    post_and_check(client, spam)
    assert BlogComment.objects.latest("pk").state == State.SPAM
    assert "Cheap pills" not in text_of(Client(), "/about/")
    # Its writer finds the text back in the page's form, once.
    assert "Cheap pills</textarea>" in text_of(client, "/about/")
    assert "Cheap pills</textarea>" not in text_of(client, "/about/")


def test_replies_thread_under_a_page_comment(client, page):
    parent = page_comment(page, comment="A question about the page.")
    post_and_check(
        client,
        comment_data(page, reply_to=parent.pk, name="Bo", email="bo@example.com", comment="Reply"),
    )
    reply = BlogComment.objects.latest("pk")
    assert (reply.parent_id, reply.thread_id, reply.level) == (parent.pk, parent.pk, 1)


def test_closed_or_unpublished_pages_refuse_comments_with_a_clear_answer(client, page):
    page.comments_open = False
    page.save()
    html = text_of(client, "/about/")
    assert "Comments are closed." in html and 'id="respond"' not in html
    response = client.post(POST_URL, comment_data(page, comment="Let me in"))
    assert response.status_code == 400
    assert "Comments are closed on this page." in response.content.decode()
    assert "Let me in" in response.content.decode()  # the text is not lost

    draft = PageFactory(slug="draft-page", status=Status.DRAFT)
    response = client.post(POST_URL, comment_data(draft))
    assert response.status_code == 400
    assert not BlogComment.objects.exists()
    assert Client().get("/draft-page/feed/").status_code == 404
    assert Client().get("/no-such-page/feed/").status_code == 404


@pytest.mark.parametrize("content_type", ["blog.category", "auth.user", "blog.page.x", ""])
def test_only_posts_and_pages_take_comments(client, page, content_type):
    response = client.post(POST_URL, comment_data(page, content_type=content_type))
    assert response.status_code == 400
    assert "We could not tell which post this comment is for." in response.content.decode()
    assert not BlogComment.objects.exists()


def test_a_page_and_a_post_with_the_same_id_keep_their_own_discussions(client):
    post = PostFactory(slug="same-id-post")
    page = PageFactory(pk=post.pk, slug="same-id-page")
    CommentFactory(post=post, comment="Said on the post.")
    client.get(post.get_absolute_url())  # caches the post's thread
    page_comment(page, comment="Said on the page.")
    page_html = text_of(Client(), page.get_absolute_url())
    assert "Said on the page." in page_html and "Said on the post." not in page_html
    post_html = text_of(Client(), post.get_absolute_url())
    assert "Said on the post." in post_html and "Said on the page." not in post_html
    assert "Said on the page." not in text_of(Client(), f"{post.get_absolute_url()}feed/")
    # The recent-comments widget links each comment to its own entry.
    sidebar = text_of(Client(), "/")
    assert 'href="/same-id-page/#comment-' in sidebar
    # The privacy export names the page of a page comment.
    exported = export(BlogComment.objects.get(comment="Said on the page.").user_email)
    assert exported["comments"][0]["post"].endswith("/same-id-page/")


def test_a_new_public_page_comment_shows_at_once_on_a_cached_page(page):
    first = page_comment(page, comment="The first word.")
    assert "The first word." in text_of(Client(), "/about/")
    page_comment(page, comment="A second word.", parent=first)
    assert "A second word." in text_of(Client(), "/about/")
    assert "A second word." in text_of(Client(), "/about/feed/")


def queries_for(url):
    cache.clear()  # cold: the thread is built, not read from the cache
    with CaptureQueriesContext(connection) as queries:
        text_of(Client(), url)
    return len(queries)


def test_queries_of_a_page_do_not_grow_with_its_comments():
    few, many = PageFactory(slug="few"), PageFactory(slug="many")
    for page, count in ((few, 2), (many, 12)):
        top = page_comment(page)
        for _ in range(count - 1):
            top = page_comment(page, parent=top) if top.level < 3 else page_comment(page)
    assert BlogComment.objects.filter(object_pk=str(many.pk)).count() == 12
    for url in ("/{}/", "/{}/feed/"):
        queries_for(url.format("few"))  # warm the process's own caches (content types)
        assert queries_for(url.format("many")) == queries_for(url.format("few"))


def test_a_comment_on_a_page_costs_what_one_on_a_post_does(
    page, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from tests.comments.test_comment_post_queries import assert_post_costs, warm_up

    client = Client()
    warm_up(client, page)
    comment = assert_post_costs(
        client, page, 5 + 1, django_assert_num_queries, django_capture_on_commit_callbacks
    )
    assert comment.content_object == page


def test_the_admin_page_list_counts_comments_and_links_to_that_pages_queue(admin_client):
    post = PostFactory(slug="a-post")
    page = PageFactory(pk=post.pk, slug="a-page")
    for state in (State.PUBLIC, State.PUBLIC, State.HELD):
        page_comment(page, state=state)
    CommentFactory(post=post, state=State.HELD)  # same id, on the post: not counted
    html = text_of(admin_client, "/admin/blog/page/")
    type_id = ContentType.objects.get_for_model(Page).pk
    held_link = f"{QUEUE}?content_type={type_id}&amp;queue=held&amp;object_pk={page.pk}"
    assert f'href="{held_link}">1 held</a>' in html
    assert 'title="Public comments">2</a>' in html
    queue = admin_client.get(held_link.replace("&amp;", "&"))
    assert [c.content_object for c in queue.context["cl"].result_list] == [page]
