"""``GET /api/v1/me/``: fields that apps above the one serving it contribute.

``/me/`` is served by ``organizations``, the lowest app, which may import none above it
(tests/test_architecture.py). An app above says what it adds in its ``AppConfig.ready``:

    me.register("unread_notifications", value=unread_count, field=serializers.IntegerField,
                help_text="...")

``value(user)`` computes it (one query at most: /me/ is asked on every page load of a client);
``field`` (a DRF field class, with its keyword arguments) declares it in the schema:
drf-spectacular reads the field's type and help text. ``MeSerializer`` adds each registered field
after its own, in the order registered.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rest_framework import serializers


@dataclass(frozen=True)
class MeField:
    name: str
    value: Callable[[Any], Any]
    field_class: type[serializers.Field]
    field_kwargs: dict


_FIELDS: dict[str, MeField] = {}


def register(
    name: str, *, value: Callable[[Any], Any], field: type[serializers.Field] = serializers.IntegerField, **kwargs
) -> None:
    _FIELDS[name] = MeField(name=name, value=value, field_class=field, field_kwargs=kwargs)


def contributed() -> list[MeField]:
    return list(_FIELDS.values())


def serializer_field(entry: MeField) -> serializers.Field:
    """The declared field, read-only, its value ``entry.value(user)``: of a subclass of the declared
    class, so the schema shows the declared type."""

    def get_attribute(self, instance):
        return entry.value(instance)

    contributed_class = type(f"Me{entry.field_class.__name__}", (entry.field_class,), {"get_attribute": get_attribute})
    return contributed_class(read_only=True, **entry.field_kwargs)
