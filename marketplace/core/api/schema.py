"""What every API view documents alike: its error answers (drf-spectacular)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
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
