"""The signed-in reader's picture at their provider, for their comments' avatars."""

from comments.avatars import SESSION_KEY, safe_avatar_url


def picture_of(account):
    """The picture address a social account reports (GitHub's avatar_url, Google's and
    OpenID Connect's `picture` claim), or ""."""
    data = account.extra_data or {}
    claims = data.get("userinfo") or data.get("id_token") or data  # OIDC keeps both
    return safe_avatar_url(claims.get("picture") or claims.get("avatar_url") or "")


def keep_picture_for_comments(sender, request, user, sociallogin=None, **kwargs):
    """On sign-in through a provider, remember its picture in the session, where the
    comment form takes it from (no query per comment, none per page)."""
    if sociallogin is not None and sociallogin.account is not None:
        request.session[SESSION_KEY] = picture_of(sociallogin.account)
