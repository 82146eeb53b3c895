"""Forwarding headers count only when a trusted proxy sent them.

X-Forwarded-Proto decides request.is_secure() (SECURE_PROXY_SSL_HEADER), and with it
the scheme of absolute links a cached page or feed carries; X-Forwarded-For decides
the client's address (core/client_address.py). A client talking to the app directly
could write either, so they are removed from every request whose peer is not one of
TRUSTED_PROXIES, before anything reads them. First in MIDDLEWARE. It then notes the
client's address for the log lines the request writes (the audit log)."""

from core.client_address import client_ip, current_client_ip, is_trusted_proxy

# X-Forwarded-*, RFC 7239's Forwarded, and the X-Real-IP some proxies set.
OTHER_FORWARDING_HEADERS = ("HTTP_FORWARDED", "HTTP_X_REAL_IP")


def forwarding_headers(meta):
    return [
        key
        for key in meta
        if key.startswith("HTTP_X_FORWARDED_") or key in OTHER_FORWARDING_HEADERS
    ]


class ForwardedHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_trusted_proxy(request.META.get("REMOTE_ADDR")):
            client = client_ip(request)
        else:
            for key in forwarding_headers(request.META):
                del request.META[key]
            client = request.META.get("REMOTE_ADDR") or None
        noted = current_client_ip.set(client)
        try:
            return self.get_response(request)
        finally:
            current_client_ip.reset(noted)
