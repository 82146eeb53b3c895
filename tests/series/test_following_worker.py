"""The real worker (`manage.py run_huey`, a SQLite queue file, a real SMTP server):
killed with SIGKILL in the middle of a batch of 500 notices and started again,
it leaves every follower with exactly one mail.

The kill lands while the worker waits for the server's answer to the 150th mail,
the moment a worker is most likely to die (it spends its time on network I/O). Each
notice is marked sent in the transaction that hands its mail to the outbox
(core/outbox.py), which sends it once, whatever happens to the worker meanwhile."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from blog.models import Post, Status
from series.models import Notice, SeriesPart
from tests import ROOT
from tests.factories import SeriesFactory, UserFactory, bulk_followers
from tests.smtp_sink import SmtpSink
from tests.worker_helpers import database_url

pytestmark = pytest.mark.django_db(transaction=True)
FOLLOWERS = 500


def start_worker(env, log):
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_huey"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def test_a_worker_killed_mid_batch_leaves_every_follower_one_mail(tmp_path):
    series = SeriesFactory(title="Travels in Asia")
    bulk_followers(FOLLOWERS, series)
    # A part that has just gone live, saved without signals (as a scheduled post
    # whose time has come): the worker's minute tick finds and announces it.
    [post] = Post.objects.bulk_create(
        [
            Post(
                title="Arriving",
                slug="arriving",
                author=UserFactory(),
                body="<p>At dawn.</p>",
                status=Status.PUBLISHED,
                published_at=timezone.now() - timedelta(minutes=1),
            )
        ]
    )
    SeriesPart.objects.create(series=series, post=post, number=1)

    with SmtpSink(hold_at=150) as smtp:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "TASKS_IMMEDIATE": "0",
            "TASK_QUEUE_URL": str(tmp_path / "queue.sqlite3"),
            "TASK_WORKERS": "2",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "CONN_MAX_AGE": "0",
            # Mail a killed worker had claimed is free again after this lease.
            "OUTBOX_LEASE_SECONDS": "2",
            # A send that fails under load (a busy CI machine) is retried in seconds,
            # not after the default minute doubled, which outlasted the wait below.
            "OUTBOX_RETRY_SECONDS": "1",
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        with open(tmp_path / "worker.log", "wb") as log:
            worker = start_worker(env, log)
            try:
                # The 150th mail waits for its answer: the worker is in mid-batch.
                assert smtp.handler.holding.wait(timeout=90), (tmp_path / "worker.log").read_text()
                worker.send_signal(signal.SIGKILL)
                worker.wait(timeout=10)
                smtp.handler.release.set()
                # Two worker threads send: another mail may have gone meanwhile.
                assert 150 <= smtp.handler.total < FOLLOWERS
                unsent = Notice.objects.filter(post=post, sent_at__isnull=True).count()
                assert 0 < unsent < FOLLOWERS  # it did die in the middle

                worker = start_worker(env, log)
                smtp.handler.wait_for(FOLLOWERS, timeout=120)
                time.sleep(1)  # anything extra would arrive now
            finally:
                worker.terminate()
                worker.wait(timeout=20)

        received = smtp.handler.received
        assert len(received) == FOLLOWERS, (tmp_path / "worker.log").read_text()[-3000:]
        assert set(received.values()) == {1}
        assert not Notice.objects.filter(post=post, sent_at__isnull=True).exists()
        assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in smtp.handler.messages[0]
