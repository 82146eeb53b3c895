from allauth.account.forms import LoginForm
from django import forms
from django.conf import settings

CLOSED = (
    "Signing in with a password is not offered to readers here. "
    "Please sign in with one of the accounts listed below."
)
STAFF = "Staff accounts sign in through the site's administration, not here."


class ReaderLoginForm(LoginForm):
    """allauth's email and password sign-in, for local reader accounts only: closed
    unless READER_ACCOUNTS is on, and never for staff (they use /admin/, with its
    lockouts)."""

    def clean(self):
        if not settings.READER_ACCOUNTS:
            raise forms.ValidationError(CLOSED)
        cleaned_data = super().clean()
        if self.user is not None and (self.user.is_staff or self.user.is_superuser):
            self.user = None
            raise forms.ValidationError(STAFF)
        return cleaned_data
