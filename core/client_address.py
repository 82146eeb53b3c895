"""The client's address: one answer for lockouts, rate limits, spam checks and records.

REMOTE_ADDR is the peer that connected. Only when that peer is one of the proxies
named in TRUSTED_PROXIES is X-Forwarded-For read, right to left: each trusted proxy
appended the address it saw, so the first address from the right that no trusted
proxy vouches for is the client. Whatever a client wrote further left is ignored, and
without a configured proxy the header changes nothing.

Networks, not a hop count: a count trusts whatever sits N places from the right, even
on a request that came past the proxy instead of through it."""

import ipaddress
import logging
from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings

# The address of the request being answered, for log lines written deep inside it
# (set by core/forwarded_headers.py; None in the worker and commands).
current_client_ip = ContextVar("current_client_ip", default=None)


@lru_cache(maxsize=16)
def networks_of(names):
    return tuple(ipaddress.ip_network(str(name).strip(), strict=False) for name in names)


def trusted_networks():
    return networks_of(tuple(settings.TRUSTED_PROXIES))


def parse_address(text):
    """An IP address from a header entry ("203.0.113.7", "[2001:db8::1]:443",
    "203.0.113.7:51234"), or None for anything else ("unknown", garbage)."""
    text = (text or "").strip()
    if text.startswith("[") and "]" in text:  # [IPv6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # IPv4:port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped  # ::ffff:203.0.113.7 is 203.0.113.7
    return address


def is_trusted_proxy(address, networks=None):
    """Whether `address` (text or an ip_address) is one of TRUSTED_PROXIES."""
    networks = trusted_networks() if networks is None else networks
    if not networks:
        return False
    if isinstance(address, str | None):
        address = parse_address(address)
    return address is not None and any(address in network for network in networks)


def client_ip(request):
    """The address of the client that sent `request`, as text, or None when unknown.
    Axes calls it too (AXES_CLIENT_IP_CALLABLE)."""
    meta = getattr(request, "META", {})
    peer = meta.get("REMOTE_ADDR") or None
    networks = trusted_networks()
    if peer is None or not is_trusted_proxy(peer, networks):
        return peer
    client = parse_address(peer)
    for hop in reversed(meta.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        if not hop.strip():
            continue
        address = parse_address(hop)
        if address is None:
            return peer  # a trusted proxy passed on garbage: the proxy is all we know
        client = address
        if not is_trusted_proxy(address, networks):
            break
    return str(client)


class ClientAddressFilter(logging.Filter):
    """Puts the address of the request being answered on each record (`client_ip`),
    so the audit log says where a moderation or privacy action came from."""

    def filter(self, record):
        address = current_client_ip.get()
        if address and not hasattr(record, "client_ip"):
            record.client_ip = address
        return True
