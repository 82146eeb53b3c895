"""A path converter for database ids and numbers: at most 18 digits, so a value
that no 64-bit column can hold is a 404 rather than a database error."""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")
