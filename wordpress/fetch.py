"""Download an attachment from the old site, refusing what could hurt this one.

Only HTTP(S); the host is resolved and every address checked (no private,
loopback, link-local or reserved address: an export could point the server at
its own network), again at each redirect hop, which is followed by hand. The
body is read in chunks up to a size limit, its type must be an image, and Pillow
must read it. The connection goes to the address that was checked, not to a
second lookup. `allowed_hosts` names hosts let through anyway (the tests' local
server): by name, so a redirect from an allowed host to another private address
is still refused.
"""

import ipaddress
import socket
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from .media_files import NotAnImage, check_image

CONTENT_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
MAX_REDIRECTS = 5
CHUNK = 64 * 1024


class Refused(Exception):
    """Why an attachment was not downloaded, in words for the summary."""


@dataclass
class Fetcher:
    max_bytes: int
    timeout: float = 10.0
    allowed_hosts: set[str] = field(default_factory=set)

    def fetch(self, url):
        """The bytes of the image at `url`, or Refused with the reason."""
        with httpx.Client(timeout=self.timeout, follow_redirects=False) as client:
            for _ in range(MAX_REDIRECTS + 1):
                address = self.check_address(url)
                target, headers, extensions = pinned(url, address)
                with client.stream(
                    "GET", target, headers=headers, extensions=extensions
                ) as response:
                    if response.is_redirect:
                        url = urljoin(url, response.headers.get("location", ""))
                        continue
                    return self.read(response)
        raise Refused(f"more than {MAX_REDIRECTS} redirects")

    def check_address(self, url):
        """The address to connect to, checked unless the host is allowed by name."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise Refused(f"not an HTTP(S) address: {url[:200]}")
        host = parts.hostname or ""
        if not host:
            raise Refused(f"no host in {url[:200]}")
        try:
            infos = socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise Refused(f"host {host} not found ({exc})") from None
        addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
        if host not in self.allowed_hosts:
            for address in addresses:
                if not address.is_global or address.is_multicast:
                    raise Refused(f"{host} is a private address ({address}); not fetched")
        return addresses[0]

    def read(self, response):
        if response.status_code != 200:
            raise Refused(f"HTTP {response.status_code}")
        kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind not in CONTENT_TYPES:
            raise Refused(f"not an image (content type “{kind or 'none'}”)")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise Refused(f"larger than {self.max_bytes:,} bytes")
        data = bytearray()
        for chunk in response.iter_bytes(CHUNK):
            data += chunk
            if len(data) > self.max_bytes:
                raise Refused(f"larger than {self.max_bytes:,} bytes")
        try:
            check_image(bytes(data))
        except NotAnImage as exc:
            raise Refused(str(exc)) from None
        return bytes(data)


def pinned(url, address):
    """The request for `url` sent to the address that was checked, not to a second
    lookup (which a hostile DNS server could answer differently); TLS still
    checks the certificate against the host's name."""
    headers = {"Accept": "image/*"}
    parts = urlsplit(url)
    ip = f"[{address}]" if address.version == 6 else str(address)
    netloc = f"{ip}:{parts.port}" if parts.port else ip
    headers["Host"] = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=netloc).geturl(), headers, {"sni_hostname": parts.hostname}


def safe_fetch(fetcher, url):
    """(data, None) or (None, reason): for a thread pool, never raises."""
    try:
        return fetcher.fetch(url), None
    except Refused as exc:
        return None, str(exc)
    except httpx.HTTPError as exc:
        return None, f"download failed: {type(exc).__name__}: {exc}"[:300]
