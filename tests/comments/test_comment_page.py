"""A comment's own page in the admin: its context (post, parent, the commenter's
record, the spam checker's verdict, links), its history (on the page and in the
History view), the moderator's reply and the moderator's edit."""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext

from comments.models import BlogComment, CommentHistory, State, Verdict
from comments.moderation import moderate
from tests.factories import CommentFactory, PostFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/comments/blogcomment/"


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


def page(client, comment):
    response = client.get(f"{QUEUE}{comment.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def edit_data(obj, **changes):
    data = {"comment": obj.comment, "user_name": obj.user_name, "user_url": ""}
    data.update(changes)
    return data


# Context.


def test_the_page_shows_the_post_and_quotes_the_parent(mod_client):
    post = PostFactory(title="Part 22: The bridge")
    parent = CommentFactory(post=post, user_name="Grace", comment="The parent's words here")
    reply = CommentFactory(post=post, parent=parent, state=State.HELD, comment="A reply")
    html = page(mod_client, reply)
    assert "Part 22: The bridge" in html
    assert f'href="{post.get_absolute_url()}#comment-{reply.pk}"' in html
    quote = "<blockquote>The parent&#x27;s words here</blockquote>"
    assert f'<div class="comment-quote">{quote}' in html
    assert f'href="{QUEUE}{parent.pk}/change/">Grace</a>' in html
    # xtd's internals are not shown: no "Parent id" (its own id on a thread) or "Level".
    assert "Parent id" not in html and "Level:" not in html


def test_a_top_level_comment_says_it_starts_a_thread(mod_client):
    comment = CommentFactory()
    assert "(a new thread)" in page(mod_client, comment)


def test_the_commenters_record_counts_by_email_and_by_ip(mod_client):
    email, ip = "repeat@example.com", "198.51.100.7"
    CommentFactory.create_batch(3, user_email=email, ip_address="192.0.2.1")
    CommentFactory(user_email=email.upper(), state=State.SPAM, ip_address="192.0.2.1")
    CommentFactory(user_email="other@example.com", ip_address=ip, state=State.SPAM)
    CommentFactory(user_email="other@example.com", ip_address=ip, is_removed=True)
    comment = CommentFactory(user_email=email, ip_address=ip, state=State.HELD)
    html = page(mod_client, comment)
    # email: 3 public, 1 held (this one), 1 spam, 0 deleted; IP: 0, 1, 1, 1
    assert (
        '<th scope="row">same email</th><td>3</td><td>1</td><td>1</td><td>0</td>'
        f'<td><a href="{QUEUE}?q=repeat@example.com">see them</a></td>'
    ) in html
    assert '<th scope="row">same IP address</th><td>0</td><td>1</td><td>1</td><td>1</td>' in html


def test_the_spam_checkers_verdict_and_headers_are_shown(mod_client):
    comment = CommentFactory(
        state=State.SPAM,
        verdict=Verdict.DISCARD,
        pro_tip="discard",
        blatant=True,
        spam_check_params={"comment_type": "reply", "recheck_reason": "recheck_queue"},
        screening=[
            {"step": "honeypot", "result": "pass", "reason": ""},
            {"step": "spam checker", "result": "spam", "reason": "Akismet: blatant spam"},
        ],
    )
    html = page(mod_client, comment)
    assert "<strong>Verdict</strong>: Blatant spam (discard)" in html
    assert "<strong>X-akismet-pro-tip</strong>: discard" in html
    assert "<strong>recheck_reason</strong>: recheck_queue" in html
    # Screening reads as a list of steps, not "policy: hold policy: …".
    assert "<li><strong>Honeypot</strong>: passed</li>" in html
    assert "<li><strong>Spam checker</strong>: spam — Akismet: blatant spam</li>" in html


def test_links_in_the_text_are_listed_with_their_hosts(mod_client):
    comment = CommentFactory(
        comment="Cheap pills at https://spam.example.net/buy?x=1, and www.other.example.org."
    )
    html = page(mod_client, comment)
    assert (
        '<li><strong>spam.example.net</strong> — <a href="https://spam.example.net/buy?x=1" '
        'rel="nofollow noreferrer">https://spam.example.net/buy?x=1</a></li>'
    ) in html
    assert "<strong>www.other.example.org</strong>" in html
    assert 'href="http://www.other.example.org"' in html


# History.


def test_history_shows_in_the_history_view_and_on_the_page(mod_client, moderator):
    comment = CommentFactory(state=State.HELD)
    CommentHistory.objects.create(comment=comment, action="screened", to_state=State.HELD)
    moderate(comment, "approve", moderator)
    history = mod_client.get(f"{QUEUE}{comment.pk}/history/")
    assert history.status_code == 200
    html = history.content.decode()
    assert "doesn’t have a change history" not in html
    assert "<td>mod</td>" in html and "Approved" in html and "held → public" in html
    assert "Screened" in html and "the site" in html
    on_page = page(mod_client, comment)
    assert 'id="comment-history"' in on_page
    assert "held → public" in on_page and "Screened" in on_page


def test_history_view_of_a_missing_comment_redirects(mod_client):
    response = mod_client.get(f"{QUEUE}999999/history/")
    assert response.status_code == 302


def test_others_cannot_see_the_history(client):
    client.force_login(StaffFactory())
    comment = CommentFactory()
    assert client.get(f"{QUEUE}{comment.pk}/history/").status_code == 403


def query_count(client, comment):
    with CaptureQueriesContext(connection) as queries:
        page(client, comment)
    return len(queries)


def test_page_queries_do_not_grow_with_the_record_or_the_history(mod_client):
    users = UserFactory.create_batch(3)

    def comment_with(n):
        email = f"busy{n}@example.com"
        parent = CommentFactory(user_email=email)
        comment = CommentFactory(parent=parent, user_email=email, state=State.HELD)
        CommentFactory.create_batch(n, user_email=email)
        for i in range(n):
            CommentHistory.objects.create(comment=comment, action="x", actor=users[i % 3])
        return comment

    small, large = comment_with(1), comment_with(12)
    query_count(mod_client, small)  # warm caches (content types, site)
    assert query_count(mod_client, small) == query_count(mod_client, large)
    with CaptureQueriesContext(connection) as first:
        mod_client.get(f"{QUEUE}{small.pk}/history/")
    with CaptureQueriesContext(connection) as second:
        mod_client.get(f"{QUEUE}{large.pk}/history/")
    assert len(first) == len(second)


# Reply.


def reply(client, comment, text="Thanks, noted.", **extra):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"{QUEUE}{comment.pk}/reply/", {"comment": text, **extra})


def test_the_reply_url_has_its_name():
    from django.urls import reverse

    assert reverse("admin:comments_blogcomment_reply", args=[7]) == f"{QUEUE}7/reply/"


def test_reply_form_works_without_javascript(mod_client):
    comment = CommentFactory(comment="Question?")
    response = mod_client.get(f"{QUEUE}{comment.pk}/reply/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<form method="post"' in html and 'name="comment"' in html
    assert "Question?" in html
    assert "csrfmiddlewaretoken" in html


def test_a_reply_is_posted_as_the_moderator_threaded_and_public(mod_client, moderator):
    post = PostFactory()
    thread = CommentFactory(post=post)
    parent = CommentFactory(post=post, parent=thread)
    later = CommentFactory(post=post, parent=thread)  # a sibling after the parent
    response = reply(mod_client, parent, "Here is the answer.")
    assert response.status_code == 302 and response.url == QUEUE
    new = BlogComment.objects.get(comment="Here is the answer.")
    assert new.user == moderator and new.user_email == moderator.email
    assert new.state == State.PUBLIC and new.is_public
    assert (new.parent_id, new.thread_id, new.level) == (parent.pk, thread.pk, 2)
    later.refresh_from_db()
    assert thread.pk < parent.pk and new.order == parent.order + 1 < later.order
    assert new.history.filter(action="posted as a reply", actor=moderator).exists()
    assert parent.history.filter(action="replied").exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        f'Comment by {parent.user_name} replied to: <a href="{new.get_absolute_url()}">'
        "your reply</a> is public."
    ]
    assert "Here is the answer." in Client().get(post.get_absolute_url()).content.decode()


def test_replying_to_a_held_comment_approves_it_first(mod_client):
    held = CommentFactory(state=State.HELD)
    html = mod_client.get(f"{QUEUE}{held.pk}/reply/").content.decode()
    assert "replying approves it first" in html
    response = reply(mod_client, held)
    held.refresh_from_db()
    assert held.state == State.PUBLIC
    assert list(held.history.values_list("action", flat=True)) == ["replied", "approved"]
    (message,) = [str(m) for m in response.wsgi_request._messages]
    assert message.startswith(f"Comment by {held.user_name} approved and replied to")


def test_a_reply_is_not_sent_to_akismet_and_mails_followers(mod_client, akismet):
    post = PostFactory(title="Followed")
    CommentFactory(post=post, user_email="follow@example.com", followup=True)
    parent = CommentFactory(post=post)
    reply(mod_client, parent, "Moderator here.")
    assert akismet.requests == []
    assert [m.to for m in mail.outbox] == [["follow@example.com"]]
    assert "Moderator here." in mail.outbox[0].body


def test_reply_back_to_where_the_moderator_was(mod_client):
    comment = CommentFactory()
    response = reply(mod_client, comment, next=f"{QUEUE}?queue=held")
    assert response.url == f"{QUEUE}?queue=held"
    response = reply(mod_client, comment, "again", next="https://evil.example.com/")
    assert response.url == QUEUE


def test_an_empty_reply_says_so_and_posts_nothing(mod_client):
    comment = CommentFactory(state=State.HELD)
    response = reply(mod_client, comment, "")
    assert response.status_code == 200
    assert "Please write your reply." in response.content.decode()
    comment.refresh_from_db()
    assert comment.state == State.HELD and BlogComment.objects.count() == 1


def test_a_too_long_reply_keeps_its_text(mod_client, settings):
    settings.COMMENTS_MAX_LENGTH = 10
    comment = CommentFactory()
    response = reply(mod_client, comment, "x" * 11)
    html = response.content.decode()
    assert "Replies are limited to 10 characters (yours has 11)" in html
    assert "x" * 11 in html
    assert BlogComment.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"state": State.SPAM}, "marked spam"),
        ({"is_removed": True}, "is deleted"),
    ],
)
def test_no_reply_to_spam_or_deleted_comments(mod_client, fields, message):
    comment = CommentFactory(**fields)
    assert message in mod_client.get(f"{QUEUE}{comment.pk}/reply/").content.decode()
    response = reply(mod_client, comment)
    assert response.status_code == 200 and message in response.content.decode()
    assert BlogComment.objects.count() == 1


def test_no_reply_deeper_than_the_thread_goes(mod_client, settings):
    settings.COMMENTS_XTD_MAX_THREAD_LEVEL = 1
    top = CommentFactory()
    deep = CommentFactory(post=top.content_object, parent=top)
    response = reply(mod_client, deep)
    assert "nested as deep as it goes" in response.content.decode()
    assert BlogComment.objects.count() == 2


def test_only_moderators_may_reply(client):
    comment = CommentFactory(state=State.HELD)
    client.force_login(StaffFactory())
    assert client.get(f"{QUEUE}{comment.pk}/reply/").status_code == 403
    assert reply(client, comment).status_code == 403
    client.force_login(UserFactory())
    assert reply(client, comment).status_code == 302  # to the admin login
    comment.refresh_from_db()
    assert comment.state == State.HELD and BlogComment.objects.count() == 1


def test_superusers_may_reply(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    comment = CommentFactory()
    assert reply(client, comment).status_code == 302
    assert BlogComment.objects.count() == 2


def test_the_comment_page_links_to_the_reply(mod_client):
    held = CommentFactory(state=State.HELD)
    html = page(mod_client, held)
    assert f'href="{QUEUE}{held.pk}/reply/">Approve and reply</a>' in html


# Edit.


def test_an_edit_keeps_the_old_values_in_the_history(mod_client, moderator, akismet):
    comment = CommentFactory(
        comment="Visit http://spam.example.com now",
        user_name="Spammy",
        spam_check_params={"comment_content": "Visit http://spam.example.com now"},
    )
    response = mod_client.post(
        f"{QUEUE}{comment.pk}/change/",
        edit_data(comment, comment="Visit [link removed] now", user_name="Sam"),
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.comment == "Visit [link removed] now" and comment.user_name == "Sam"
    assert "spam.example.com" not in comment.comment_html
    assert comment.spam_check_params == {"comment_content": "Visit http://spam.example.com now"}
    assert akismet.requests == []
    entry = comment.history.get(action="edited")
    assert entry.actor == moderator and entry.note == "text changed, name changed"
    assert entry.previous == {
        "comment": "Visit http://spam.example.com now",
        "user_name": "Spammy",
    }
    html = page(mod_client, comment)
    assert "Edited: text changed, name changed" in html
    assert "Visit http://spam.example.com now" in html  # the old text, in the history
    history = mod_client.get(f"{QUEUE}{comment.pk}/history/").content.decode()
    assert "Before this edit" in history


def test_saving_without_changes_records_nothing(mod_client):
    comment = CommentFactory()
    mod_client.post(f"{QUEUE}{comment.pk}/change/", edit_data(comment))
    assert not comment.history.exists()


def test_a_bad_edit_says_why_and_changes_nothing(mod_client):
    comment = CommentFactory(comment="Original")
    response = mod_client.post(
        f"{QUEUE}{comment.pk}/change/",
        edit_data(comment, comment="", user_url="not a web address"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html and "Enter a valid URL." in html
    comment.refresh_from_db()
    assert comment.comment == "Original" and not comment.history.exists()


def test_others_cannot_edit(client):
    comment = CommentFactory(comment="Original")
    client.force_login(StaffFactory())
    response = client.post(f"{QUEUE}{comment.pk}/change/", edit_data(comment, comment="Defaced"))
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.comment == "Original"


def test_the_queue_script_replies_in_place_through_json(mod_client):
    comment = CommentFactory(state=State.HELD, user_name="Ada")
    json_reply = {"HTTP_ACCEPT": "application/json"}
    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = mod_client.post(
            f"{QUEUE}{comment.pk}/reply/", {"comment": "Thanks, Ada."}, **json_reply
        )
    assert answer.status_code == 200
    data = answer.json()
    assert (
        data["ok"]
        and data["message"] == "Comment by Ada approved and replied to: your reply is public."
    )
    assert data["queue"] == "public" and data["counts"]["held"] == 0
    assert BlogComment.objects.get(parent_id=comment.pk, comment="Thanks, Ada.").is_public
    refused = mod_client.post(f"{QUEUE}{comment.pk}/reply/", {"comment": ""}, **json_reply)
    assert refused.status_code == 400
    assert refused.json()["ok"] is False
    assert refused.json()["message"] == "Please write your reply."
