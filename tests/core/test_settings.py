"""Configuration from the environment, checked in fresh processes."""

import os
import subprocess
import sys

import pytest

from tests import ROOT

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "SITE_URL": "https://blog.example.org",
    "ALLOWED_HOSTS": "blog.example.org",
    "SECURE_SSL_REDIRECT": "1",
}


def manage(*args, env):
    # The parent's test-only variables must not leak into a "production" process.
    leaks = {
        "DEBUG",
        "SECRET_KEY",
        "SECURE_SSL_REDIRECT",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "BENCH_TOOLS",
    }
    clean = {k: v for k, v in os.environ.items() if k not in leaks}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_bad_number_in_a_variable_is_reported_clearly():
    result = manage("check", env={**PRODUCTION, "EMAIL_PORT": "twenty-five"})
    assert result.returncode != 0
    assert "EMAIL_PORT must be a whole number" in result.stderr


def test_no_missing_migrations():
    result = manage("makemigrations", "--check", "--dry-run", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_benchmark_app_is_installed_only_when_asked():
    code = "from django.conf import settings; print('bench' in settings.INSTALLED_APPS)"
    production = manage("shell", "--no-imports", "-c", code, env=PRODUCTION)
    asked = manage("shell", "--no-imports", "-c", code, env={**PRODUCTION, "BENCH_TOOLS": "1"})
    assert (production.stdout.strip(), asked.stdout.strip()) == ("False", "True"), (
        production.stderr + asked.stderr
    )


def test_settings_follow_the_environment():
    code = (
        "from django.conf import settings as s;"
        "print(s.ALLOWED_HOSTS, s.CACHES['default']['BACKEND'], s.DATABASES['default']['ENGINE'],"
        " s.TIME_ZONE, s.SITE_NAME)"
    )
    env = {
        **PRODUCTION,
        "ALLOWED_HOSTS": "a.example, b.example",
        "REDIS_URL": "redis://127.0.0.1:6379/3",
        "DATABASE_URL": "postgres://u:p@db:5432/blog",
        "TIME_ZONE": "Europe/Berlin",
        "SITE_NAME": "Platt Perspective",
    }
    result = manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "['a.example', 'b.example'] django_redis.cache.RedisCache "
        "django.db.backends.postgresql Europe/Berlin Platt Perspective"
    )


@pytest.mark.parametrize("secret", ["", "   "])
def test_debug_without_a_key_gets_a_random_one_not_a_literal(secret):
    code = "from django.conf import settings; print(len(settings.SECRET_KEY))"
    first = manage("shell", "--no-imports", "-c", code, env={"DEBUG": "1", "SECRET_KEY": secret})
    assert first.returncode == 0, first.stderr
    assert int(first.stdout) >= 50


def test_email_file_path_writes_each_mail_to_a_file(tmp_path):
    code = (
        "from django.core.mail import EmailMessage;"
        "EmailMessage('Part 23 is out', 'Read it.', to=['reader@example.com']).send()"
    )
    result = manage(
        "shell", "--no-imports", "-c", code, env={**PRODUCTION, "EMAIL_FILE_PATH": str(tmp_path)}
    )
    assert result.returncode == 0, result.stderr
    (written,) = tmp_path.iterdir()
    text = written.read_text()
    assert "Subject: Part 23 is out" in text and "To: reader@example.com" in text


def test_the_task_queue_is_sqlite_by_default_and_redis_when_asked():
    code = (
        "from huey.contrib.djhuey import HUEY;print(type(HUEY).__name__, HUEY.immediate, HUEY.name)"
    )
    default = manage("shell", "--no-imports", "-c", code, env=PRODUCTION)
    redis = manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        env={**PRODUCTION, "TASK_QUEUE_URL": "redis://127.0.0.1:6379/1", "TASK_QUEUE_NAME": "b2"},
    )
    assert default.stdout.split() == ["SqliteHuey", "False", "blog"], default.stderr
    assert redis.stdout.split() == ["RedisHuey", "False", "b2"], redis.stderr


def test_forwarding_headers_are_trusted_only_with_a_proxy_configured():
    code = (
        "from django.conf import settings as s; print(s.TRUSTED_PROXIES, s.SECURE_PROXY_SSL_HEADER)"
    )
    alone = manage("shell", "--no-imports", "-c", code, env=PRODUCTION)
    proxied = {**PRODUCTION, "TRUSTED_PROXIES": "127.0.0.1, 172.31.240.0/24"}
    behind = manage("shell", "--no-imports", "-c", code, env=proxied)
    assert alone.stdout.strip() == "[] None", alone.stderr
    assert behind.stdout.strip() == (
        "['127.0.0.1', '172.31.240.0/24'] ('HTTP_X_FORWARDED_PROTO', 'https')"
    ), behind.stderr
    wrong = manage("check", env={**PRODUCTION, "TRUSTED_PROXIES": "nginx"})
    assert wrong.returncode != 0
    assert "TRUSTED_PROXIES holds 'nginx', which is not an address or network" in wrong.stderr
