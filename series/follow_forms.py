from django import forms

from .models import Series
from .subscriptions import normalize_email


class FollowForm(forms.Form):
    """The follow form on series, part and home pages: it carries no personal data,
    so the pages stay cacheable."""

    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        error_messages={
            "required": "Type your email address to follow.",
            "invalid": "This does not look like an email address; check it for typos.",
        },
    )
    series = forms.ModelChoiceField(
        Series.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "This series no longer exists."},
    )
    # Hidden from people by CSS; bots fill it in.
    website = forms.CharField(required=False, label="Leave this field empty")

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])
