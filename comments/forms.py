from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import validators
from django.utils import timezone
from django_comments_xtd.forms import XtdCommentForm

from blog.authors import display_name
from core.client_address import client_ip
from core.ids import parse_id
from core.text import strip_bidi

from . import avatars
from .models import BlogComment, State

EXPIRED_MESSAGE = (
    "This comment form has expired or was changed on its way to us. "
    "Your text is still below: please send it again."
)


# Each field the comment is stored from, and its column: longer input is a form
# error the reader can fix, never a database error that loses the comment.
COLUMNS = {"name": "user_name", "email": "user_email", "url": "user_url"}
TOO_LONG = {
    "name": "Please shorten your name to %(limit_value)d characters (it has %(show_value)d).",
    "email": "An email address has at most %(limit_value)d characters (this one has "
    "%(show_value)d).",
    "url": "Please give a web address of at most %(limit_value)d characters (this one has "
    "%(show_value)d); the address of your site's front page is enough.",
}


def bound_by_columns(fields):
    for name, column in COLUMNS.items():
        limit = BlogComment._meta.get_field(column).max_length
        field = fields[name]
        field.max_length = limit
        field.validators = [
            *(v for v in field.validators if not isinstance(v, validators.MaxLengthValidator)),
            validators.MaxLengthValidator(limit, message=TOO_LONG[name]),
        ]
        field.widget.attrs["maxlength"] = str(limit)


class CommentText(forms.CharField):
    """A browser sends each line break as CR LF; counted as one character, as the
    reader's counter counts it, and stored so."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n")

    def widget_attrs(self, widget):
        # No maxlength: it cuts a long paste silently; the form says what is too long.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class BlogCommentForm(XtdCommentForm):
    """xtd's form (security hash, timestamp, honeypot, reply_to, follow-up) with
    clear messages, a configurable length limit and replies checked against the post."""

    def __init__(self, target_object, data=None, *, user=None, reply_to=None, **kwargs):
        self.user = user if user is not None and user.is_authenticated else None
        initial = kwargs.pop("initial", {})
        if reply_to is not None:
            initial["reply_to"] = reply_to.pk
        kwargs.setdefault("label_suffix", "")
        super().__init__(target_object, data=data, initial=initial, **kwargs)
        limit = settings.COMMENTS_MAX_LENGTH
        self.fields["comment"] = CommentText(
            label="Comment",
            max_length=limit,
            # The script counts near the limit (static/comments/comment-box.js).
            widget=forms.Textarea(attrs={"rows": 8, "data-max-length": limit}),
            error_messages={
                "required": "Please write a comment.",
                "max_length": f"Comments are limited to {limit:,} characters "
                "(yours has %(show_value)s). Please shorten it.",
            },
        )
        name, email, url = self.fields["name"], self.fields["email"], self.fields["url"]
        name.label, name.widget = "Name", forms.TextInput(attrs={"autocomplete": "name"})
        name.error_messages["required"] = "Please give your name."
        email.label = "Email"
        email.help_text = "Never shown. Used for follow-up notifications only."
        email.widget = forms.EmailInput(attrs={"autocomplete": "email"})
        email.error_messages.update(
            required="Please give your email address; it is never shown.",
            invalid="Please give a valid email address, like name@example.com.",
        )
        url.label = "Website"
        url.widget = forms.URLInput(attrs={"autocomplete": "url"})
        url.error_messages["invalid"] = "Please give a full web address, like https://example.com."
        self.fields["remember"] = forms.BooleanField(
            label="Save my name, email, and website in this browser for the next time I comment.",
            required=False,
        )
        self.fields["followup"].label = "Notify me of follow-up comments by email"
        self.fields["followup"].widget.attrs.pop("class", None)
        self.fields["honeypot"].label = "Leave this field empty"
        self.fields["honeypot"].widget.attrs.update(tabindex="-1", autocomplete="off")
        self.fields["reply_to"].error_messages["invalid"] = "That reply link is broken."
        bound_by_columns(self.fields)
        if self.user:
            # Logged-in readers comment under their account.
            for field in ("name", "email", "url"):
                self.fields[field].required = False

    def clean_name(self):
        name = strip_bidi(self.cleaned_data.get("name", "")).strip()
        if self.fields["name"].required and not name:
            raise forms.ValidationError("Please give your name.")
        return name

    def clean_email(self):
        return strip_bidi(self.cleaned_data.get("email", ""))

    def clean_url(self):
        return strip_bidi(self.cleaned_data.get("url", ""))

    def clean_honeypot(self):
        # Not an error: screening records the hit and files the comment as spam.
        return self.cleaned_data.get("honeypot", "")

    def clean_timestamp(self):
        try:
            return super().clean_timestamp()
        except forms.ValidationError:
            raise forms.ValidationError(EXPIRED_MESSAGE) from None

    def clean_security_hash(self):
        try:
            return super().clean_security_hash()
        except forms.ValidationError:
            raise forms.ValidationError(EXPIRED_MESSAGE) from None

    def clean_reply_to(self):
        if not self.cleaned_data.get("reply_to"):
            return 0
        # IntegerField's int() reads " 7", "+7" and Arabic-Indic digits; an id is ASCII.
        parent_id = parse_id(self.data.get(self.add_prefix("reply_to")))
        if parent_id is None:
            raise forms.ValidationError("That reply link is broken.")
        self.parent = (
            BlogComment.objects.for_object(self.target_object)
            .filter(pk=parent_id, state=State.PUBLIC, is_removed=False)
            .select_related(None)  # only its place in the thread is needed
            .first()
        )
        if self.parent is None:
            raise forms.ValidationError(
                "The comment you are replying to is not on this post or has been removed."
            )
        if self.parent.level >= settings.COMMENTS_XTD_MAX_THREAD_LEVEL:
            raise forms.ValidationError(
                "This conversation is nested as deep as it goes; please reply further up."
            )
        return parent_id

    def clean(self):
        data = super().clean()
        if self.user:
            # An account's full name may be longer than the comment's column.
            data["name"] = display_name(self.user)[: self.fields["name"].max_length]
            data["email"] = self.user.email
            data["url"] = data.get("url") or ""
        return data

    def build_comment(self, request):
        """An unsaved comment from the valid form and the request."""
        data = self.cleaned_data
        comment = BlogComment(
            content_type_id=self._content_type_id(),
            object_pk=str(self.target_object.pk),
            site_id=settings.SITE_ID,
            user=self.user,
            user_name=data["name"],
            user_email=data["email"],
            user_url=data["url"],
            comment=data["comment"],
            submit_date=timezone.now(),
            ip_address=client_ip(request),
            parent_id=data["reply_to"],
            followup=data["followup"],
            state=State.HELD,
            # The signed-in reader's picture, as the sign-in left it in the session.
            avatar_url=avatars.safe_avatar_url(request.session.get(avatars.SESSION_KEY))
            if self.user
            else "",
        )
        return comment

    def _content_type_id(self):
        return ContentType.objects.get_for_model(self.target_object).pk
