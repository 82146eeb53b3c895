"""The moderators' mail about a held comment: why it was held, and signed,
expiring one-click links that open a confirmation page; only its POST decides."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from comments.models import BlogComment, CommentHistory, State
from comments.notifications import MODERATION_LINK_SALT, ModerationLink
from tests.comment_helpers import POST_URL, comment_data
from tests.factories import CommentFactory, PostFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
LINK = re.compile(r"^(Approve|Mark as spam|Delete): +(\S+)$", re.MULTILINE)


@pytest.fixture
def held(client, moderator, django_capture_on_commit_callbacks):
    """A first comment, held by policy, and the mail the moderator got about it."""
    post = PostFactory(title="Watched post")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(POST_URL, comment_data(post, comment="Please let me in."))
    comment = BlogComment.objects.get(comment="Please let me in.")
    (notice,) = [m for m in mail.outbox if m.to == [moderator.email]]
    return comment, notice


def links_in(notice):
    return {label: url.removeprefix(SITE) for label, url in LINK.findall(notice.body)}


def mod_client(user):
    client = Client()
    client.force_login(user)
    return client


def test_mail_says_why_it_was_held_and_carries_three_links(held):
    _, notice = held
    assert "Why it was held: policy: first comment from this commenter" in notice.body
    assert "  - policy: hold (policy: first comment from this commenter)" in notice.body
    assert "  - honeypot: pass" in notice.body
    assert "works for 7 days" in notice.body
    links = links_in(notice)
    assert set(links) == {"Approve", "Mark as spam", "Delete"}
    assert all(url.startswith("/comments/moderate/") for url in links.values())


def test_the_posts_author_without_moderation_rights_gets_no_links(held):
    comment, _ = held
    (to_author,) = [m for m in mail.outbox if m.to == [comment.content_object.author.email]]
    assert "Why it was held:" in to_author.body
    assert not links_in(to_author) and "/comments/moderate/" not in to_author.body


def test_get_changes_nothing_and_post_approves(
    held, moderator, settings, django_capture_on_commit_callbacks
):
    comment, notice = held
    settings.COMMENTS_NOTIFY_MODERATORS = "all"
    client = mod_client(moderator)
    url = links_in(notice)["Approve"]
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Approve this comment?" in html and "Please let me in." in html
    assert '<button type="submit">Approve this comment</button>' in html
    assert "no-cache" in page["Cache-Control"] and "noindex" in html
    comment.refresh_from_db()
    assert comment.state == State.HELD
    assert not CommentHistory.objects.filter(comment=comment, actor__isnull=False).exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response["Location"] == url
    comment.refresh_from_db()
    assert comment.state == State.PUBLIC and comment.reason == "approved by mod"
    entry = CommentHistory.objects.filter(comment=comment, actor=moderator).get()
    assert (entry.action, entry.from_state, entry.to_state) == ("approved", "held", "public")
    assert entry.note == "from the moderation mail sent to mod"
    # Same path as the queue: a comment made public is announced after the commit.
    assert [m for m in mail.outbox if "now public" in m.body]
    public_page = Client().get(comment.content_object.get_absolute_url()).content.decode()
    assert "Please let me in." in public_page

    after = client.get(url).content.decode()
    assert "Done: comment approved." in after
    assert "You approved this comment" in after and "It is now <strong>public</strong>" in after
    assert "already been decided" not in after and "Open the moderation queue" in after
    assert "<button" not in after.split('id="content"')[1].split("</main>")[0]


def test_spam_link_reports_to_akismet_like_the_queue(
    client, moderator, akismet, django_capture_on_commit_callbacks
):
    post = PostFactory()
    akismet.answer = "false"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(POST_URL, comment_data(post, comment="Sneaky, held for a first comment"))
    comment = BlogComment.objects.get()
    assert comment.state == State.HELD
    (notice,) = [m for m in mail.outbox if m.to == [moderator.email]]
    with django_capture_on_commit_callbacks(execute=True):
        mod_client(moderator).post(links_in(notice)["Mark as spam"])
    comment.refresh_from_db()
    assert comment.state == State.SPAM
    (report,) = akismet.calls("submit-spam")
    assert report["comment_content"] == "Sneaky, held for a first comment"
    assert CommentHistory.objects.filter(comment=comment, action="submit-spam").exists()


def test_delete_link_removes_the_comment(held, moderator):
    comment, notice = held
    mod_client(moderator).post(links_in(notice)["Delete"])
    comment.refresh_from_db()
    assert comment.is_removed
    assert CommentHistory.objects.filter(comment=comment, action="deleted").exists()


def test_any_moderator_may_use_the_link_not_only_its_addressee(held):
    comment, notice = held
    other = StaffFactory(username="other-mod")
    other.groups.add(Group.objects.get(name="Moderators"))
    mod_client(other).post(links_in(notice)["Approve"])
    comment.refresh_from_db()
    assert comment.state == State.PUBLIC
    assert CommentHistory.objects.get(comment=comment, actor=other).note.endswith("sent to mod")


def test_a_decided_comment_says_so_and_the_link_changes_nothing(held, moderator):
    comment, notice = held
    links = links_in(notice)
    client = mod_client(moderator)
    client.post(links["Approve"])
    response = client.post(links["Mark as spam"])  # a second, late click
    assert response.status_code == 200
    html = response.content.decode()
    assert "This comment has already been decided" in html and "Nothing was changed" in html
    assert "(approved by mod, " in html
    assert "Open the moderation queue" in html
    comment.refresh_from_db()
    assert comment.state == State.PUBLIC
    assert CommentHistory.objects.filter(comment=comment, actor__isnull=False).count() == 1


def test_links_expire(held, moderator, time_machine, settings):
    comment, notice = held
    url = links_in(notice)["Approve"]
    client = mod_client(moderator)
    time_machine.move_to(timezone.now() + timedelta(days=6, hours=23), tick=False)
    assert client.get(url).status_code == 200
    time_machine.move_to(timezone.now() + timedelta(days=1, hours=2), tick=False)
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400
        assert "That moderation link has expired" in response.content.decode()
        assert "work for 7 days" in response.content.decode()
    settings.COMMENTS_MODERATION_LINK_DAYS = 30  # the setting decides
    assert client.get(url).status_code == 200
    comment.refresh_from_db()
    assert comment.state == State.HELD


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token[:20],
        lambda token: "not-a-token",
        # Signed right but with another salt (the commenter's confirmation link).
        lambda token: signing.dumps({"c": 1, "a": "approve", "m": 1, "s": "held"}),
        # Signed with the right salt but asking for something no mail offers.
        lambda token: signing.dumps(
            {"c": 1, "a": "not_spam", "m": 1, "s": "held"}, salt=MODERATION_LINK_SALT
        ),
        lambda token: signing.dumps({"c": "x"}, salt=MODERATION_LINK_SALT),
    ],
)
def test_tampered_links_are_refused_and_change_nothing(held, moderator, tamper):
    comment, notice = held
    token = links_in(notice)["Approve"].split("/")[-2]
    url = f"/comments/moderate/{tamper(token)}/"
    client = mod_client(moderator)
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400
        html = response.content.decode()
        assert "That moderation link does not work" in html
        assert 'class="site-header"' in html  # the site's own page, not a bare error
    comment.refresh_from_db()
    assert comment.state == State.HELD


def test_a_comment_deleted_for_good_is_said_to_be_gone(held, moderator):
    comment, notice = held
    url = links_in(notice)["Approve"]
    comment.delete()
    response = mod_client(moderator).get(url)
    assert response.status_code == 404
    assert "That comment is no longer here" in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_and_back(held, moderator):
    comment, notice = held
    url = links_in(notice)["Approve"]
    anonymous = Client()
    for response in (anonymous.get(url), anonymous.post(url)):
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/?next=/comments/moderate/")
    comment.refresh_from_db()
    assert comment.state == State.HELD
    login = anonymous.post(
        response["Location"],
        {"username": "mod", "password": "correct horse battery staple"},
        follow=True,
    )
    assert login.redirect_chain[-1][0] == url
    assert "Approve this comment?" in login.content.decode()


@pytest.mark.parametrize("who", ["reader", "staff without the moderator role"])
def test_others_are_refused(held, who):
    comment, notice = held
    user = UserFactory() if who == "reader" else StaffFactory()
    client = mod_client(user)
    url = links_in(notice)["Approve"]
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 403
        assert "Only moderators can use this link" in response.content.decode()
        assert "Please let me in." not in response.content.decode()
    comment.refresh_from_db()
    assert comment.state == State.HELD


def test_a_public_comment_mail_offers_no_approve_link(
    client, moderator, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_NOTIFY_MODERATORS = "all"
    post = PostFactory()
    CommentFactory(post=post, user_name="Ada Reader", user_email="ada@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(POST_URL, comment_data(post, comment="Back again."))
    (notice,) = [m for m in mail.outbox if m.to == [moderator.email]]
    assert "Reason: passed screening" in notice.body
    assert set(links_in(notice)) == {"Mark as spam", "Delete"}


def test_a_link_is_for_one_comment_and_one_action(held, moderator):
    comment, _ = held
    other = CommentFactory(state=State.HELD)
    link = ModerationLink(other.pk, "spam", moderator.pk, State.HELD)
    mod_client(moderator).post(f"/comments/moderate/{link.token}/")
    comment.refresh_from_db()
    other.refresh_from_db()
    assert comment.state == State.HELD and other.state == State.SPAM
