"""One client address (core/client_address.py): X-Forwarded-For and X-Forwarded-Proto
count only when the peer is one of TRUSTED_PROXIES."""

import ipaddress

import pytest
from django.test import RequestFactory, override_settings
from hypothesis import given
from hypothesis import strategies as st

from core.client_address import client_ip
from core.forwarded_headers import ForwardedHeadersMiddleware
from tests.factories import PostFactory

PROXY = "10.0.0.5"
CLIENT = "203.0.113.7"


def request_from(peer, forwarded_for=None, **meta):
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", REMOTE_ADDR=peer, **meta)


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "2001:db8:aa::/48"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    return settings


def test_without_a_configured_proxy_the_header_changes_nothing(settings):
    assert settings.TRUSTED_PROXIES == []  # none by default
    assert client_ip(request_from(CLIENT, "198.51.100.1")) == CLIENT
    assert client_ip(request_from(PROXY, CLIENT)) == PROXY


def test_a_peer_that_is_not_a_trusted_proxy_is_the_client(behind_proxy):
    assert client_ip(request_from("198.51.100.9", CLIENT)) == "198.51.100.9"


def test_behind_the_proxy_the_right_most_untrusted_hop_is_the_client(behind_proxy):
    assert client_ip(request_from(PROXY, CLIENT)) == CLIENT
    # Whatever the client wrote itself stays to the left of what the proxy appended.
    assert client_ip(request_from(PROXY, f"1.1.1.1, 192.0.2.44, {CLIENT}")) == CLIENT


def test_several_trusted_hops_are_skipped(behind_proxy):
    chain = f"192.0.2.1, {CLIENT}, 10.0.0.9, 10.0.0.8"
    assert client_ip(request_from(PROXY, chain)) == CLIENT
    # A request from inside the trusted network: the furthest address known.
    assert client_ip(request_from(PROXY, "10.0.0.9, 10.0.0.8")) == "10.0.0.9"
    assert client_ip(request_from(PROXY)) == PROXY
    assert client_ip(request_from(PROXY, "")) == PROXY


@pytest.mark.parametrize(
    "chain", ["unknown", f"{CLIENT}, not-an-address", "999.1.1.1", "<script>", f"{CLIENT},,x"]
)
def test_garbage_from_the_proxy_falls_back_to_the_peer(behind_proxy, chain):
    assert client_ip(request_from(PROXY, chain)) == PROXY


def test_ports_brackets_and_ipv6(behind_proxy):
    assert client_ip(request_from(PROXY, f"{CLIENT}:51234")) == CLIENT
    assert client_ip(request_from(PROXY, "[2001:db8::7]:443")) == "2001:db8::7"
    assert client_ip(request_from(PROXY, "2001:DB8::7")) == "2001:db8::7"
    assert client_ip(request_from("2001:db8:aa::1", f"{CLIENT}, 2001:db8:aa::2")) == CLIENT
    assert client_ip(request_from(PROXY, f"::ffff:{CLIENT}")) == CLIENT


def test_no_address_at_all(behind_proxy):
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="")) is None
    assert client_ip(object()) is None  # axes may pass something without META


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
@given(
    chain=st.lists(st.one_of(st.ip_addresses().map(str), st.text(max_size=20)), max_size=6).map(
        ", ".join
    )
)
def test_any_header_gives_an_address_and_never_raises(chain):
    found = client_ip(request_from(PROXY, chain))
    ipaddress.ip_address(found)  # always a valid address, never the raw header


@pytest.mark.django_db
def test_forwarded_proto_without_a_proxy_makes_nothing_https(client, settings):
    settings.FEED_ITEMS = 1
    PostFactory(title="Poisoned feed?")
    spoofed = client.get("/feed/", HTTP_X_FORWARDED_PROTO="https")
    plain = client.get("/feed/")
    for response in (spoofed, plain):
        assert response.status_code == 200
        assert b"https://" not in response.content
        assert b"<link>http://" in response.content
    assert settings.SECURE_PROXY_SSL_HEADER is None


@pytest.mark.django_db
def test_forwarded_proto_from_a_trusted_proxy_only(client, behind_proxy):
    """Behind the proxy its X-Forwarded-Proto decides; the same header sent to the app
    directly is dropped (core/forwarded_headers.py), and neither answer is cached for
    the other scheme."""
    PostFactory(title="Two schemes")
    through_proxy = client.get("/feed/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")
    direct = client.get("/feed/", REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_PROTO="https")
    plain_through_proxy = client.get("/feed/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="http")
    assert b"<link>https://" in through_proxy.content
    assert b"https://" not in direct.content
    assert b"https://" not in plain_through_proxy.content


def test_forwarding_headers_from_anyone_else_are_dropped(behind_proxy):
    seen = {}

    def view(request):
        seen.update(request.META)

    headers = {
        "HTTP_X_FORWARDED_FOR": "192.0.2.1",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_X_FORWARDED_HOST": "evil.example",
        "HTTP_FORWARDED": "for=192.0.2.1;proto=https",
        "HTTP_X_REAL_IP": "192.0.2.1",
    }
    middleware = ForwardedHeadersMiddleware(view)
    middleware(RequestFactory().get("/", REMOTE_ADDR=CLIENT, **headers))
    assert not set(headers) & set(seen)
    middleware(RequestFactory().get("/", REMOTE_ADDR=PROXY, **headers))
    assert set(headers) <= set(seen)
