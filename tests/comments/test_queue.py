"""The moderators' queue: opens on Held, newest first, tabs with counts, decisions as
small POST forms (without JavaScript) or JSON (for the queue's script) with Undo,
Empty spam now, and a constant number of queries at any size."""

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.discussions import Draft, insert_comments
from comments.models import BlogComment, CommentHistory, State
from tests.factories import CommentFactory, PostFactory, StaffFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/comments/blogcomment/"
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


def tab_counts(html):
    return {
        queue: int(count) for queue, count in re.findall(r'data-queue-count="(\w+)">(\d+)<', html)
    }


def test_the_queue_opens_on_held_newest_first_with_counts_in_tabs(mod_client):
    now = timezone.now()
    CommentFactory(state=State.HELD, comment="Older held words", submit_date=now - timedelta(1))
    CommentFactory(state=State.HELD, comment="Newer held words", submit_date=now)
    CommentFactory(state=State.PUBLIC, comment="Already public words")
    CommentFactory(state=State.SPAM, comment="Spammy words")
    CommentFactory(state=State.PUBLIC, comment="Gone words", is_removed=True)
    html = mod_client.get(QUEUE).content.decode()
    assert html.index("Newer held words") < html.index("Older held words")
    assert "Already public words" not in html and "Spammy words" not in html
    assert tab_counts(html) == {"held": 2, "spam": 1, "public": 1, "removed": 1, "all": 5}
    assert 'data-queue="held" class="current" aria-current="page"' in html
    spam = mod_client.get(QUEUE + "?queue=spam").content.decode()
    assert "Spammy words" in spam and "Newer held words" not in spam
    assert "Empty spam now" in spam
    every = mod_client.get(QUEUE + "?queue=all").content.decode()
    assert all(words in every for words in ["Spammy words", "Gone words", "Newer held words"])
    deleted = mod_client.get(QUEUE + "?queue=removed").content.decode()
    assert "Gone words" in deleted and ">Restore</button>" in deleted


def test_tabs_keep_the_post_filter_and_the_search(mod_client):
    post = PostFactory()
    CommentFactory(post=post, state=State.HELD, comment="On this post")
    CommentFactory(state=State.HELD, comment="On another post")
    html = mod_client.get(f"{QUEUE}?queue=held&object_pk={post.pk}&q=this&p=1").content.decode()
    assert "On this post" in html and "On another post" not in html
    assert f'href="?object_pk={post.pk}&amp;q=this&amp;queue=spam"' in html


def test_a_decision_without_javascript_comes_back_to_the_same_queue_page(mod_client):
    held = CommentFactory(state=State.HELD, user_name="Ada")
    back = QUEUE + "?queue=held&p=1"
    response = mod_client.post(f"{QUEUE}{held.pk}/moderate/approve/", {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    held.refresh_from_db()
    assert held.state == State.PUBLIC
    page = mod_client.get(back, follow=True).content.decode()
    assert "Comment by Ada approved." in page


def test_a_decision_never_redirects_off_site(mod_client):
    held = CommentFactory(state=State.HELD)
    response = mod_client.post(
        f"{QUEUE}{held.pk}/moderate/spam/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == QUEUE


def test_every_row_action_and_undo_through_the_forms(mod_client, moderator):
    comment = CommentFactory(state=State.HELD)
    for action, state, removed in [
        ("spam", State.SPAM, False),
        ("not_spam", State.HELD, False),
        ("approve", State.PUBLIC, False),
        ("delete", State.PUBLIC, True),
        ("restore", State.PUBLIC, False),
    ]:
        with TestCase.captureOnCommitCallbacks(execute=True):
            mod_client.post(f"{QUEUE}{comment.pk}/moderate/{action}/")
        comment.refresh_from_db()
        assert (comment.state, comment.is_removed) == (state, removed), action
    actions = list(CommentHistory.objects.filter(comment=comment).values_list("action", flat=True))
    assert actions == ["restored", "deleted", "approved", "marked not spam", "marked spam"]


def test_json_decision_and_undo_restore_the_state_and_record_both(mod_client, moderator):
    comment = CommentFactory(state=State.HELD, user_name="Ada", reason="first comment")
    CommentFactory(state=State.HELD)
    response = mod_client.post(f"{QUEUE}{comment.pk}/moderate/spam/", **JSON)
    data = response.json()
    assert (
        data["ok"] and data["queue"] == "spam" and data["message"] == "Comment by Ada marked spam."
    )
    assert data["counts"]["held"] == 1 and data["counts"]["spam"] == 1
    assert 'data-action="not_spam"' in data["actions"]
    undo = mod_client.post(data["undo_url"], {"token": data["undo_token"]}, **JSON).json()
    assert undo["ok"] and undo["queue"] == "held"
    assert undo["counts"]["held"] == 2 and undo["counts"]["spam"] == 0
    comment.refresh_from_db()
    assert (comment.state, comment.reason) == (State.HELD, "first comment")
    last = CommentHistory.objects.filter(comment=comment).first()
    assert (last.action, last.from_state, last.to_state, last.actor) == (
        "undone", "spam", "held", moderator
    )  # fmt: skip
    # The same undo twice: another decision (the undo) came after it.
    again = mod_client.post(data["undo_url"], {"token": data["undo_token"]}, **JSON)
    assert again.status_code == 409 and "nothing undone" in again.json()["message"]


def test_undo_refuses_a_forged_or_foreign_token_and_changes_nothing(mod_client):
    one, other = CommentFactory(state=State.HELD), CommentFactory(state=State.HELD)
    data = mod_client.post(f"{QUEUE}{one.pk}/moderate/approve/", **JSON).json()
    forged = mod_client.post(data["undo_url"], {"token": "nonsense"}, **JSON)
    assert forged.status_code == 400 and forged.json()["message"] == "This undo has expired."
    foreign = mod_client.post(
        f"{QUEUE}{other.pk}/undo/", {"token": data["undo_token"]}, follow=True
    )
    assert "nothing undone" in foreign.content.decode()
    one.refresh_from_db()
    assert one.state == State.PUBLIC


def test_an_unchanged_decision_answers_without_undo(mod_client):
    public = CommentFactory(state=State.PUBLIC)
    data = mod_client.post(f"{QUEUE}{public.pk}/moderate/approve/", **JSON).json()
    assert data["message"] == "Nothing to change." and data["undo_token"] is None
    bad = mod_client.post(f"{QUEUE}{public.pk}/moderate/explode/", **JSON)
    assert bad.status_code == 400 and bad.json()["message"] == "Unknown moderation action."


def test_empty_spam_now_asks_first_then_deletes_spam_and_keeps_replies(mod_client, caplog):
    post = PostFactory()
    CommentFactory.create_batch(2, post=post, state=State.SPAM)
    answered = CommentFactory(post=post, state=State.SPAM, comment="spam with a reply")
    CommentFactory(post=post, parent=answered, state=State.PUBLIC, comment="a reply")
    answered.refresh_from_db()
    assert answered.nested_count == 1
    kept = CommentFactory(post=post, state=State.HELD)
    confirm = mod_client.get(QUEUE + "empty-spam/").content.decode()
    assert "Delete all 3 spam comments for good?" in confirm
    assert BlogComment.objects.filter(state=State.SPAM).count() == 3  # nothing yet
    response = mod_client.post(QUEUE + "empty-spam/", follow=True)
    assert "Spam emptied: 3 comments deleted." in response.content.decode()
    assert list(BlogComment.objects.filter(state=State.SPAM)) == [answered]
    answered.refresh_from_db()
    assert answered.is_removed
    assert BlogComment.objects.filter(comment="a reply").exists()
    assert BlogComment.objects.filter(pk=kept.pk).exists()
    assert any(r.getMessage() == "spam emptied" for r in caplog.records)


def test_staff_without_the_comment_permission_get_403_everywhere(client):
    client.force_login(StaffFactory())
    held = CommentFactory(state=State.HELD)
    assert client.get(QUEUE).status_code == 403
    assert client.post(f"{QUEUE}{held.pk}/moderate/approve/", **JSON).status_code == 403
    assert client.post(f"{QUEUE}{held.pk}/undo/", {"token": "x"}).status_code == 403
    assert client.get(QUEUE + "empty-spam/").status_code == 403
    assert client.post(QUEUE + "empty-spam/").status_code == 403
    held.refresh_from_db()
    assert held.state == State.HELD


# Scale: the same number of queries at 50 and 5,000 comments.


def add_comments(count, state=None):
    """`count` comments in one go: of `state`, or of every state with some deleted."""
    post = PostFactory()
    now = timezone.now()
    states = [state] if state else [State.HELD, State.SPAM, State.PUBLIC]
    insert_comments(
        [
            Draft(post.pk, None, f"Bulk comment {n}", now - timedelta(minutes=n), "Reader",
                  f"r{n}@example.com", state=states[n % len(states)])
            for n in range(count)
        ]
    )  # fmt: skip
    if state is None:
        BlogComment.objects.filter(object_pk=str(post.pk), comment__endswith="7").update(
            is_removed=True
        )


def queries(client, method, url, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, **extra)
    assert response.status_code in (200, 302), response.status_code
    return len(captured), response


@pytest.mark.parametrize("queue", ["held", "spam", "public", "removed", "all"])
def test_the_queue_costs_the_same_at_50_and_5000_comments(mod_client, queue):
    add_comments(50)
    small, response = queries(mod_client, "get", f"{QUEUE}?queue={queue}")
    assert 'class="queue-card"' in response.content.decode()
    add_comments(4950)
    large, response = queries(mod_client, "get", f"{QUEUE}?queue={queue}")
    assert large == small
    assert response.content.decode().count('class="queue-card"') == 50


@pytest.mark.parametrize("action", ["approve", "spam", "not_spam", "delete", "restore", "undo"])
def test_each_action_costs_the_same_at_50_and_5000_comments(mod_client, action):
    def one_action():
        comment = CommentFactory(state=State.SPAM if action == "not_spam" else State.HELD)
        if action == "restore":
            comment.is_removed = True
            comment.save()
        if action == "undo":
            data = mod_client.post(f"{QUEUE}{comment.pk}/moderate/approve/", **JSON).json()
            url, extra = data["undo_url"], {"data": {"token": data["undo_token"]}}
        else:
            url, extra = f"{QUEUE}{comment.pk}/moderate/{action}/", {}
        count, response = queries(mod_client, "post", url, **extra, **JSON)
        assert response.json()["ok"], response.json()
        return count

    add_comments(50)
    small = one_action()
    add_comments(4950)
    assert one_action() == small


def test_the_tab_counts_take_one_query(mod_client):
    add_comments(5, state=State.HELD)
    from comments.admin import queue_counts

    with CaptureQueriesContext(connection) as captured:
        counts = queue_counts()
    assert len(captured) == 1 and counts["held"] == 5
    assert json.dumps(counts)
