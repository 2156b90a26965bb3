"""What every API view documents alike: its error answers (drf-spectacular)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers


# The body of every refusal but bad input (``core.api.errors``). No docstring: drf-spectacular
# would publish it as the schema's description of "Error".
class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()


FIELD_ERRORS = OpenApiResponse(OpenApiTypes.OBJECT, description="Field errors: {field: [message]}")


def error_responses(*codes: int) -> dict:
    """Documented error answers of an endpoint: 400 carries field errors, the others (and 429,
    which any endpoint may answer when throttled) ``{"detail", "code"}``."""
    return {code: FIELD_ERRORS if code == 400 else OpenApiResponse(ErrorSerializer) for code in (*codes, 429)}


def listed(serializer, summary: str, *, errors=(400, 401, 403), **kwargs):
    """``extend_schema`` of a list answering pages of ``serializer``, with its error answers."""
    return extend_schema(summary=summary, responses={200: serializer(many=True), **error_responses(*errors)}, **kwargs)


def shown(serializer, summary: str | None = None, *, errors=(401, 404), **kwargs):
    """``extend_schema`` of one record answered by ``serializer``, with its error answers."""
    return extend_schema(summary=summary, responses={200: serializer, **error_responses(*errors)}, **kwargs)


def created(serializer, summary: str, *, errors=(400, 401, 403, 404, 409), **kwargs):
    """``extend_schema`` of a POST answering 201 with the record ``serializer`` renders."""
    return extend_schema(summary=summary, responses={201: serializer, **error_responses(*errors)}, **kwargs)
