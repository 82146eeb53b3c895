"""Sign-in providers come from the environment only, each when its variables are set."""

import json

from tests.core.test_settings import PRODUCTION, manage

SHOW = (
    "import json; from django.conf import settings as s;"
    "print(json.dumps({'providers': s.SOCIALACCOUNT_PROVIDERS,"
    " 'form_action': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'],"
    " 'reader_accounts': s.READER_ACCOUNTS, 'gravatar': s.GRAVATAR}))"
)


def settings_with(**env):
    result = manage("shell", "--no-imports", "-c", SHOW, env={**PRODUCTION, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_nothing_is_enabled_by_default():
    assert settings_with() == {
        "providers": {},
        "form_action": ["'self'"],
        "reader_accounts": False,
        "gravatar": False,
    }


def test_each_provider_from_its_variables():
    found = settings_with(
        OIDC_SERVER_URL="https://id.example.net/realms/blog/",
        OIDC_CLIENT_ID="blog",
        OIDC_CLIENT_SECRET="s1",
        OIDC_NAME="Example ID",
        GITHUB_CLIENT_ID="gh",
        GITHUB_CLIENT_SECRET="s2",
        GOOGLE_CLIENT_ID="go",
        GOOGLE_CLIENT_SECRET="s3",
    )
    [oidc] = found["providers"]["openid_connect"]["APPS"]
    assert oidc == {
        "provider_id": "oidc",
        "name": "Example ID",
        "client_id": "blog",
        "secret": "s1",
        "settings": {"server_url": "https://id.example.net/realms/blog"},
    }
    assert found["providers"]["github"]["APPS"][0]["client_id"] == "gh"
    assert found["providers"]["google"]["APPS"][0]["secret"] == "s3"
    assert found["form_action"] == [
        "'self'",
        "https://id.example.net",
        "https://github.com",
        "https://accounts.google.com",
    ]


def test_a_client_id_without_its_secret_stops_the_start():
    result = manage("check", env={**PRODUCTION, "GITHUB_CLIENT_ID": "gh"})
    assert result.returncode != 0
    assert "The github sign-in has a client id but no secret." in result.stderr
