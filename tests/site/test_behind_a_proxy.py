"""Behind a trusted proxy every lockout, rate limit, spam check and stored address is
the client's own (core/client_address.py); without one, X-Forwarded-For changes nothing."""

import json
import logging

import pytest
from axes.models import AccessAttempt

from comments.models import BlogComment, State
from comments.moderation import moderate
from tests.comment_helpers import POST_URL, comment_data, post_and_check
from tests.factories import CommentFactory, PostFactory, SeriesFactory, UserFactory
from tests.series.follow_helpers import follow

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"
ALICE, BOB = "203.0.113.10", "198.51.100.20"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    return settings


def through_proxy(client_address, spoofed=None):
    """What the shipped nginx sends on: the client's own header, then its address."""
    chain = f"{spoofed}, {client_address}" if spoofed else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


def fail_login(client, **meta):
    return client.post("/admin/login/", {"username": "editor", "password": "wrong"}, **meta)


def test_the_lockout_affects_only_the_offending_client_behind_the_proxy(
    client, behind_proxy, settings
):
    UserFactory(username="editor", is_staff=True)
    answers = [
        fail_login(client, **through_proxy(ALICE, spoofed=f"192.0.2.{n}"))
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert answers[-1].status_code == 429  # Alice is locked out, whatever she claimed
    assert fail_login(client, **through_proxy(ALICE)).status_code == 429
    # Bob, through the same proxy, with the same username: a wrong password is only that.
    bob = fail_login(client, **through_proxy(BOB))
    assert bob.status_code == 200 and "correct username and password" in bob.text
    login = client.post(
        "/admin/login/",
        {"username": "editor", "password": "correct horse battery staple"},
        **through_proxy(BOB),
    )
    assert login.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ALICE}


def test_a_spoofed_forwarded_for_without_a_proxy_changes_nothing(client, settings):
    assert settings.TRUSTED_PROXIES == []
    UserFactory(username="editor", is_staff=True)
    answers = [
        fail_login(client, REMOTE_ADDR=ALICE, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert answers[-1].status_code == 429  # a new header each time did not help
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ALICE}
    # The proxy's own address is all that counts without TRUSTED_PROXIES.
    post = PostFactory()
    client.post(POST_URL, comment_data(post), **through_proxy(BOB, spoofed="192.0.2.99"))
    assert BlogComment.objects.get().ip_address == PROXY


@pytest.fixture
def post():
    post = PostFactory()
    for name in ("Ada Reader", "Ben Reader"):  # known commenters: published at once
        CommentFactory(post=post, user_name=name, user_email=f"{name[:3].lower()}@example.com")
    return post


def test_comments_are_stored_and_rate_limited_per_client(client, behind_proxy, post, settings):
    settings.COMMENTS_RATE_LIMIT = 2
    for n in range(3):
        client.post(POST_URL, comment_data(post, comment=f"Ada {n}"), **through_proxy(ALICE))
    ben = comment_data(post, name="Ben Reader", email="ben@example.com", comment="Ben 0")
    client.post(POST_URL, ben, **through_proxy(BOB, spoofed=ALICE))
    sent = BlogComment.objects.filter(comment__regex=r"^(Ada|Ben) \d$").order_by("pk")
    assert [(c.comment, c.ip_address, c.state) for c in sent] == [
        ("Ada 0", ALICE, State.PUBLIC),
        ("Ada 1", ALICE, State.PUBLIC),
        ("Ada 2", ALICE, State.HELD),  # Ada's third in the window
        ("Ben 0", BOB, State.PUBLIC),  # not held for Ada's, though through the same proxy
    ]
    assert sent[2].reason.startswith("rate limit")


def test_akismet_is_sent_the_clients_address(client, behind_proxy, post, akismet):
    # The worker asks Akismet after the commit, with the address the request stored.
    post_and_check(client, comment_data(post), **through_proxy(ALICE, spoofed="192.0.2.1"))
    (check,) = akismet.calls("comment-check")
    assert check["user_ip"] == ALICE


def test_a_moderators_reply_records_their_address(client, behind_proxy, post, moderator):
    parent = BlogComment.objects.filter(object_pk=str(post.pk)).first()
    client.force_login(moderator)
    url = f"/admin/comments/blogcomment/{parent.pk}/reply/"
    answer = client.post(url, {"comment": "Thanks!"}, **through_proxy(BOB))
    assert answer.status_code == 302
    assert BlogComment.objects.get(comment="Thanks!").ip_address == BOB


def test_the_audit_log_says_which_client_moderated(client, behind_proxy, moderator, caplog):
    held = CommentFactory(state=State.HELD)
    client.force_login(moderator)
    url = f"/admin/comments/blogcomment/{held.pk}/moderate/approve/"
    with caplog.at_level(logging.INFO, logger="comments.audit"):
        assert client.post(url, **through_proxy(BOB, spoofed=ALICE)).status_code == 302
        moderate(CommentFactory(state=State.HELD), "approve", None)  # no request: no address
    by_moderator, by_system = [r for r in caplog.records if r.message == "comment moderated"]
    formatter = logging.getLogger("comments.audit").handlers[0].formatter
    assert json.loads(formatter.format(by_moderator))["client_ip"] == BOB
    assert "client_ip" not in json.loads(formatter.format(by_system))


def test_the_follow_limit_is_per_client_behind_the_proxy(client, behind_proxy, settings):
    settings.FOLLOW_RATE_LIMIT_PER_IP = 2
    series = SeriesFactory()
    answers = [
        follow(client, f"a{n}@example.com", series, **through_proxy(ALICE, spoofed=f"192.0.2.{n}"))
        for n in range(3)
    ]
    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert follow(client, "b@example.com", series, **through_proxy(BOB)).status_code == 302
