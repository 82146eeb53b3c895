"""Mail with the worker running for real (`manage.py run_huey` in its own process):
a dead or silent mail server never slows a comment, mail waits and goes out once
the server answers, and a killed worker loses nothing."""

import time
import uuid

import pytest
import redis
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from comments.models import BlogComment, State
from core.models import OutgoingMail
from core.outbox import queue_mails
from tests.comment_helpers import POST_URL, comment_data
from tests.factories import CommentFactory, PostFactory
from tests.worker_helpers import SilentServer, wait_for

pytestmark = pytest.mark.django_db(transaction=True)
Status = OutgoingMail.Status
REDIS_URL = "redis://127.0.0.1:6379/9"


@pytest.fixture
def silent_server():
    server = SilentServer()
    yield server
    server.close()


def test_comment_returns_at_once_while_smtp_hangs_and_its_mail_goes_later(
    client, silent_server, worker_process, smtp_servers
):
    worker = worker_process(
        EMAIL_PORT=silent_server.port, EMAIL_TIMEOUT=2, OUTBOX_RETRY_SECONDS=1
    ).start()
    post = PostFactory()
    CommentFactory(post=post, user_name="Ada Reader", user_email="ada@example.com")
    CommentFactory(post=post, user_email="follower@example.com", followup=True)

    client.get(post.get_absolute_url())  # a reader reads before commenting (and warms up)
    started = time.monotonic()
    response = client.post(POST_URL, comment_data(post, comment="Posted while mail hangs"))
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 1, f"the comment POST took {elapsed:.2f} s"
    assert BlogComment.objects.get(comment="Posted while mail hangs").state == State.PUBLIC

    # The worker tried the silent server, timed out, and keeps the mail for a retry.
    def tried_and_failed():
        mail = OutgoingMail.objects.filter(to=["follower@example.com"]).first()
        return mail if mail and "timed out" in mail.last_error else None

    waiting = wait_for(tried_and_failed, what="a timed-out send")
    assert waiting.status == Status.PENDING

    # The server comes back on the same port; the retry delivers the mail once.
    silent_server.close()
    server = smtp_servers(silent_server.port)
    # Recorded as sent just before the end of data: the server has it a moment later.
    wait_for(
        lambda: (
            server.inbox.envelopes
            and OutgoingMail.objects.filter(pk=waiting.pk, status=Status.SENT).exists()
        ),
        what="the retry",
    )
    assert server.inbox.recipients == ["follower@example.com"]
    (envelope,) = server.inbox.envelopes
    assert b"Subject: new comment posted" in envelope.content
    assert b"Posted while mail hangs" in envelope.content
    worker.stop()


@pytest.fixture(params=["sqlite", "redis"])
def queue_backend(request):
    """The worker's queue: the test's SQLite file (which this process fills too), or
    Redis under a name of its own, which nothing here fills: the worker finds the
    mail through its sweep alone, as it does when a task was lost."""
    if request.param == "sqlite":
        yield {}
        return
    name = f"testqueue{uuid.uuid4().hex}"  # Huey keeps only [a-z0-9] of a name
    yield {"TASK_QUEUE_URL": REDIS_URL, "TASK_QUEUE_NAME": name}
    store = redis.Redis.from_url(REDIS_URL)
    for key in store.scan_iter(f"*{name}*"):
        store.delete(key)


def test_a_killed_worker_loses_no_mail(silent_server, worker_process, smtp_servers, queue_backend):
    lease = 2
    first = worker_process(
        EMAIL_PORT=silent_server.port,
        EMAIL_TIMEOUT=60,
        OUTBOX_LEASE_SECONDS=lease,
        OUTBOX_BATCH_SIZE=5,
        TASK_WORKERS=1,
        **queue_backend,
    ).start()
    addresses = [f"reader{i:02}@example.com" for i in range(20)]
    with transaction.atomic():
        queue_mails(
            EmailMessage("Part 23 is out", "Read it.", "blog@example.com", [address])
            for address in addresses
        )

    # Mid-send: a batch claimed, its first mail waiting on the silent server.
    wait_for(lambda: OutgoingMail.objects.filter(attempts=1).count() == 5, what="a claim")
    time.sleep(0.5)
    first.kill()
    assert not OutgoingMail.objects.filter(status=Status.SENT).exists()

    # A new worker, a mail server that answers: once the dead worker's lease is over,
    # its first sweep sends everything, each mail once.
    server = smtp_servers()
    wait_for(
        lambda: OutgoingMail.objects.filter(next_attempt_at__gt=timezone.now()).count() == 0,
        seconds=lease + 10,
        what="the lease to end",
    )
    worker_process(EMAIL_PORT=server.port, OUTBOX_LEASE_SECONDS=lease, **queue_backend).start()
    wait_for(
        lambda: (
            len(server.inbox.envelopes) >= len(addresses)
            and OutgoingMail.objects.filter(status=Status.SENT).count() == len(addresses)
        ),
        what="the new worker to send everything",
    )
    time.sleep(0.5)  # a copy too many would arrive now
    assert server.inbox.recipients == addresses


def test_a_worker_killed_mid_batch_of_500_sends_each_mail_once(worker_process, smtp_servers):
    """The issue's case: killed while sending, restarted, and every reader has one
    mail, neither none nor two (core/smtp_delivery.py says why)."""
    server = smtp_servers()
    addresses = [f"reader{i:03}@example.com" for i in range(500)]
    with transaction.atomic():
        queue_mails(
            EmailMessage("Part 23 is out", "Read it.", "blog@example.com", [address])
            for address in addresses
        )
    settings = {"EMAIL_PORT": server.port, "OUTBOX_LEASE_SECONDS": 2, "TASK_WORKERS": 1}
    first = worker_process(**settings, OUTBOX_BATCH_SIZE=50).start()
    wait_for(lambda: len(server.inbox.envelopes) >= 150, what="the first 150 mails")
    first.kill()
    assert OutgoingMail.objects.filter(status=Status.PENDING).exists()
    time.sleep(2.5)  # the dead worker's lease ends
    worker_process(**settings).start()
    wait_for(
        lambda: (
            len(server.inbox.envelopes) >= len(addresses)
            and not OutgoingMail.objects.exclude(status=Status.SENT).exists()
        ),
        seconds=60,
        what="the new worker to send the rest",
    )
    time.sleep(0.5)  # a copy too many would arrive now
    assert server.inbox.recipients == addresses
