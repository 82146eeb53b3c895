"""The client's address, for rate limits and evidence of consent.

REMOTE_ADDR only: X-Forwarded-For is never trusted here (a proxy in front must set
REMOTE_ADDR itself, as gunicorn behind nginx with `--forwarded-allow-ips` does)."""


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or None
