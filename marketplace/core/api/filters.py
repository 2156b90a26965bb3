"""Filters any app's filter sets use: ids, booleans and times that answer a bad value with a
field error (400 in the API) instead of a database error or silence."""

from datetime import UTC

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField

from marketplace.core.ids import parse_id


class IdFilter(filters.NumberFilter):
    """An id: anything but a positive integer in range matches nothing (never a database error)."""

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        pk = parse_id(value)
        if pk is None:
            return qs.none()
        return qs.filter(**{self.field_name: pk})


class StrictBooleanField(forms.Field):
    """``true``/``false`` (or 1/0); empty means "not given"; any other word is a field error."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise ValidationError(_("Use true or false."), code="invalid")


class StrictBooleanFilter(filters.BooleanFilter):
    """A boolean that answers 400 for a mistyped value instead of silently ignoring it."""

    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


class _BoundedIsoDateTimeField(IsoDateTimeField):
    """An ISO time that the database can take: one whose UTC value exists (not 0001-01-01+14:00,
    which SQLite's adapter cannot convert: it was a 500)."""

    def clean(self, value):
        value = super().clean(value)
        if value is not None:
            try:
                value.astimezone(UTC)
            except OverflowError:
                raise ValidationError(_("Enter a time between the years 1 and 9999."), code="invalid") from None
        return value


class BoundedIsoDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = _BoundedIsoDateTimeField
