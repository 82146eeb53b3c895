"""Spam checkers: the pluggable step of screening that classifies a comment.

`AkismetChecker` in production; `OfflineChecker` for local runs and tests, which
honours Akismet's documented test values so the whole flow can be tried offline.
Both raise `SpamCheckUnavailable` when no verdict can be had.

A checker that calls the network says so (`remote = True`): screening then leaves
its call to the worker (comments/tasks.py `check_comment`), so no reader's request
waits on it. Akismet's calls also go through a circuit breaker: after
AKISMET_BREAKER_FAILURES failures in a row none is tried for AKISMET_BREAKER_SECONDS
(the comments wait for the recheck job), so a dead Akismet does not hold every task
for a timeout.
"""

from dataclasses import dataclass

import akismet
import httpx
from django.conf import settings
from django.utils.module_loading import import_string

from core.circuit_breaker import CircuitBreaker

from .models import Verdict

USER_AGENT = f"SerialBlog/0.1 | {akismet.USER_AGENT}"


class SpamCheckUnavailable(Exception):
    """The checker could not answer: timeout, network, 5xx, bad key, odd reply."""


@dataclass(frozen=True)
class CheckResult:
    verdict: str
    pro_tip: str = ""


class AkismetBreaker(CircuitBreaker):
    """Shared by every process through the cache; its limits read from settings."""

    @property
    def threshold(self):
        return settings.AKISMET_BREAKER_FAILURES

    @property
    def open_seconds(self):
        return settings.AKISMET_BREAKER_SECONDS


akismet_breaker = AkismetBreaker("Akismet", shared=True)


class AkismetChecker:
    name = "Akismet"
    description = "every new comment is checked by Akismet, in the worker, after it is posted"
    remote = True  # a network call: screening leaves it to the worker
    breaker = akismet_breaker
    client_class = akismet.SyncClient
    transport: httpx.BaseTransport | None = None  # None: the real network

    def __init__(self):
        http_client = httpx.Client(
            headers={"User-Agent": USER_AGENT},
            timeout=settings.AKISMET_TIMEOUT,
            transport=self.transport,
        )
        self.client = self.client_class(
            config=akismet.Config(key=settings.AKISMET_API_KEY, url=settings.SITE_URL),
            http_client=http_client,
        )

    def check(self, params: dict) -> CheckResult:
        answer = self._call(self.client.comment_check, params)
        if answer == akismet.CheckResponse.DISCARD:
            return CheckResult(Verdict.DISCARD, pro_tip="discard")
        return CheckResult(Verdict.SPAM if answer else Verdict.HAM)

    def submit_spam(self, params: dict) -> None:
        self._submit(self.client.submit_spam, params)

    def submit_ham(self, params: dict) -> None:
        self._submit(self.client.submit_ham, params)

    def _submit(self, method, params):
        self._call(method, params)

    def _call(self, method, params):
        if not self.breaker.allows():
            raise SpamCheckUnavailable(
                f"not tried: Akismet failed {self.breaker.threshold} times in a row"
            )
        try:
            answer = method(**params)
        except akismet.AkismetError as exc:
            error = f"{type(exc).__name__}: {exc}".strip()
            self.breaker.failed(error)
            raise SpamCheckUnavailable(error) from exc
        self.breaker.succeeded()
        return answer


class OfflineChecker:
    """Answers as Akismet does for its documented test values; ham otherwise."""

    name = "Offline checker"
    description = "no Akismet key: honours Akismet's test values, passes the rest"
    remote = False  # in-process and instant: screening asks it in the request
    SPAM_AUTHORS = {"akismet-guaranteed-spam", "viagra-test-123"}
    SPAM_EMAIL = "akismet-guaranteed-spam@example.com"

    def check(self, params: dict) -> CheckResult:
        if params.get("user_role") == "administrator":
            return CheckResult(Verdict.HAM)
        if (
            params.get("comment_author", "").strip().lower() in self.SPAM_AUTHORS
            or params.get("comment_author_email", "").strip().lower() == self.SPAM_EMAIL
        ):
            return CheckResult(Verdict.SPAM)
        return CheckResult(Verdict.HAM)

    def submit_spam(self, params: dict) -> None:
        """Nothing to teach offline."""

    def submit_ham(self, params: dict) -> None:
        """Nothing to teach offline."""


def spam_checker_class():
    return import_string(settings.SPAM_CHECKER)


def get_spam_checker():
    return spam_checker_class()()
