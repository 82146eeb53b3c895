"""Settings for the blog, all read from environment variables.

Every variable is listed in README.md. With DEBUG off the settings fail fast
when a secret is missing rather than falling back to a literal.
"""

import ipaddress
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django_prose_editor.config import html_tags
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default=""):
    return os.environ.get(name, default).strip()


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = env_str(name)
    try:
        return int(value) if value else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_float(name, default):
    value = env_str(name)
    try:
        return float(value) if value else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from exc


def env_list(name, default=""):
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Local development only: a fresh key per process, never a literal.
    SECRET_KEY = get_random_secret_key()

# Without SITE_URL (development), links follow each request's host (core/site_url.py);
# requests aside (mail from the worker), the address `make run` serves on.
SITE_URL_SET = bool(env_str("SITE_URL"))
SITE_URL = (env_str("SITE_URL") or f"http://127.0.0.1:{env_int('PORT', 8000)}").rstrip("/")
SITE_NAME = env_str("SITE_NAME", "Serial Blog")
SITE_TAGLINE = env_str("SITE_TAGLINE", "Long-running writing, part by part")
SITE_LANGUAGE = env_str("SITE_LANGUAGE", "en")

_site_host = urlsplit(SITE_URL).hostname or "localhost"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or (
    [_site_host, "localhost", "127.0.0.1", "[::1]"] if DEBUG else [_site_host]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_prose_editor",
    "csp",
    "axes",
    "django_comments_xtd",
    "django_comments",
    "huey.contrib.djhuey",
    "core",
    "blog",
    "series",
    # After django_comments_xtd: its ready() undoes one of xtd's signal handlers.
    "comments",
    "likes",
    # Readers sign in to comment (allauth); after comments, whose form it fills.
    "readers",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.google",
    # Depends on blog, series and comments; nothing depends on it.
    "wordpress",
    # Demo content for `make run` (seed_demo); it uses every app above.
    "demo",
]
# The benchmark harness (bench/) is a development tool, left out of production. It is
# installed when BENCH_TOOLS is on (the Makefile's bench targets set it), and by default
# under pytest, whose suite tests the harness: pytest-django loads these settings before
# any conftest could set a variable, and pytest is a dev dependency, absent in production.
if env_bool("BENCH_TOOLS", default="pytest" in sys.modules):
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    # First: X-Forwarded-* from anyone but a trusted proxy are dropped before anything
    # (HTTPS redirect, host checks, the page cache) reads them.
    "core.forwarded_headers.ForwardedHeadersMiddleware",
    "core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything that queries: a NUL in the path or query is a 400, not a DataError.
    "core.request_guard.RefuseUnreadableInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETags for every page and feed; a repeat request gets 304 Not Modified.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the page cache, which renders pages whose absolute links it makes.
    "core.site_url.SiteUrlMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Inside the session, auth and messages layers, so it can tell who is anonymous.
    "core.page_cache.AnonymousPageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Innermost, inside the page cache: answers WordPress's query links (/?p=…) before
    # the home view, and turns a 404 for an old WordPress path into a redirect.
    "wordpress.redirects.OldLinksMiddleware",
    # Last: counts failed logins and locks an account for a while.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "blog.auth_backends.ModelBackendWithProfile",  # request.user comes with its profile
    # Readers' own accounts sign in by email (readers/); staff keep the admin's login.
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Failed logins: after AXES_FAILURE_LIMIT tries, that username from that address waits.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# The same client address as comments and rate limits (X-Forwarded-For via TRUSTED_PROXIES).
AXES_CLIENT_IP_CALLABLE = "core.client_address.client_ip"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite in the project folder unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if env_bool("DATABASE_POOL") and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # psycopg's pool: for threaded workers; persistent connections do for sync ones.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": env_int("DATABASE_POOL_SIZE", 4),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # Django requires it with a pool
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests use a file, not the shared in-memory database, so the live server and
    # the test thread each have their own connection (as with Postgres).
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, process-local memory otherwise.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "blog"),
            "OPTIONS": {
                # Redis down: the site serves uncached, slower, without errors.
                "IGNORE_EXCEPTIONS": True,
                # Redis hung (accepts, never answers): one call waits the socket
                # timeout, then Redis is skipped for CACHE_BREAKER_SECONDS in this
                # process (core/cache_client.py), so pages cost milliseconds more.
                "CLIENT_CLASS": "core.cache_client.CircuitBreakerClient",
                "CIRCUIT_BREAKER_SECONDS": env_float("CACHE_BREAKER_SECONDS", 5),
                "SOCKET_CONNECT_TIMEOUT": env_float("CACHE_CONNECT_TIMEOUT", 0.1),
                "SOCKET_TIMEOUT": env_float("CACHE_SOCKET_TIMEOUT", 0.1),
            },
        }
    }
    # The breaker logs an outage once per interval; django-redis would log a
    # traceback for every call it turns into a miss.
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en-us")
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
# Small deployments let Django serve uploads; behind nginx or a CDN turn it off.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
MAX_IMAGE_UPLOAD_BYTES = env_int("MAX_IMAGE_UPLOAD_MB", 5) * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Background work: Huey. The queue is a SQLite file beside the code by default (no
# extra service for `make run`), Redis when TASK_QUEUE_URL is a redis:// URL
# (production). TASKS_IMMEDIATE runs each task inline at once (the test suite).
TASK_QUEUE_URL = env_str("TASK_QUEUE_URL")
_huey_common = {
    "name": env_str("TASK_QUEUE_NAME", "blog"),
    # Under pytest tasks run inline unless a test starts a real worker.
    "immediate": env_bool("TASKS_IMMEDIATE", default="pytest" in sys.modules),
    "utc": True,
    "consumer": {"workers": env_int("TASK_WORKERS", 2), "worker_type": "thread"},
}
if TASK_QUEUE_URL.startswith(("redis://", "rediss://", "unix://")):
    HUEY = {"huey_class": "huey.RedisHuey", "url": TASK_QUEUE_URL, **_huey_common}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "filename": TASK_QUEUE_URL or str(BASE_DIR / "tasks.sqlite3"),
        **_huey_common,
    }

# The worker touches this file every minute (for a container healthcheck).
WORKER_HEARTBEAT_FILE = env_str("WORKER_HEARTBEAT_FILE")

# Mail
# Mail can be looked at instead of sent: with EMAIL_FILE_PATH set each mail the worker
# sends is written to a file in that folder; with DEBUG it is printed (console).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH") or None
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if EMAIL_FILE_PATH
    else "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@{_site_host}>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = [("Admin", address) for address in env_list("ADMIN_EMAILS")]
# The outbox (core/outbox.py): every mail is a row, sent by the worker.
OUTBOX_BATCH_SIZE = env_int("OUTBOX_BATCH_SIZE", 100)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 10)
# First retry after this many seconds, then twice as long each time (at most 6 hours).
OUTBOX_RETRY_SECONDS = env_int("OUTBOX_RETRY_SECONDS", 60)
# How long a worker may take over one batch before another may take its mails.
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 600)
OUTBOX_KEEP_DAYS = env_int("OUTBOX_KEEP_DAYS", 7)

# Comments: django-comments-xtd stores and threads them; comments/ screens them.
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MODEL = "comments.models.BlogComment"
COMMENTS_XTD_FORM_CLASS = "comments.forms.BlogCommentForm"
COMMENTS_MAX_DEPTH = env_int("COMMENTS_MAX_DEPTH", 5)
# xtd counts levels from 0: a depth of 5 is a comment and four levels of replies.
COMMENTS_XTD_MAX_THREAD_LEVEL = max(COMMENTS_MAX_DEPTH - 1, 0)
COMMENTS_XTD_CONFIRM_EMAIL = env_bool("COMMENTS_CONFIRM_EMAIL")
COMMENTS_XTD_FROM_EMAIL = DEFAULT_FROM_EMAIL
COMMENTS_XTD_CONTACT_EMAIL = DEFAULT_FROM_EMAIL
COMMENTS_XTD_SALT = b"serialblog-comments"
COMMENTS_XTD_SEND_HTML_EMAIL = False
# Mail goes through the outbox and the worker (core/outbox.py); no threads for xtd.
COMMENTS_XTD_THREADED_EMAILS = False
COMMENTS_MAX_LENGTH = env_int("COMMENTS_MAX_LENGTH", 5000)
# Paging as WordPress does it: top-level threads per page (0: one page), and which
# page a post's own URL shows, "newest" (the last) or "oldest" (the first).
COMMENTS_PER_PAGE = max(env_int("COMMENTS_PER_PAGE", 50), 0)
COMMENTS_DEFAULT_PAGE = env_str("COMMENTS_DEFAULT_PAGE", "newest").lower()
if COMMENTS_DEFAULT_PAGE not in ("newest", "oldest"):
    raise ImproperlyConfigured(
        f'COMMENTS_DEFAULT_PAGE must be "newest" or "oldest", not {COMMENTS_DEFAULT_PAGE!r}'
    )
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", 0)
COMMENTS_MAX_LINKS = env_int("COMMENTS_MAX_LINKS", 2)
COMMENTS_RATE_LIMIT = env_int("COMMENTS_RATE_LIMIT", 5)
COMMENTS_RATE_WINDOW_MINUTES = env_int("COMMENTS_RATE_WINDOW_MINUTES", 10)
COMMENTS_BLATANT_SPAM_DAYS = env_int("COMMENTS_BLATANT_SPAM_DAYS", 15)
# The worker re-checks "spam check pending" comments this often, waiting twice as
# long after each failed check of a comment (at most a day).
COMMENTS_RECHECK_MINUTES = env_int("COMMENTS_RECHECK_MINUTES", 10)
# The worker's daily purge erases commenters' IP addresses after this many days (0: keep).
COMMENTS_IP_RETENTION_DAYS = env_int("COMMENTS_IP_RETENTION_DAYS", 90)
# Where the comment form's "Learn how your comment data is processed" points.
COMMENTS_PRIVACY_URL = env_str("COMMENTS_PRIVACY_URL", "/privacy/")
# Who gets mail about new comments: "none", "held" or "all".
COMMENTS_NOTIFY_MODERATORS = env_str("COMMENTS_NOTIFY_MODERATORS", "held")
# How long the approve / spam / delete links in that mail keep working.
COMMENTS_MODERATION_LINK_DAYS = env_int("COMMENTS_MODERATION_LINK_DAYS", 7)


# Readers sign in to comment (readers/, django-allauth) with an account they have at
# a provider configured below; none is offered unless its variables are set.
# Staff never sign in or get their rights this way (readers/adapters.py).
def _provider_app(provider_id, name, client_id, secret, **app_settings):
    return {"provider_id": provider_id, "name": name, "client_id": client_id,
            "secret": secret, "settings": app_settings}  # fmt: skip


SOCIALACCOUNT_PROVIDERS = {}
if env_str("OIDC_SERVER_URL") and env_str("OIDC_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            _provider_app(
                env_str("OIDC_PROVIDER_ID", "oidc"),
                env_str("OIDC_NAME", "OpenID Connect"),
                env_str("OIDC_CLIENT_ID"),
                env_str("OIDC_CLIENT_SECRET"),
                server_url=env_str("OIDC_SERVER_URL").rstrip("/"),
            )
        ],
        "OAUTH_PKCE_ENABLED": True,
    }
if env_str("GITHUB_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["github"] = {
        "APPS": [
            _provider_app(
                "github", "GitHub", env_str("GITHUB_CLIENT_ID"), env_str("GITHUB_CLIENT_SECRET")
            )
        ],
        "SCOPE": ["read:user", "user:email"],
    }
if env_str("GOOGLE_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["google"] = {
        "APPS": [
            _provider_app(
                "google", "Google", env_str("GOOGLE_CLIENT_ID"), env_str("GOOGLE_CLIENT_SECRET")
            )
        ],
        "SCOPE": ["openid", "profile", "email"],
    }
for _provider, _app in SOCIALACCOUNT_PROVIDERS.items():
    if not _app["APPS"][0]["secret"]:
        raise ImproperlyConfigured(f"The {_provider} sign-in has a client id but no secret.")
# Where the "Continue" of a sign-in is redirected: the providers' sign-in pages, which the
# Content-Security-Policy's form-action must allow (browsers check a form's redirects).
SIGN_IN_ORIGINS = {
    "openid_connect": "{0.scheme}://{0.netloc}".format(urlsplit(env_str("OIDC_SERVER_URL"))),
    "github": "https://github.com",
    "google": "https://accounts.google.com",
}
SIGN_IN_ORIGINS = [SIGN_IN_ORIGINS[name] for name in SOCIALACCOUNT_PROVIDERS]
# Local reader accounts (email and password, the address verified by mail): off unless set.
READER_ACCOUNTS = env_bool("READER_ACCOUNTS")
ACCOUNT_ADAPTER = "readers.adapters.ReaderAccountAdapter"
SOCIALACCOUNT_ADAPTER = "readers.adapters.ReaderSocialAccountAdapter"
ACCOUNT_FORMS = {"login": "readers.forms.ReaderLoginForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = urlsplit(SITE_URL).scheme or "https"
# The provider vouches for the address; readers are not asked to confirm it again.
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False  # tokens are not needed after sign-in
# An existing account is never taken over by a provider that reports the same address.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
# Comment avatars: Gravatar only when enabled (it sends a hash of the address to a
# third party); otherwise the provider's picture or initials made here.
GRAVATAR = env_bool("GRAVATAR")

# Following by email (series app): a confirmation link lasts this many days; the
# worker mails notices in batches of this size; posts that went live longer ago
# than the window are never announced (imports, backdated posts); abuse limits
# per client address and per email address within the rate window.
FOLLOW_CONFIRM_DAYS = env_int("FOLLOW_CONFIRM_DAYS", 7)
FOLLOW_BATCH_SIZE = env_int("FOLLOW_BATCH_SIZE", 200)
FOLLOW_NOTICE_WINDOW_HOURS = env_int("FOLLOW_NOTICE_WINDOW_HOURS", 12)
FOLLOW_RATE_LIMIT_PER_IP = env_int("FOLLOW_RATE_LIMIT_PER_IP", 10)
FOLLOW_RATE_LIMIT_PER_ADDRESS = env_int("FOLLOW_RATE_LIMIT_PER_ADDRESS", 3)
FOLLOW_RATE_WINDOW_MINUTES = env_int("FOLLOW_RATE_WINDOW_MINUTES", 60)

# Likes (likes app). Anonymous readers may like too, by default: most readers of a
# blog never sign in, the cookie that remembers their like is set only when they
# click (a service they asked for), and a per-address limit bounds ballot stuffing.
LIKES_ANONYMOUS = env_bool("LIKES_ANONYMOUS", True)
# Likes make a post's cached page stale at most this often (readers' scripts fetch
# the live count meanwhile), so a popular post is not re-rendered on every click.
LIKES_REFRESH_SECONDS = env_int("LIKES_REFRESH_SECONDS", 10)
LIKES_RATE_LIMIT = env_int("LIKES_RATE_LIMIT", 30)  # per client address and hour

# Spam checking: Akismet when a key is set, the offline checker otherwise.
# Akismet's blog URL is SITE_URL.
AKISMET_API_KEY = env_str("AKISMET_API_KEY")
# Akismet is asked by the worker, never in a reader's request; each call waits at
# most AKISMET_TIMEOUT seconds, and after AKISMET_BREAKER_FAILURES failures in a row
# none is tried for AKISMET_BREAKER_SECONDS (comments wait for the recheck job).
AKISMET_TIMEOUT = env_float("AKISMET_TIMEOUT", 2)
AKISMET_BREAKER_FAILURES = env_int("AKISMET_BREAKER_FAILURES", 3)
AKISMET_BREAKER_SECONDS = env_int("AKISMET_BREAKER_SECONDS", 60)
SPAM_CHECKER = env_str(
    "SPAM_CHECKER",
    "comments.spam.AkismetChecker" if AKISMET_API_KEY else "comments.spam.OfflineChecker",
)

# Whole pages cached for anonymous readers (see core/page_cache.py).
PAGE_CACHE = env_bool("PAGE_CACHE", True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
# How long browsers and a CDN may reuse an anonymous page before revalidating.
PAGE_MAX_AGE = env_int("PAGE_MAX_AGE", 60)
# How long nginx's front cache (config/nginx-front-cache.conf) keeps an anonymous
# page: the bound on how late a change shows through it (0: nginx stores none).
FRONT_CACHE_SECONDS = env_int("FRONT_CACHE_SECONDS", 1)

# Blog behaviour
POSTS_PER_PAGE = env_int("POSTS_PER_PAGE", 10)
# Postgres text-search configuration (language) for the search vector and queries.
SEARCH_CONFIG = env_str("SEARCH_LANGUAGE", "english")
# Feeds carry the whole post, or only its excerpt.
FEED_FULL_CONTENT = env_bool("FEED_FULL_CONTENT", True)
FEED_ITEMS = env_int("FEED_ITEMS", 20)
# What one record (item, author, term) of a WordPress export may hold before
# import_wxr refuses the file (wordpress/limits.py): its memory stays bounded.
WXR_MAX_DEPTH = env_int("WXR_MAX_DEPTH", 64)
WXR_MAX_ELEMENTS = env_int("WXR_MAX_ELEMENTS", 100_000)
WXR_MAX_ITEM_BYTES = env_int("WXR_MAX_ITEM_BYTES", 10 * 1024 * 1024)
# import_wxr --fetch-media: seconds to connect and between bytes of one download
# (each file is also held to MAX_IMAGE_UPLOAD_MB).
WXR_MEDIA_TIMEOUT = env_float("WXR_MEDIA_TIMEOUT", 10)


# The rich-text editor: our own extensions beside django-prose-editor's. They add
# behaviour, no markup of their own (html_tags([])): the sanitiser decides what is stored.
# - FigureExit: Enter in a figure's caption starts a paragraph after it (static/desk/).
# - ImageUpload: upload images by button, drop or paste (static/blog/editor/).
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {"js": [static_lazy("desk/figure-exit.js")], "extensions": {"FigureExit": html_tags([])}},
    {
        "js": [static_lazy("blog/editor/image-upload.js")],
        "extensions": {"ImageUpload": html_tags([])},
    },
]

# Security: production defaults, relaxed only where DEBUG or the variables say.
# The proxies in front (addresses or networks): only their X-Forwarded-For and
# X-Forwarded-Proto count (core/client_address.py, core/forwarded_headers.py). None by
# default: then both headers are ignored and REMOTE_ADDR is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES holds {_proxy!r}, which is not an address or network"
        ) from exc
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache and written through to the database: a signed-in
# request costs no session query. A commenter's own comment ids live in a signed cookie
# of their own (comments/thread.py), which page caches treat as personal.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
OWN_COMMENTS_COOKIE_NAME = "own_comments"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# No inline or foreign scripts on reader pages. The admin is left out: its rich-text
# editor loads through an inline import map; it is staff-only and escapes everything.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "https:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'", *SIGN_IN_ORIGINS],
        "frame-ancestors": ["'none'"],
    },
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in ("accelerometer", "camera", "geolocation", "gyroscope", "microphone",
                    "payment", "usb", "interest-cohort")
}  # fmt: skip

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        # Moderation and privacy actions as JSON lines: who did what to which comment.
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "client_ip": {"()": "core.client_address.ClientAddressFilter"},
        # One traceback (and one error mail) per kind of failure per interval.
        "repeated_failures": {
            "()": "core.log_throttle.RepeatedFailureFilter",
            "interval": env_int("LOG_REPEAT_INTERVAL", 60),
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "audit": {"class": "logging.StreamHandler", "formatter": "json"},
        # Error reports to ADMINS, as Django sends them, but through the outbox: a
        # failing request never waits for a mail server.
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false"],
            "level": "ERROR",
            "email_backend": "core.outbox.OutboxBackend",
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Each line with the address of the request that did it (none from the worker).
        "comments.audit": {
            "handlers": ["audit"],
            "filters": ["client_ip"],
            "level": "INFO",
            "propagate": False,
        },
        # Where a failing request's traceback is logged (and mailed to ADMINS).
        "django.request": {"filters": ["repeated_failures"]},
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        # Given a handler here, `run_huey` adds no second one (each line logged once).
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
