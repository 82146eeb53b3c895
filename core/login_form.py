"""The admin login form, with its username bounded.

Django's AuthenticationForm shows `maxlength` on the username but does not check
it, so a longer one reaches authenticate(); its failure is recorded by axes in a
255-character column, and the database refuses it. Refused here as a form error,
authenticate() is not called for a username no account can have."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator


class BoundedAdminAuthenticationForm(AdminAuthenticationForm):
    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))
