"""What `bench_load` (`make loadtest`) runs besides the readers: comments arriving one
a second through nginx, the commenters and the moderator they need, the count of
what was stored and mailed, and the report with its verdict.

Comments: a mix of returning commenters (an earlier public comment under the same
name and email: published), first-time commenters (held) and spammers (Akismet's
test names: spam), each POSTed through the comment form as a browser sends it (an
Origin header, its own X-Forwarded-For), each in a thread of its own, so a slow
answer never delays the next arrival. Everything the run adds carries the email
domain EMAIL_DOMAIN and is deleted when it ends.

The verdict is the issue's (#16): no reader or commenter got an error, no comment
was lost (sent minus stored, in any state), and readers kept at least 80% of their
reads per second while the comments arrived."""

import http.client
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from comments.models import MODERATORS_GROUP, BlogComment, State
from core.models import OutgoingMail

from .discussions import Draft, insert_comments
from .flood import post_form
from .pages import comment_form

EMAIL_DOMAIN = "loadtest.example.com"
MODERATOR_USERNAME = "loadtest-moderator"
MODERATOR_EMAIL = f"moderator@{EMAIL_DOMAIN}"
# One arrival in four of each kind but the returning commenters, who come twice.
MIX = ("public", "held", "public", "spam")
KINDS = ("public", "held", "spam")
RETURNING_COMMENTERS = 5
SPAM_NAMES = ("akismet-guaranteed-spam", "viagra-test-123")
# The reason screening gives a comment held until the spam checker answers
# (comments.screening.SPAM_CHECK_PENDING; a test keeps the two equal).
PENDING_REASON = "spam check pending"
MIN_RATIO = 0.8
POST_TIMEOUT_SECONDS = 30


def returning_commenter(index):
    return f"Returning Reader {index}", f"returning-{index}@{EMAIL_DOMAIN}"


def commenter(kind, n, token):
    """(name, email, client address) of the `n`th arrival, of `kind`."""
    if kind == "public":
        index = n % RETURNING_COMMENTERS
        return (*returning_commenter(index), f"198.51.100.{10 + index}")
    address = f"203.0.113.{n % 250 + 1}"
    if kind == "held":
        return "First-time Reader", f"first-{token}-{n}@{EMAIL_DOMAIN}", address
    return SPAM_NAMES[n % len(SPAM_NAMES)], f"spam-{token}-{n}@{EMAIL_DOMAIN}", address


def kind_of_email(email):
    prefix = email.partition("-")[0]
    return {"returning": "public", "first": "held", "spam": "spam"}.get(prefix, "other")


class Arrivals:
    """One comment every `interval` seconds to `posts` in turn, through the server
    at `base_url`, from `start()` to `stop()`."""

    def __init__(self, base_url, posts, *, token, interval=1.0, origin=True):
        self.base_url, self.interval, self.origin, self.token = base_url, interval, origin, token
        self.forms = [(post.get_absolute_url(), comment_form(post)) for post in posts]
        self.sent = Counter()  # by kind
        self.answers = Counter()  # by status, or by exception for a POST that got none
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        # Enough threads for every arrival of the slowest answer the stand-ins allow.
        self._pool = ThreadPoolExecutor(max_workers=64, thread_name_prefix="comment")
        self._thread = threading.Thread(target=self._arrive, daemon=True)

    def start(self):
        self._thread.start()

    def stop(self):
        """Stop arriving; wait for the answers to those sent."""
        self._stopped.set()
        self._thread.join()
        self._pool.shutdown(wait=True)

    def _arrive(self):
        n, next_at = 0, time.monotonic()
        while not self._stopped.wait(max(0.0, next_at - time.monotonic())):
            n += 1
            next_at += self.interval
            kind = MIX[n % len(MIX)]
            with self._lock:
                self.sent[kind] += 1
            self._pool.submit(self.post, n, kind)

    def post(self, n, kind):
        name, email, address = commenter(kind, n, self.token)
        path, form = self.forms[n % len(self.forms)]
        fields = {
            **form,
            "name": name,
            "email": email,
            "comment": f"Load test comment {self.token} number {n}, from a {kind} commenter.",
        }
        headers = {"X-Forwarded-For": address, "User-Agent": "loadtest-commenter/1.0"}
        if self.origin:
            headers.update(Origin=self.base_url, Referer=self.base_url + path)
        try:
            answer = post_form(self.base_url, fields, headers, timeout=POST_TIMEOUT_SECONDS)
        except (OSError, http.client.HTTPException) as exc:
            answer = type(exc).__name__
        with self._lock:
            self.answers[answer] += 1

    @property
    def failed(self):
        """POSTs answered with anything but a redirect back to the post."""
        return sum(
            count
            for answer, count in self.answers.items()
            if not (isinstance(answer, int) and 300 <= answer < 400)
        )


@contextmanager
def commenters(target_post):
    """The returning commenters (a public comment each on `target_post`, which the
    readers never see) and a moderator who is mailed about every new comment; all
    that the run added is deleted when the block ends. Yields the removal counts,
    filled in then."""
    removed = {}
    remove_loadtest_data()
    a_day_ago = timezone.now() - timedelta(days=1)
    insert_comments(
        [
            Draft(target_post.pk, None, f"{name} was here before.", a_day_ago, name, email)
            for name, email in map(returning_commenter, range(RETURNING_COMMENTERS))
        ]
    )
    moderator = get_user_model().objects.create(
        username=MODERATOR_USERNAME, email=MODERATOR_EMAIL, is_active=True
    )
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    try:
        yield removed
    finally:
        removed.update(remove_loadtest_data())


def remove_loadtest_data():
    """Delete the comments, mails and moderator a run added; return their numbers."""
    comments = BlogComment.objects.filter(user_email__endswith="@" + EMAIL_DOMAIN)
    mails = OutgoingMail.objects.filter(dedupe_key__endswith=":" + MODERATOR_EMAIL)
    users = get_user_model().objects.filter(username=MODERATOR_USERNAME)
    return {
        "comments": comments.delete()[1].get(BlogComment._meta.label, 0),
        "mails": mails.delete()[0],
        "moderators": users.delete()[1].get(get_user_model()._meta.label, 0),
    }


def tally(posts):
    """What the database holds of the run's comments on `posts` and their mails."""
    comments = BlogComment.objects.filter(
        user_email__endswith="@" + EMAIL_DOMAIN,
        object_pk__in=[str(post.pk) for post in posts],
    )
    stored = {kind: Counter() for kind in (*KINDS, "other")}
    pending = mail_expected = 0
    for email, state, needs_recheck, reason in comments.values_list(
        "user_email", "state", "needs_recheck", "reason"
    ):
        stored[kind_of_email(email)][state] += 1
        pending += bool(needs_recheck or reason.startswith(PENDING_REASON))
        # COMMENTS_NOTIFY_MODERATORS=all: the moderator hears of each but spam.
        mail_expected += state != State.SPAM
    mails = Counter(
        OutgoingMail.objects.filter(dedupe_key__endswith=":" + MODERATOR_EMAIL).values_list(
            "status", flat=True
        )
    )
    return {
        "stored": {kind: dict(states) for kind, states in stored.items() if states},
        "pending": pending,
        "mails": dict(mails),
        "mail_expected": mail_expected,
    }


def settled(counts, delivered):
    """Every comment decided, and every mail it calls for queued (the worker works
    them out after the comment is saved), sent and delivered."""
    mails = counts["mails"]
    queued = sum(mails.values())
    return (
        counts["pending"] == 0
        and queued >= counts["mail_expected"]
        and mails.get(OutgoingMail.Status.PENDING, 0) == 0
        and delivered >= queued
    )


def verdict(results):
    """[(criterion, passed, what was measured)] by the issue's measures."""
    quiet, busy, comments = results["without"], results["with"], results["comments"]
    errors = {
        "readers' socket errors": quiet["socket_errors"] + busy["socket_errors"],
        "readers' error statuses": quiet["status_errors"] + busy["status_errors"],
        "comment POSTs not redirected": comments["failed"],
    }
    ratio = ratio_of(results)
    lost = lost_comments(comments)
    found = ", ".join(f"{n} {what}" for what, n in errors.items() if n) or "none"
    return [
        ("0 errors", sum(errors.values()) == 0, found),
        ("0 comments lost", lost == 0, f"{lost} lost of {sum(comments['sent'].values())} sent"),
        (
            f"reads/s with comments ≥ {MIN_RATIO:.0%} of reads/s without",
            ratio >= MIN_RATIO,
            f"{ratio:.1%}",
        ),
    ]


def ratio_of(results):
    without = results["without"]["requests_per_second"]
    return results["with"]["requests_per_second"] / without if without else 0.0


def stored_total(comments):
    return sum(sum(states.values()) for states in comments["stored"].values())


def lost_comments(comments):
    return max(0, sum(comments["sent"].values()) - stored_total(comments))


def report(results):
    meta, comments, mail = results["meta"], results["comments"], results["mail"]
    checks = verdict(results)
    passed = all(ok for _, ok, _ in checks)
    rows = [
        "| phase | seconds | reads | reads/s | p50 | p99 | socket errors | error statuses |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, key in (("without comments", "without"), ("with comments", "with")):
        phase = results[key]
        rows.append(
            f"| {name} | {phase['seconds']:.0f} | {phase['requests']:,} "
            f"| {phase['requests_per_second']:,.0f} | {phase['p50_ms']:.1f} ms "
            f"| {phase['p99_ms']:.1f} ms | {phase['socket_errors']} | {phase['status_errors']} |"
        )
    sent = comments["sent"]
    state_rows = [
        "| commenter | sent | stored public | stored held | stored spam |",
        "| --- | --- | --- | --- | --- |",
    ]
    for kind in KINDS:
        stored = comments["stored"].get(kind, {})
        state_rows.append(
            f"| {kind} | {sent.get(kind, 0)} | {stored.get(State.PUBLIC, 0)} "
            f"| {stored.get(State.HELD, 0)} | {stored.get(State.SPAM, 0)} |"
        )
    answered = sorted(comments["answers"].items(), key=str)
    answers = ", ".join(f"{n} answered {answer}" for answer, n in answered)
    decided = stored_total(comments) - comments["pending"]
    queued = sum(mail["outbox"].values())
    lines = [
        f"# Load test: {'PASS' if passed else 'FAIL'} ({meta['started']}, {meta['commit']})",
        "",
        f"{meta['cores']} cores (load average {meta['load_before']:.1f} before, "
        f"{meta['load_after']:.1f} after), {meta['workers']} gunicorn sync workers with "
        f"PostgreSQL ({meta['database']}) and Redis, the Huey worker, Debian's nginx "
        "with the shipped config (config/nginx-standalone.conf and "
        "config/nginx-front-cache.conf) in front. "
        f"{meta['readers']} readers (wrk) going round: {'; '.join(results['pages'])}. "
        f"One comment every {meta['interval']:g} s to {' and '.join(results['commented'])}; "
        f"Akismet stand-in answering after {meta['akismet_delay']:g} s "
        f"(AKISMET_TIMEOUT {meta['akismet_timeout']:g} s), mail stand-in after "
        f"{meta['smtp_delay']:g} s; comment rate limit "
        f"{meta['rate_limit'] or 'off'}"
        f"{'' if meta['origin'] else ', comments sent without an Origin header'}.",
        "",
        *rows,
        "",
        f"Reads/s with comments arriving: **{ratio_of(results):.1%}** of reads/s without.",
        "",
        *state_rows,
        "",
        f"Comments: {sum(sent.values())} sent ({answers or 'no answer'}), "
        f"{stored_total(comments)} stored, {lost_comments(comments)} lost; "
        f"{decided} decided and {comments['pending']} still pending "
        f"{meta['grace_used']:.0f} s after the last one (grace {meta['grace']} s). "
        f"Akismet stand-in: {dict(results['akismet']['calls']) or 'no calls'}, "
        f"comment-check answers {dict(results['akismet']['answers']) or 'none'}, "
        f"{results['akismet'].get('abandoned', 0)} after the site had stopped waiting.",
        f"Mail (every new comment but spam mails the moderator): {queued} queued of "
        f"{mail['expected']} expected ({dict(mail['outbox']) or 'none'}), "
        f"{mail['delivered']} delivered to the mail stand-in.",
        "",
        "| criterion (issue #16) | measured | |",
        "| --- | --- | --- |",
        *(f"| {name} | {found} | {'PASS' if ok else 'FAIL'} |" for name, ok, found in checks),
    ]
    if results.get("problems"):
        lines += ["", *(f"- {problem}" for problem in results["problems"])]
    if results.get("removed"):
        lines += ["", f"Removed afterwards: {results['removed']}."]
    return "\n".join(lines) + "\n"
