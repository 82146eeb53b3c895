"""Moderators: what they may do, the queue and its actions, history, Akismet
feedback, and the mail that follows comments."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client, TestCase

from comments.models import BlogComment, CommentHistory, State
from core.models import OutgoingMail
from tests.comment_helpers import POST_URL, comment_data, post_and_check
from tests.factories import CommentFactory, PostFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/comments/blogcomment/"


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


def act(client, action, *comments):
    """A bulk action from the queue (All: the queue opens on Held, and the admin acts
    on the selected rows of the queue shown), with its after-commit work run."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            QUEUE + "?queue=all",
            {"action": action, "_selected_action": [c.pk for c in comments]},
            follow=True,
        )


# The line between moderators and everyone else.


def test_moderators_review_comments(mod_client):
    CommentFactory(state=State.HELD, comment="Waiting here")
    response = mod_client.get(QUEUE + "?queue=held")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Waiting here" in html
    assert "Held (1)" in html and "Spam (0)" in html
    assert "Offline checker" in html  # the active spam checker is shown


@pytest.mark.parametrize(
    "url", ["/admin/blog/post/", "/admin/blog/post/add/", "/admin/blog/page/", "/admin/auth/user/"]
)
def test_moderators_cannot_touch_posts_or_accounts(mod_client, url):
    assert mod_client.get(url).status_code == 403


def test_moderators_cannot_edit_a_post_by_posting(mod_client):
    post = PostFactory(title="Untouched")
    response = mod_client.post(f"/admin/blog/post/{post.pk}/change/", {"title": "Defaced"})
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.title == "Untouched"


def test_staff_without_the_moderator_role_cannot_moderate(client):
    client.force_login(StaffFactory())
    held = CommentFactory(state=State.HELD)
    assert client.get(QUEUE).status_code == 403
    response = client.post(f"{QUEUE}{held.pk}/moderate/approve/")
    assert response.status_code == 403
    held.refresh_from_db()
    assert held.state == State.HELD


def test_readers_cannot_reach_the_queue(client):
    client.force_login(UserFactory())
    assert client.get(QUEUE).status_code == 302  # to the admin login


def test_the_moderators_group_has_only_comment_permissions():
    group = Group.objects.get(name="Moderators")
    perms = sorted(group.permissions.values_list("content_type__app_label", "codename"))
    assert perms == [
        ("comments", "change_blogcomment"),
        ("comments", "view_blogcomment"),
        ("comments", "view_commenthistory"),
    ]


# Actions, single and bulk, with history.


def test_bulk_approve_publishes_and_records_history(mod_client, moderator):
    post = PostFactory()
    held = CommentFactory.create_batch(3, post=post, state=State.HELD, comment="pending words")
    response = act(mod_client, "approve", *held)
    assert "3 comments approved." in response.content.decode()
    assert BlogComment.objects.filter(state=State.PUBLIC).count() == 3
    entry = CommentHistory.objects.filter(comment=held[0]).get()
    assert (entry.actor, entry.action, entry.from_state, entry.to_state) == (
        moderator, "approved", "held", "public",
    )  # fmt: skip
    assert "pending words" in Client().get(post.get_absolute_url()).content.decode()


def test_single_action_button_works_without_javascript(mod_client):
    held = CommentFactory(state=State.HELD)
    queue = mod_client.get(QUEUE + "?queue=held").content.decode()
    button = f'formaction="{QUEUE}{held.pk}/moderate/approve/"'
    assert button in queue
    response = mod_client.post(
        f"{QUEUE}{held.pk}/moderate/approve/", HTTP_REFERER=f"http://testserver{QUEUE}?queue=held"
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?queue=held")
    held.refresh_from_db()
    assert held.state == State.PUBLIC


def test_unknown_action_is_refused_politely(mod_client):
    held = CommentFactory(state=State.HELD)
    response = mod_client.post(f"{QUEUE}{held.pk}/moderate/explode/", follow=True)
    assert "Unknown moderation action." in response.content.decode()
    assert mod_client.post(f"{QUEUE}999999/moderate/approve/").status_code == 404
    assert mod_client.get(f"{QUEUE}{held.pk}/moderate/approve/").status_code == 405


def test_marking_spam_reports_to_akismet_what_the_check_saw(mod_client, akismet):
    post = PostFactory()
    reader = Client()
    CommentFactory(post=post, user_name="Ada Reader", user_email="ada@example.com")
    post_and_check(reader, comment_data(post, comment="sneaky"), HTTP_USER_AGENT="UA/1")
    comment = BlogComment.objects.get(comment="sneaky")
    assert comment.state == State.PUBLIC
    (checked,) = akismet.calls("comment-check")
    act(mod_client, "mark_spam", comment)
    comment.refresh_from_db()
    assert comment.state == State.SPAM
    (submitted,) = akismet.calls("submit-spam")
    assert {k: v for k, v in submitted.items() if k != "endpoint"} == {
        k: v for k, v in checked.items() if k != "endpoint"
    }
    actions = list(comment.history.values_list("action", flat=True))
    assert actions[:2] == ["submit-spam", "marked spam"]
    assert "sneaky" not in Client().get(post.get_absolute_url()).content.decode()


def test_approving_spam_sends_submit_ham(mod_client, akismet):
    akismet.answer = "true"
    post = PostFactory()
    post_and_check(Client(), comment_data(post, comment="not really spam"))
    comment = BlogComment.objects.get()
    assert comment.state == State.SPAM
    act(mod_client, "approve", comment)
    assert len(akismet.calls("submit-ham")) == 1
    comment.refresh_from_db()
    assert comment.state == State.PUBLIC
    assert comment.history.filter(action="submit-ham", note__contains="sent to Akismet").exists()


def test_not_spam_moves_to_held_and_sends_submit_ham(mod_client, akismet):
    akismet.answer = "true"
    post_and_check(Client(), comment_data(PostFactory()))
    comment = BlogComment.objects.get()
    act(mod_client, "mark_not_spam", comment)
    comment.refresh_from_db()
    assert comment.state == State.HELD
    assert len(akismet.calls("submit-ham")) == 1


def test_akismet_down_during_feedback_is_recorded_not_fatal(mod_client, akismet):
    import httpx

    Client().post(POST_URL, comment_data(PostFactory()))
    comment = BlogComment.objects.get()
    akismet.answer = httpx.ConnectError("down")
    response = act(mod_client, "mark_spam", comment)
    assert response.status_code == 200
    comment.refresh_from_db()
    assert comment.state == State.SPAM
    assert comment.history.filter(action="submit-spam", note__contains="failed").exists()


@pytest.mark.parametrize("action", ["mark_spam", "delete_comments"])
def test_removing_a_comment_keeps_its_replies_under_a_placeholder(mod_client, action):
    post = PostFactory()
    parent = CommentFactory(post=post, comment="The parent words")
    reply = CommentFactory(post=post, parent=parent, comment="A legitimate reply")
    lonely = CommentFactory(post=post, comment="Nobody answered this")
    act(mod_client, action, parent, lonely)
    html = Client().get(post.get_absolute_url()).content.decode()
    assert "The parent words" not in html and "Nobody answered this" not in html
    assert "A legitimate reply" in html
    assert html.count("Comment removed.") == 1
    placeholder = html.index(f'id="comment-{parent.pk}"')
    assert html.index(f'id="comment-{reply.pk}"') > placeholder
    reply.refresh_from_db()
    assert reply.state == State.PUBLIC and reply.is_public


def test_deleted_comment_can_be_restored(mod_client):
    comment = CommentFactory()
    act(mod_client, "delete_comments", comment)
    comment.refresh_from_db()
    assert comment.is_removed
    act(mod_client, "approve", comment)
    comment.refresh_from_db()
    assert not comment.is_removed and comment.state == State.PUBLIC


def test_history_is_shown_on_the_comment_page(mod_client):
    comment = CommentFactory(state=State.HELD)
    act(mod_client, "approve", comment)
    html = mod_client.get(f"{QUEUE}{comment.pk}/change/").content.decode()
    assert "approved" in html and "held" in html


# Mail.


def test_follow_up_mail_goes_out_when_a_comment_becomes_public(
    mod_client, django_capture_on_commit_callbacks
):
    post = PostFactory(title="Followed post")
    CommentFactory(post=post, user_name="Follower", user_email="follow@example.com", followup=True)
    reader = Client()
    with django_capture_on_commit_callbacks(execute=True):
        reader.post(POST_URL, comment_data(post, name="Newbie", email="newbie@example.com"))
    assert mail.outbox == [m for m in mail.outbox if "follow@example.com" not in m.to]
    held = BlogComment.objects.get(user_name="Newbie")
    act(mod_client, "approve", held)
    (followup,) = [m for m in mail.outbox if m.to == ["follow@example.com"]]
    assert "Followed post" in followup.body
    assert "Unsubscribe from this conversation with one click:" in followup.body
    unsubscribe = followup.body.split("one click:\n")[1].split()[0]
    assert unsubscribe.startswith("http://127.0.0.1:8000/comments/mute/")
    path = unsubscribe.removeprefix("http://127.0.0.1:8000")
    response = Client().get(path)
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert not BlogComment.objects.get(user_email="follow@example.com").followup


def test_no_follow_up_mail_for_held_or_spam(client, django_capture_on_commit_callbacks):
    post = PostFactory()
    CommentFactory(post=post, user_email="follow@example.com", followup=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(POST_URL, comment_data(post, name="Newbie"))
        client.post(POST_URL, comment_data(post, name="akismet-guaranteed-spam", comment="x"))
    assert not [m for m in mail.outbox if "follow@example.com" in m.to]


def test_moderators_hear_of_held_comments(client, moderator, django_capture_on_commit_callbacks):
    post = PostFactory(title="Watched")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(POST_URL, comment_data(post, comment="please approve"))
    # One mail each: a moderator's carries links signed for them alone.
    assert sorted(m.to for m in mail.outbox) == sorted([[moderator.email], [post.author.email]])
    for notice in mail.outbox:
        assert "held for moderation" in notice.subject and "please approve" in notice.body


def test_failing_mail_never_fails_the_comment(
    client, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    post = PostFactory()
    CommentFactory(post=post, user_name="Ada Reader", user_email="ada@example.com")
    CommentFactory(post=post, user_email="follow@example.com", followup=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(POST_URL, comment_data(post, comment="mail is down"))
    assert response.status_code == 302
    assert BlogComment.objects.get(comment="mail is down").state == State.PUBLIC
    # The follow-up was really tried, failed against the closed port, and waits in
    # the outbox for its retry.
    (waiting,) = OutgoingMail.objects.filter(to=["follow@example.com"])
    assert waiting.status == OutgoingMail.Status.PENDING and waiting.attempts == 1
    assert "ConnectionRefusedError" in waiting.last_error
    assert "follow@example.com failed (attempt 1 of" in caplog.text


def test_confirmation_mail_for_anonymous_commenters(
    client, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_XTD_CONFIRM_EMAIL = True
    post = PostFactory()
    CommentFactory(post=post, user_name="Ada Reader", user_email="ada@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(POST_URL, comment_data(post, comment="confirm me"))
    comment = BlogComment.objects.get(comment="confirm me")
    assert comment.state == State.HELD and comment.awaiting_confirmation
    (request,) = mail.outbox
    link = request.body.split("a week:\n\n")[1].split()[0].removeprefix("http://127.0.0.1:8000")
    assert "confirm me" not in Client().get(post.get_absolute_url()).content.decode()
    Client().get(link)
    comment.refresh_from_db()
    assert comment.state == State.PUBLIC and not comment.awaiting_confirmation
    assert Client().get("/comments/confirm/forged-token/").status_code == 400


def test_no_confirmation_mail_for_spam(client, settings, django_capture_on_commit_callbacks):
    settings.COMMENTS_XTD_CONFIRM_EMAIL = True
    post = PostFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            POST_URL, comment_data(post, name="akismet-guaranteed-spam", email="v@example.com")
        )
    assert BlogComment.objects.get().state == State.SPAM
    assert not [m for m in mail.outbox if "v@example.com" in m.to]
