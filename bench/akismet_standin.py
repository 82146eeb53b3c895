"""A stand-in for Akismet on this machine, for `bench_load`: an HTTP server speaking
Akismet's REST API (/work/shared/akismet-api-notes.md) that can be made slow, and the
site's own Akismet checker pointed at it.

The server answers comment-check as the live API does for its documented test values
(`akismet-guaranteed-spam` or `viagra-test-123` as the author, or
`akismet-guaranteed-spam@example.com` as the email: spam; `user_role=administrator`:
ham) and ham for the rest; verify-key `valid` for any key; submit-spam and submit-ham
Akismet's thank-you sentence. Every answer waits `delay` seconds first, as a slow or
hung Akismet would.

The site reaches it through SPAM_CHECKER=bench.akismet_standin.StandinAkismetChecker
(a setting the site already has): comments.spam.AkismetChecker whose HTTP transport
sends each request to the URL in the environment variable BENCH_AKISMET_URL instead of
rest.akismet.com. The site's code, timeout (AKISMET_TIMEOUT) and error handling are
the production ones; only the address differs."""

import os
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import httpx

from comments.spam import AkismetChecker

URL_VARIABLE = "BENCH_AKISMET_URL"
SPAM_AUTHORS = {"akismet-guaranteed-spam", "viagra-test-123"}
SPAM_EMAIL = "akismet-guaranteed-spam@example.com"
THANKS = "Thanks for making the web a better place."


def comment_check(fields):
    """Akismet's answer body and headers to comment-check with these form fields."""
    missing = [name for name in ("blog", "user_ip") if not fields.get(name)]
    if not (fields.get("api_key") or fields.get("key")):
        missing.insert(0, "api_key")
    if missing:
        return "invalid", {"X-akismet-debug-help": f"Empty {', '.join(missing)}"}
    if fields.get("user_role") == "administrator":
        return "false", {}
    author = fields.get("comment_author", "").strip().lower()
    email = fields.get("comment_author_email", "").strip().lower()
    if author in SPAM_AUTHORS or email == SPAM_EMAIL:
        return "true", {}
    return "false", {}


def verify_key(fields):
    if (fields.get("api_key") or fields.get("key")) and fields.get("blog"):
        return "valid", {}
    return "invalid", {"X-akismet-debug-help": "Empty api_key or blog"}


ENDPOINTS = {
    "/1.1/comment-check": comment_check,
    "/1.1/verify-key": verify_key,
    "/1.1/submit-spam": lambda fields: (THANKS, {}),
    "/1.1/submit-ham": lambda fields: (THANKS, {}),
}


class AkismetStandin:
    """The stand-in server on 127.0.0.1 (a free port), in threads of this process;
    `with AkismetStandin(delay=3) as akismet:` … `akismet.url`, `akismet.calls`."""

    def __init__(self, delay=0.0):
        self.delay = delay
        self.calls = Counter()  # by endpoint, e.g. {"comment-check": 12}
        self.answers = Counter()  # comment-check answers, e.g. {"true": 3, "false": 9}
        self.abandoned = 0  # answers nobody was waiting for any more (the site timed out)
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        # A short poll: shutdown() waits for it.
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def record(self, path, body):
        with self._lock:
            self.calls[path.rpartition("/")[2]] += 1
            if path.endswith("comment-check"):
                self.answers[body] += 1

    def _handler_class(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go in two writes: without this the body waits for a
            # delayed ACK (40 ms), a delay nobody asked for.
            disable_nagle_algorithm = True

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                fields = {
                    name: values[0]
                    for name, values in parse_qs(self.rfile.read(length).decode()).items()
                }
                endpoint = ENDPOINTS.get(self.path.split("?")[0])
                if endpoint is None:
                    self.answer(404, "not found", {})
                    return
                body, headers = endpoint(fields)
                if standin.delay:
                    time.sleep(standin.delay)
                standin.record(self.path, body)
                self.answer(200, body, headers)

            def answer(self, status, body, headers):
                payload = body.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/plain; charset=utf-8")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True
                    with standin._lock:
                        standin.abandoned += 1

            def log_message(self, *args):
                """Quiet: a load run makes thousands of calls."""

        return Handler


class RedirectTransport(httpx.HTTPTransport):
    """Sends every request to `base_url`'s scheme, host and port, keeping its path."""

    def __init__(self, base_url, **kwargs):
        super().__init__(**kwargs)
        self.target = httpx.URL(base_url)

    def handle_request(self, request):
        request.url = request.url.copy_with(
            scheme=self.target.scheme, host=self.target.host, port=self.target.port
        )
        request.headers["Host"] = self.target.netloc.decode("ascii")
        return super().handle_request(request)


class StandinAkismetChecker(AkismetChecker):
    """The site's Akismet checker, talking to the stand-in at $BENCH_AKISMET_URL."""

    @property
    def transport(self):
        return RedirectTransport(os.environ[URL_VARIABLE])
