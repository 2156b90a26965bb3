"""What the API's serializers share."""

from collections.abc import Callable

from django.utils import timezone
from django.utils.functional import Promise
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


# A record as the API shows it: every name in ``Meta.fields`` is read-only, the model's own fields
# included, so ``Meta`` need not restate the list as ``read_only_fields``. The writes have their
# own plain serializers; the services apply them. No docstring: drf-spectacular would publish it as
# the description of a subclass without one.
class ReadOnlyModelSerializer(serializers.ModelSerializer):
    def get_extra_kwargs(self) -> dict:
        extra_kwargs = super().get_extra_kwargs()
        for name in self.Meta.fields:
            extra_kwargs.setdefault(name, {})["read_only"] = True
        return extra_kwargs


def optional_text(max_length: int, help_text: str | Promise | None = None) -> serializers.CharField:
    """Free text the caller may leave out or blank (then ``""``), at most ``max_length`` characters."""
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default="", help_text=help_text
    )


class VisibleRecordField(serializers.PrimaryKeyRelatedField):
    """The id of a record the caller may see: ``visible_to(user)`` gives the records of the
    request's caller, and any other id "does not exist" (400). ``queryset`` (``Model.objects.none()``)
    names the model for the schema and is what a serializer without a request accepts."""

    def __init__(self, visible_to: Callable, **kwargs):
        self.visible_to = visible_to
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return super().get_queryset() if request is None else self.visible_to(request.user)


@extend_schema_field(OpenApiTypes.BOOL)
class OverdueField(serializers.Field):
    """``overdue`` of a record that waits for an act by its ``due`` day: the list's annotation
    (``marketplace.core.fields.with_overdue``) where there is one, else worked out from the
    record's ``waiting`` property (``is_open``, ``is_pending``) and today."""

    def __init__(self, *, waiting: str, **kwargs):
        self.waiting = waiting
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record) -> bool:
        overdue = getattr(record, "overdue", None)
        if overdue is not None:
            return bool(overdue)
        return bool(getattr(record, self.waiting)) and record.due < timezone.localdate()
