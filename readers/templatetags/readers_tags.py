from allauth.socialaccount.adapter import get_adapter
from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def sign_in_links(context, next_url=""):
    """(name, address) of each configured provider's sign-in, coming back to `next_url`.
    Each address opens allauth's page that starts the sign-in by POST, so the cached
    page that links to it needs no CSRF token. No query: providers come from settings."""
    request = context["request"]
    query = {"process": "login", "next": next_url} if next_url else {"process": "login"}
    return [
        (provider.name, provider.get_login_url(request, **query))
        for provider in get_adapter(request).list_providers(request)
    ]


@register.simple_tag
def reader_accounts_open():
    return settings.READER_ACCOUNTS


@register.simple_tag
def account_url(name, next_url=""):
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url
