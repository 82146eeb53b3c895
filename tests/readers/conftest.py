import re
from html import unescape
from urllib.parse import urlsplit

import httpx
import pytest

from tests.readers import oidc_provider

PROVIDER_ID = "local"


@pytest.fixture
def oidc(settings):
    """A local OpenID Connect provider, running, and the blog configured for it as the
    OIDC_* variables would configure it."""
    with oidc_provider.configured(settings, PROVIDER_ID) as provider:
        yield provider


def sign_in_link(html):
    """The comment box's link to the local provider's sign-in."""
    match = re.search(r'<a class="sign-in-provider" href="([^"]+)"[^>]*>Local ID</a>', html)
    assert match, "no sign-in link for the local provider"
    return unescape(match.group(1))


def sign_in(client, post, provider, link=None):
    """A reader's whole sign-in, as a browser would go through it: the post's link (or
    `link`), allauth's Continue button, the provider's "Sign in as Ada", back to the
    blog. Returns the blog's last answer (the redirect back to the post)."""
    if link is None:
        link = sign_in_link(client.get(post.get_absolute_url()).content.decode())
    assert client.get(link).status_code == 200  # "Sign in via Local ID: Continue"
    to_provider = client.post(link)
    assert to_provider.status_code == 302
    authorize = to_provider["Location"]
    assert authorize.startswith(provider.url + "/authorize?")
    with httpx.Client() as browser:
        consent = browser.get(authorize)
        assert "Sign in as Ada" in consent.text
        fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', consent.text))
        fields = {name: unescape(value) for name, value in fields.items()}
        back = browser.post(provider.url + "/authorize", data=fields)
    assert back.status_code == 302
    callback = urlsplit(back.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")
