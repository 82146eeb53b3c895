"""A tiny OpenID Connect provider for the tests: http.server in a thread, no internet.

It serves what a real provider serves to allauth's `openid_connect` provider and checks
what a real one checks: the discovery document, /authorize (a page with a "Sign in as
Ada" button, then a redirect with a code and the state), /token (the client's id and
secret, the redirect_uri the code was issued for, PKCE's code_verifier, and the nonce
carried into an RS256-signed id_token), /userinfo (the bearer token) and /jwks.
"""

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

ADA = {
    "sub": "ada-1815",
    "name": "Ada Lovelace",
    "given_name": "Ada",
    "family_name": "Lovelace",
    "preferred_username": "ada",
    "email": "ada@example.org",
    "email_verified": True,
    "picture": "https://avatars.example.org/ada.png",
}


@dataclass
class Provider:
    client_id: str = "blog-client"
    client_secret: str = "blog-secret"
    person: dict = field(default_factory=lambda: dict(ADA))
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "k1"}))
    codes: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)
    refusals: list = field(default_factory=list)  # what it turned down, for the tests
    url: str = ""

    def discovery(self):
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "profile", "email"],
        }

    def id_token(self, nonce):
        now = int(time.time())
        claims = {
            **{k: v for k, v in self.person.items() if k in ("sub", "name", "email")},
            "iss": self.url,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
        }
        if nonce:
            claims["nonce"] = nonce
        return jwt.encode({"alg": "RS256", "kid": "k1"}, claims, self.key)


class Handler(BaseHTTPRequestHandler):
    provider: Provider

    def log_message(self, *args):
        pass  # quiet tests

    def send(self, status, body, content_type="application/json", headers=()):
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def refuse(self, why, status=400):
        self.provider.refusals.append(why)
        self.send(status, {"error": "invalid_request", "error_description": why})

    def do_GET(self):
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path == "/.well-known/openid-configuration":
            return self.send(200, self.provider.discovery())
        if parts.path == "/jwks":
            return self.send(200, {"keys": [self.provider.key.as_dict(private=False)]})
        if parts.path == "/authorize":
            return self.authorize_page(query)
        if parts.path == "/userinfo":
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            if token not in self.provider.tokens:
                return self.refuse("unknown access token", 401)
            return self.send(200, self.provider.person)
        return self.send(404, {"error": "not_found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if self.path == "/authorize":
            return self.grant(form)
        if self.path == "/token":
            return self.token(form)
        return self.send(404, {"error": "not_found"})

    def authorize_page(self, query):
        provider = self.provider
        if query.get("client_id") != provider.client_id:
            return self.refuse("unknown client_id")
        if query.get("response_type") != "code" or "openid" not in query.get("scope", ""):
            return self.refuse("response_type code and scope openid expected")
        if not query.get("state") or not query.get("redirect_uri"):
            return self.refuse("state and redirect_uri expected")
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in query.items()
        )
        who = html.escape(provider.person.get("given_name", "Ada"))
        page = (
            "<!DOCTYPE html><html lang=en><title>Local provider</title>"
            f'<form method="post" action="/authorize">{hidden}'
            f"<button>Sign in as {who}</button></form>"
        )
        return self.send(200, page, "text/html; charset=utf-8")

    def grant(self, form):
        code = secrets.token_urlsafe(16)
        self.provider.codes[code] = form
        location = f"{form['redirect_uri']}?{urlencode({'code': code, 'state': form['state']})}"
        return self.send(302, "", "text/plain", headers=[("Location", location)])

    def token(self, form):
        provider = self.provider
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if auth := self.headers.get("Authorization", ""):
            client_id, _, secret = base64.b64decode(auth.split()[-1]).decode().partition(":")
        if (client_id, secret) != (provider.client_id, provider.client_secret):
            return self.refuse("wrong client credentials", 401)
        asked = provider.codes.pop(form.get("code", ""), None)
        if asked is None or form.get("grant_type") != "authorization_code":
            return self.refuse("unknown or used code")
        if form.get("redirect_uri") != asked["redirect_uri"]:
            return self.refuse("redirect_uri differs from the authorization request's")
        if challenge := asked.get("code_challenge"):
            verifier = form.get("code_verifier", "")
            digest = hashlib.sha256(verifier.encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != challenge:
                return self.refuse("PKCE code_verifier does not match")
        access_token = secrets.token_urlsafe(16)
        provider.tokens[access_token] = asked
        return self.send(
            200,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": provider.id_token(asked.get("nonce")),
            },
        )


def start(provider=None):
    """(provider, stop): a running provider on a free port of 127.0.0.1."""
    provider = provider or Provider()
    handler = type("BoundHandler", (Handler,), {"provider": provider})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    provider.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()

    return provider, stop


def provider_settings(provider, provider_id="local", name="Local ID"):
    """SOCIALACCOUNT_PROVIDERS as the OIDC_* variables would make it, for `provider`."""
    app = {
        "provider_id": provider_id,
        "name": name,
        "client_id": provider.client_id,
        "secret": provider.client_secret,
        "settings": {"server_url": provider.url},
    }
    return {"openid_connect": {"APPS": [app], "OAUTH_PKCE_ENABLED": True}}


@contextmanager
def configured(settings, provider_id="local"):
    """A running provider, and the blog's settings as the OIDC_* variables would make
    them for it (its sign-in page allowed by the CSP's form-action, as settings.py does)."""
    provider, stop = start()
    settings.SOCIALACCOUNT_PROVIDERS = provider_settings(provider, provider_id)
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {**policy["DIRECTIVES"], "form-action": ["'self'", provider.url]}
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    try:
        yield provider
    finally:
        stop()
