"""Docker does not run here, so the compose file's wiring is checked as text."""

import re

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
    for name in ("db", "redis", "web"):
        assert SERVICES[name]["healthcheck"]["test"], name
    depends = SERVICES["web"]["depends_on"]
    assert depends["db"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"
    assert "/healthz" in " ".join(SERVICES["web"]["healthcheck"]["test"])


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
    for name in SERVICES["web"]["environment"]:
        assert f"`{name}`" in readme, name


def test_every_setting_read_from_the_environment_is_documented():
    settings_source = (ROOT / "config" / "settings.py").read_text()
    readme = (ROOT / "README.md").read_text()
    names = set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z_]+)"', settings_source))
    assert names, "no variables found"
    for name in sorted(names):
        assert f"`{name}`" in readme, name


def test_dockerfile_runs_gunicorn_after_migrating():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "gunicorn config.wsgi" in dockerfile
    assert "migrate --noinput" in dockerfile
    assert "collectstatic" in dockerfile


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
