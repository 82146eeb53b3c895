"""Admin lists that answer a hand-edited address with a message, not a 500.

Django's changelist turns a lookup it cannot apply into a redirect to `?e=1`, but
only when `filter()` itself fails. A year no date can hold
(`?submit_date__year=99999999999`) or an address that is no IP (`?ip_address=abc`)
fails later, when the query is built, and a bulk action with an id that is no
number (`_selected_action=abc`) fails in the action's `filter()`. Every ModelAdmin
of the project inherits this mixin (tests/core/test_admin_input.py checks)."""

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseRedirect

from .ids import MAX_BIGINT, MAX_INT, parse_id

BAD_FILTER = (
    "That filter could not be applied (a value in the address is out of range or malformed)."
)
BAD_SELECTION = (
    "The selected items could not be read, so nothing was changed. Please select them again."
)


class BadInputSafeAdminMixin:
    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except (IncorrectLookupParameters, ValueError, OverflowError, ValidationError) as error:
            messages.error(request, BAD_FILTER)
            raise IncorrectLookupParameters(error) from error

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(is_primary_key(self.model, value) for value in selected):
            self.message_user(request, BAD_SELECTION, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)


def is_primary_key(model, value):
    """Whether `value` could be a primary key of `model` (ids: ASCII digits in range)."""
    field = model._meta.pk
    while field.is_relation:  # a child model's pk is its parent's row
        field = field.target_field
    if isinstance(field, models.IntegerField):
        limit = MAX_BIGINT if isinstance(field, models.BigIntegerField) else MAX_INT
        return parse_id(value, maximum=limit) is not None
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True
