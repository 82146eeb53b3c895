"""Docker does not run here, so the compose file's wiring is checked as text."""

import re
from urllib.parse import urlsplit

import yaml

from tests import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_services_and_volumes():
    assert {"db", "web", "redis"} <= set(SERVICES)
    assert SERVICES["db"]["image"].startswith("postgres:")
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["db"]["volumes"]
    assert {"pgdata", "media"} <= set(COMPOSE["volumes"])
    assert any(v.startswith("media:") for v in SERVICES["web"]["volumes"])


def test_every_service_has_a_healthcheck_and_web_waits_for_them():
    for name in ("db", "redis", "web", "worker"):
        assert SERVICES[name]["healthcheck"]["test"], name
    depends = SERVICES["web"]["depends_on"]
    assert depends["db"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"
    assert "/healthz" in " ".join(SERVICES["web"]["healthcheck"]["test"])


def test_every_service_the_settings_need_is_started_with_a_healthcheck():
    """Each host the web and the worker are pointed at is a service of this file that
    starts with them (no profile) and has a healthcheck they wait for."""
    for app in ("web", "worker"):
        env = SERVICES[app]["environment"]
        urls = [env[name] for name in ("DATABASE_URL", "REDIS_URL", "TASK_QUEUE_URL")]
        # ${POSTGRES_PASSWORD:?...} would read as part of the host.
        hosts = {urlsplit(re.sub(r"\$\{[^}]*\}", "x", url)).hostname for url in urls}
        assert hosts == {"db", "redis"}, app
        for host in hosts:
            assert "profiles" not in SERVICES[host] and SERVICES[host]["healthcheck"]["test"]
            assert SERVICES[app]["depends_on"][host]["condition"] == "service_healthy"
    # Queued tasks outlive a restart of Redis.
    assert "--appendonly" in SERVICES["redis"]["command"]
    assert any(v.startswith("redisdata:") for v in SERVICES["redis"]["volumes"])


def test_a_worker_consumes_the_redis_queue_the_web_fills():
    worker, web = SERVICES["worker"], SERVICES["web"]
    assert worker["command"] == ["python", "manage.py", "run_huey"]
    assert worker["environment"]["TASK_QUEUE_URL"] == web["environment"]["TASK_QUEUE_URL"]
    assert web["environment"]["TASK_QUEUE_URL"].startswith("redis://redis:")
    # Not the cache's database: flushing the cache must not drop queued tasks.
    assert web["environment"]["TASK_QUEUE_URL"] != web["environment"]["REDIS_URL"]
    assert "TASKS_IMMEDIATE" not in web["environment"]
    # Its healthcheck reads the heartbeat file its periodic task touches.
    heartbeat = worker["environment"]["WORKER_HEARTBEAT_FILE"]
    assert heartbeat in " ".join(worker["healthcheck"]["test"])
    assert worker["restart"] == "unless-stopped"


def test_migrations_run_once_before_web_and_worker_start():
    migrate = SERVICES["migrate"]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    assert migrate["environment"] == SERVICES["web"]["environment"] | {
        k: v for k, v in migrate["environment"].items() if k not in SERVICES["web"]["environment"]
    }
    for app in ("web", "worker"):
        assert SERVICES[app]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
    # One image for the three.
    assert {SERVICES[name]["image"] for name in ("migrate", "web", "worker")} == {"serialblog"}


def test_web_gets_every_variable_production_requires():
    env = SERVICES["web"]["environment"]
    for name in ("DATABASE_URL", "SECRET_KEY", "SITE_URL", "ALLOWED_HOSTS", "REDIS_URL"):
        assert env.get(name), name
    assert env["DEBUG"] == "0"
    assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
    # Secrets are required from the environment, never written into the file.
    assert env["SECRET_KEY"] == "${SECRET_KEY:?set SECRET_KEY}"
    assert "${POSTGRES_PASSWORD:?" in SERVICES["db"]["environment"]["POSTGRES_PASSWORD"]


def test_every_variable_in_compose_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for name in {**SERVICES["web"]["environment"], **SERVICES["worker"]["environment"]}:
        assert f"`{name}`" in readme, name


def test_every_setting_read_from_the_environment_is_documented():
    settings_source = (ROOT / "config" / "settings.py").read_text()
    readme = (ROOT / "README.md").read_text()
    names = set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z_]+)"', settings_source))
    assert names, "no variables found"
    for name in sorted(names):
        assert f"`{name}`" in readme, name


def test_dockerfile_runs_gunicorn_and_never_migrates():
    """Four web replicas starting at once would race four migrations."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = next(line for line in dockerfile.splitlines() if line.startswith("CMD"))
    assert "gunicorn config.wsgi" in cmd and "migrate" not in cmd
    assert "collectstatic" in dockerfile


def test_the_image_installs_the_lock_with_hashes():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-cache-dir --require-hashes -r requirements.lock" in dockerfile
    assert "pyproject.toml" not in dockerfile


def test_scaled_profile_puts_nginx_in_front_of_the_web_replicas():
    nginx = SERVICES["nginx"]
    assert nginx["profiles"] == ["scaled"]
    assert nginx["depends_on"]["web"]["condition"] == "service_healthy"
    assert "./config/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in nginx["volumes"]
    config = (ROOT / "config" / "nginx.conf").read_text()
    assert "server web:8000;" in config and "proxy_pass http://blog;" in config
    # Replicas each take a host port from a range, so scaling does not collide.
    assert SERVICES["web"]["ports"] == ["${WEB_PORTS:-8000}:8000"]
    # Sessions and cache live in Postgres and Redis, so replicas share state.
    assert SERVICES["web"]["environment"]["REDIS_URL"].startswith("redis://redis:")


def test_scaled_nginx_caches_anonymous_pages_in_front_of_the_replicas():
    nginx = SERVICES["nginx"]
    rules_mount = "./config/nginx-front-cache.conf:/etc/nginx/snippets/blog-front-cache.conf:ro"
    assert rules_mount in nginx["volumes"]
    for name in ("nginx.conf", "nginx-standalone.conf"):
        config = (ROOT / "config" / name).read_text()
        assert re.search(r"proxy_cache_path \S+ .*keys_zone=blog_pages:", config), name
        assert "include /etc/nginx/snippets/blog-front-cache.conf;" in config, name
        # The author's, the moderators' and the commenters' requests are never stored.
        for location in ("/admin/", "/comments/"):
            block = re.search(rf"location {location} {{(.*?)}}", config, re.S).group(1)
            assert "proxy_cache off;" in block, (name, location)
        # The Host with its port, the client appended to X-Forwarded-For, and a
        # scheme only a TLS terminator on a private network may set (else $scheme).
        assert "proxy_set_header Host $http_host;" in config, name
        assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in config
        assert "proxy_set_header X-Forwarded-Proto $blog_scheme;" in config, name
        assert "$http_x_forwarded_proto;" not in config, name
        assert re.search(r"default \$scheme;", config), name


def test_the_web_trusts_forwarding_headers_from_the_compose_network_only():
    network = COMPOSE["networks"]["default"]["ipam"]["config"][0]["subnet"]
    for app in ("web", "worker", "migrate"):
        proxies = SERVICES[app]["environment"]["TRUSTED_PROXIES"]
        assert proxies == f"${{TRUSTED_PROXIES:-{network}}}", app
    # gunicorn leaves X-Forwarded-Proto to the app: one place decides whom to trust.
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = next(line for line in dockerfile.splitlines() if line.startswith("CMD"))
    assert "--forwarded-allow-ips= " in cmd


def test_the_front_cache_rules():
    rules = (ROOT / "config" / "nginx-front-cache.conf").read_text()
    directives = {
        line.split(None, 1)[0]: line.split(None, 1)[1]
        for line in re.sub(r"\n\s+", " ", rules).splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert directives["proxy_cache"] == "blog_pages;"
    for name in ("proxy_cache_bypass", "proxy_no_cache"):
        assert {
            "$cookie_sessionid",
            "$cookie_csrftoken",
            "$cookie_messages",
            "$cookie_own_comments",
        } <= set(directives[name].rstrip(";").split()), name
    assert "$upstream_http_set_cookie" in directives["proxy_no_cache"]
    assert directives["proxy_cache_lock"] == "on;"
    assert directives["proxy_cache_use_stale"] == "updating error timeout;"
    # No error kept beyond a second; pages only as long as the app's X-Accel-Expires.
    assert directives["proxy_cache_valid"] == "404 410 1s;"
    assert "proxy_cache_methods" not in directives  # nginx's default: GET and HEAD only
    assert "proxy_ignore_headers" not in directives  # Cache-Control: private is honoured
    assert "X-Cache-Status $upstream_cache_status" in directives["add_header"]
    assert directives["tcp_nopush"] == "off;"
