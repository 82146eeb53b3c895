"""Spam checkers: the pluggable step of screening that classifies a comment.

`AkismetChecker` in production; `OfflineChecker` for local runs and tests, which
honours Akismet's documented test values so the whole flow can be tried offline.
Both raise `SpamCheckUnavailable` when no verdict can be had.
"""

from dataclasses import dataclass

import akismet
import httpx
from django.conf import settings
from django.utils.module_loading import import_string

from .models import Verdict

USER_AGENT = f"SerialBlog/0.1 | {akismet.USER_AGENT}"


class SpamCheckUnavailable(Exception):
    """The checker could not answer: timeout, network, 5xx, bad key, odd reply."""


@dataclass(frozen=True)
class CheckResult:
    verdict: str
    pro_tip: str = ""


class AkismetChecker:
    name = "Akismet"
    description = "every new comment is checked by Akismet"
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
        try:
            answer = self.client.comment_check(**params)
        except akismet.AkismetError as exc:
            raise SpamCheckUnavailable(f"{type(exc).__name__}: {exc}".strip()) from exc
        if answer == akismet.CheckResponse.DISCARD:
            return CheckResult(Verdict.DISCARD, pro_tip="discard")
        return CheckResult(Verdict.SPAM if answer else Verdict.HAM)

    def submit_spam(self, params: dict) -> None:
        self._submit(self.client.submit_spam, params)

    def submit_ham(self, params: dict) -> None:
        self._submit(self.client.submit_ham, params)

    def _submit(self, method, params):
        try:
            method(**params)
        except akismet.AkismetError as exc:
            raise SpamCheckUnavailable(f"{type(exc).__name__}: {exc}".strip()) from exc


class OfflineChecker:
    """Answers as Akismet does for its documented test values; ham otherwise."""

    name = "Offline checker"
    description = "no Akismet key: honours Akismet's test values, passes the rest"
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


def get_spam_checker():
    return import_string(settings.SPAM_CHECKER)()
