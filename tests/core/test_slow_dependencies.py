"""A slow or dead dependency never starves readers (#16): Akismet is asked by the
worker, behind a circuit breaker; a hung Redis is skipped after one timeout; a change
made while Redis was away is not lost to a page cached before it.

The dependencies are real sockets: a server that accepts connections and never
answers (tests/worker_helpers.SilentServer), and a real redis-server paused with
SIGSTOP. Only Akismet's replies are a stand-in (httpx MockTransport)."""

import signal
import subprocess
import threading
import time

import httpx
import pytest
import redis
from django.test import Client, override_settings

from comments.models import BlogComment, State, Verdict
from comments.moderation import moderate
from comments.spam import AkismetBreaker, AkismetChecker, SpamCheckUnavailable
from core import content_version
from core.cache_client import outages_seen
from core.models import LostVersionBump
from tests.comment_helpers import POST_URL, comment_data
from tests.factories import CommentFactory, PostFactory
from tests.worker_helpers import SilentServer, free_port, wait_for

READ_BUDGET = 0.1  # seconds: what a page read may cost while a dependency hangs
DUMMY_CACHE = "django.core.cache.backends.dummy.DummyCache"


@pytest.fixture(autouse=True)
def forget_outages():
    """An outage seen here must not make a later test's first request replay bumps
    (a query that test would not expect)."""
    yield
    content_version.Lost.keys = set()
    content_version.Lost.outages_replayed = outages_seen()


def redis_cache(location, breaker_seconds=5.0):
    """The production cache settings (config/settings.py) pointed at `location`;
    Django opens a fresh cache connection for them."""
    return override_settings(
        CACHES={
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": location,
                "KEY_PREFIX": "test",
                "OPTIONS": {
                    "IGNORE_EXCEPTIONS": True,
                    "CLIENT_CLASS": "core.cache_client.CircuitBreakerClient",
                    "CIRCUIT_BREAKER_SECONDS": breaker_seconds,
                    "SOCKET_CONNECT_TIMEOUT": 0.1,
                    "SOCKET_TIMEOUT": 0.1,
                },
            }
        }
    )


def timed_get(client, url):
    started = time.perf_counter()
    response = client.get(url)
    return response, time.perf_counter() - started


@pytest.fixture
def silent_server():
    server = SilentServer()
    yield server
    server.close()


@pytest.fixture
def redis_server():
    """A real redis-server of this test's own, to pause (SIGSTOP) and resume."""
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    probe = redis.Redis(port=port, socket_timeout=1)
    wait_for(lambda: _pings(probe), seconds=10, what="redis-server")
    yield port, process
    process.send_signal(signal.SIGCONT)
    process.terminate()
    process.wait(5)


def _pings(probe):
    try:
        return probe.ping()
    except redis.ConnectionError:
        return False


# Redis


@pytest.mark.django_db
def test_a_hung_redis_costs_one_timeout_then_pages_read_fast(silent_server, caplog):
    post = PostFactory(title="Read while Redis hangs")
    url = post.get_absolute_url()
    reader = Client()
    # What the page costs with no cache at all (every call a miss, no wait): the
    # most a cache that is away may cost, on this machine, now.
    with override_settings(CACHES={"default": {"BACKEND": DUMMY_CACHE}}):
        reader.get(url)  # templates loaded: the timings below are the cache's
        uncached = min(timed_get(reader, url)[1] for _ in range(5))
    with redis_cache(f"redis://127.0.0.1:{silent_server.port}/0"):
        first, first_took = timed_get(reader, url)
        reads = [timed_get(reader, url) for _ in range(5)]
    assert first.status_code == 200 and "Read while Redis hangs" in first.content.decode()
    assert all(response.status_code == 200 for response, _ in reads)
    # One socket timeout (0.1 s), not one per cache call (a page makes dozens);
    # then no wait at all: a wait on Redis would cost each read 0.1 s more.
    best = min(took for _, took in reads)
    assert first_took < uncached + 0.1 + 0.2
    assert best < uncached + 0.05
    assert best < READ_BUDGET or uncached > READ_BUDGET * 0.8  # a busy machine is slower
    # Logged once for the interval, not once per call.
    warnings = [r for r in caplog.records if "unavailable" in r.getMessage()]
    assert len(warnings) == 1 and "not tried for 5.0 s" in warnings[0].getMessage()


@pytest.mark.django_db
def test_the_cache_is_tried_again_after_the_breaker_interval(redis_server):
    from django.core.cache import cache

    port, process = redis_server
    with redis_cache(f"redis://127.0.0.1:{port}/0", breaker_seconds=0.3):
        cache.set("greeting", "hello")
        process.send_signal(signal.SIGSTOP)
        try:
            assert cache.get("greeting") is None  # timed out: a miss
            started = time.perf_counter()
            assert cache.get("greeting") is None  # open: not even tried
            assert time.perf_counter() - started < 0.01
        finally:
            process.send_signal(signal.SIGCONT)
        time.sleep(0.35)
        assert cache.get("greeting") == "hello"


@pytest.mark.django_db
def test_an_approval_made_while_redis_was_paused_is_not_lost(redis_server, moderator):
    port, process = redis_server
    post = PostFactory()
    held = CommentFactory(post=post, state=State.HELD, comment="Approved while Redis slept")
    url = post.get_absolute_url()
    reader = Client()
    with redis_cache(f"redis://127.0.0.1:{port}/0", breaker_seconds=0.5):
        reader.get(url)
        cached = reader.get(url)
        assert cached["X-Page-Cache"] == "hit"
        assert "Approved while Redis slept" not in cached.content.decode()

        process.send_signal(signal.SIGSTOP)
        try:
            # A reader meets the hung Redis first (one timeout), so the approval's
            # bumps are not even sent: without a record they would be lost.
            assert reader.get(url).status_code == 200
            moderate(held, "approve", moderator)
        finally:
            process.send_signal(signal.SIGCONT)
        assert LostVersionBump.objects.filter(key=f"discussion:{post.pk}").exists()

        # Redis is back but still skipped for a moment: the page renders uncached.
        assert "Approved while Redis slept" in reader.get(url).content.decode()
        time.sleep(0.55)
        # The first request that reaches Redis again replays the lost bump first.
        response = reader.get(url)
        assert "Approved while Redis slept" in response.content.decode()
        assert response["X-Page-Cache"] == "miss"
        assert not LostVersionBump.objects.exists()
        again = reader.get(url)
        assert again["X-Page-Cache"] == "hit"
        assert "Approved while Redis slept" in again.content.decode()


@pytest.mark.django_db
def test_the_worker_replays_bumps_another_process_lost():
    """A web process that never saw the outage learns of it from the worker."""
    from django.core.cache import cache

    from core.tasks import replay_lost_version_bumps

    before = cache.get(content_version.cache_key("comments"))
    LostVersionBump.objects.create(key="comments")
    replay_lost_version_bumps.call_local()
    assert cache.get(content_version.cache_key("comments")) not in (None, before)
    assert not LostVersionBump.objects.exists()


# Akismet


PARAMS = {"user_ip": "203.0.113.9", "comment_content": "hello", "comment_author": "Ada"}


def test_the_akismet_breaker_opens_after_n_failures_and_spares_the_network(
    akismet, settings, time_machine
):
    settings.AKISMET_BREAKER_FAILURES, settings.AKISMET_BREAKER_SECONDS = 3, 60
    akismet.answer = httpx.ConnectTimeout("timed out")
    checker = AkismetChecker()
    for _ in range(3):
        with pytest.raises(SpamCheckUnavailable, match=r"ConnectTimeout|timed out"):
            checker.check(PARAMS)
    assert len(akismet.calls("comment-check")) == 3
    for _ in range(5):
        with pytest.raises(SpamCheckUnavailable, match="not tried"):
            checker.check(PARAMS)
        with pytest.raises(SpamCheckUnavailable, match="not tried"):
            checker.submit_spam(PARAMS)  # moderators' reports are spared too
    assert len(akismet.requests) == 3
    # Shared through the cache: another process's breaker knows it is open.
    assert not AkismetBreaker("Akismet", shared=True).allows()

    time_machine.move_to(time.time() + 61)
    akismet.answer = "false"
    assert checker.check(PARAMS).verdict == Verdict.HAM  # tried once more, and closed
    assert checker.check(PARAMS).verdict == Verdict.HAM
    assert len(akismet.calls("comment-check")) == 5


class ToSilentServer(httpx.HTTPTransport):
    """Akismet's requests, sent for real to a server that never answers."""

    def __init__(self, port):
        super().__init__()
        self.port = port
        self.started = threading.Event()
        self.finished = threading.Event()
        self.count = 0

    def handle_request(self, request):
        self.count += 1
        self.started.set()
        request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=self.port)
        try:
            return super().handle_request(request)
        finally:
            self.finished.set()


@pytest.mark.django_db(transaction=True)
def test_a_hung_akismet_holds_neither_the_post_nor_readers(
    settings, monkeypatch, silent_server, task_queue, worker_thread
):
    settings.AKISMET_API_KEY = "test-key"
    settings.SPAM_CHECKER = "comments.spam.AkismetChecker"
    settings.AKISMET_TIMEOUT = 2.0  # the default: long enough to read while it waits
    transport = ToSilentServer(silent_server.port)
    monkeypatch.setattr(AkismetChecker, "transport", transport)
    AkismetChecker.breaker.reset()
    post = PostFactory(title="Read while Akismet hangs")
    other = PostFactory(title="Another post")
    CommentFactory(post=post, user_name="Ada Reader", user_email="ada@example.com")

    commenter = Client()
    started = time.perf_counter()
    response = commenter.post(POST_URL, comment_data(post, comment="Checked later"))
    took = time.perf_counter() - started
    assert response.status_code == 302
    assert took < 0.5 and transport.count == 0  # the POST never waited on Akismet
    comment = BlogComment.objects.get(comment="Checked later")
    assert (comment.state, comment.verdict) == (State.HELD, Verdict.PENDING)

    settings.PAGE_CACHE = False  # uncached reads: each one renders the page
    url = other.get_absolute_url()
    Client().get(url)
    idle = min(timed_get(Client(), url)[1] for _ in range(3))  # no check running

    worker_thread()  # takes the check and waits on the silent Akismet
    assert transport.started.wait(10)
    reads = [timed_get(Client(), url) for _ in range(3)]
    assert all(response.status_code == 200 for response, _ in reads)
    assert not transport.finished.is_set()  # the reads ran while it waited on Akismet
    best = min(took for _, took in reads)
    assert best < idle + 0.05
    assert best < READ_BUDGET or idle > READ_BUDGET * 0.8  # a busy machine is slower

    def check_failed():
        comment.refresh_from_db()
        return comment.verdict == Verdict.ERROR

    wait_for(check_failed, what="the worker's check to time out")
    # Held for the recheck job, nothing lost.
    assert (comment.state, comment.reason, comment.needs_recheck) == (
        State.HELD, "spam check pending", True,
    )  # fmt: skip
    assert comment.recheck_failures == 1
    AkismetChecker.breaker.reset()
