"""How allauth treats readers here.

- Readers sign in with an account they have at a configured provider; a new one
  becomes a plain user with an unusable password, never staff, in no group.
- Staff accounts are never reached through a provider: not signed in, not connected,
  not matched by address. Staff sign in through /admin/ (axes, core/login_form.py).
- Local reader accounts (email and password) exist only with READER_ACCOUNTS on.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter, _build_apps_from_settings
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.db.models import Q
from django.shortcuts import render

from core.outbox import queue_mail

NAME_LENGTH = 150  # of User.first_name


def is_staff_account(user):
    return user is not None and user.pk is not None and (user.is_staff or user.is_superuser)


def staff_with_address(addresses):
    """Whether a staff account has one of these email addresses."""
    addresses = [address for address in addresses if address]
    if not addresses:
        return False
    matches = Q()
    for address in addresses:
        matches |= Q(email__iexact=address) | Q(emailaddress__email__iexact=address)
    staff = Q(is_staff=True) | Q(is_superuser=True)
    return get_user_model().objects.filter(matches).filter(staff).exists()


def refuse_staff(request, sociallogin):
    """Stop the sign-in with a page that says why (403)."""
    context = {"provider": sociallogin.provider.name}
    raise ImmediateHttpResponse(render(request, "readers/staff_refused.html", context, status=403))


class ReaderAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Local accounts only when the site wants them; /accounts/signup/ says it is
        closed otherwise. Sign-in through a provider is decided by the adapter below."""
        return settings.READER_ACCOUNTS

    def send_mail(self, template_prefix, email, context):
        """allauth's mail (address verification, password reset) through the outbox:
        sent by the worker after the commit, never in the reader's request."""
        request = allauth_context.request
        context = {"request": request, "email": email,
                   "current_site": get_current_site(request), **context}  # fmt: skip
        queue_mail(self.render_mail(template_prefix, email, context))


class ReaderSocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        """The providers of SOCIALACCOUNT_PROVIDERS (the environment) only: none from
        the database, so listing them on a page costs no query."""
        apps = _build_apps_from_settings(provider=provider, client_id=client_id)
        return [app for provider_apps in apps.values() for app in provider_apps]

    def is_open_for_signup(self, request, sociallogin):
        return True  # a configured provider is the site's invitation

    def pre_social_login(self, request, sociallogin):
        if is_staff_account(sociallogin.user if sociallogin.is_existing else None):
            refuse_staff(request, sociallogin)  # a staff account connected earlier
        if sociallogin.state.get("process") == "connect" and is_staff_account(request.user):
            refuse_staff(request, sociallogin)
        addresses = [email.email for email in sociallogin.email_addresses]
        if not sociallogin.is_existing and staff_with_address([*addresses, sociallogin.user.email]):
            refuse_staff(request, sociallogin)

    def populate_user(self, request, sociallogin, data):
        """The name readers will see on comments: the provider's given and family
        names, or its full name, else the nickname or user name; never empty."""
        user = super().populate_user(request, sociallogin, data)
        if not (user.first_name or user.last_name):
            extra = sociallogin.account.extra_data or {}
            claims = extra.get("userinfo") or extra.get("id_token") or extra
            nickname = claims.get("nickname") or data.get("username") or claims.get("login")
            email = data.get("email") or ""
            user.first_name = (nickname or email.partition("@")[0] or "Reader")[:NAME_LENGTH]
        user.first_name = user.first_name[:NAME_LENGTH]
        user.last_name = user.last_name[:NAME_LENGTH]
        return user

    def save_user(self, request, sociallogin, form=None):
        """A new reader: never staff, never superuser, in no group, and with no password
        (allauth's default, kept here on purpose)."""
        user = sociallogin.user
        user.is_staff = user.is_superuser = False
        user = super().save_user(request, sociallogin, form)
        if user.groups.exists():  # a clear() of nothing would still make pages stale
            user.groups.clear()
        return user
