"""What the follow tests share: posting the form as a browser would, and reading
the links out of the mail."""

import re

from django.core import mail

FOLLOW_URL = "/follow/"
SAME_SITE = {"HTTP_ORIGIN": "http://testserver"}


def follow(client, email, series=None, **extra):
    data = {"email": email, "series": series.slug if series else "", "website": ""}
    data.update(extra.pop("data", {}))
    return client.post(FOLLOW_URL, data, **{**SAME_SITE, **extra})


def link_in(message, kind):
    """The first /follow/<kind>/… link in a mail's body, as a path."""
    match = re.search(rf"https?://[^/\s]+(/follow/{kind}/[^\s]+/)", message.body)
    assert match, f"no {kind} link in:\n{message.body}"
    return match.group(1)


def mails_to(address):
    return [message for message in mail.outbox if address in message.to]
