"""Readers' sign-in accounts as personal data, for the moderators' export and erase
tools (registered in blog.extensions; comments' privacy page calls them)."""

from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.db.models import Q


def readers_with(email):
    """Reader accounts (never staff) with this address, as account or verified address."""
    email = email.strip()
    return (
        get_user_model()
        .objects.filter(Q(email__iexact=email) | Q(emailaddress__email__iexact=email))
        .filter(is_staff=False, is_superuser=False)
        .distinct()
    )


def export(email):
    accounts = SocialAccount.objects.filter(user__in=readers_with(email)).select_related("user")
    return [
        {
            "provider": account.provider,
            "account_id": account.uid,
            "name": account.user.get_full_name(),
            "email": account.user.email,
            "signed_up": account.date_joined.isoformat(),
            "last_sign_in": account.last_login.isoformat(),
            "profile": account.extra_data,
        }
        for account in accounts
    ]


def erase(email):
    """The reader's user account goes, with its provider accounts and addresses; their
    comments are erased by the comments app (which this runs beside)."""
    users = get_user_model().objects.filter(pk__in=readers_with(email).values("pk"))
    _total, by_model = users.delete()
    return by_model.get(SocialAccount._meta.label, 0) + by_model.get(
        get_user_model()._meta.label, 0
    )
