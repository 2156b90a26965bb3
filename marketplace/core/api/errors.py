"""One exception handler for the whole API: the error shapes of API.md."""

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from marketplace.core.errors import DomainError

_CODES = {
    status.HTTP_401_UNAUTHORIZED: "not_authenticated",
    status.HTTP_403_FORBIDDEN: "permission_denied",
    status.HTTP_404_NOT_FOUND: "not_found",
    status.HTTP_405_METHOD_NOT_ALLOWED: "method_not_allowed",
    status.HTTP_406_NOT_ACCEPTABLE: "not_acceptable",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "unsupported_media_type",
    status.HTTP_429_TOO_MANY_REQUESTS: "throttled",
}


def _body_refused(exc: Exception) -> Response | None:
    """Django refuses bodies past DATA_UPLOAD_MAX_* with these SuspiciousOperations, which would
    otherwise leave the API as an HTML 400 page."""
    if isinstance(exc, RequestDataTooBig):
        detail, code, status_code = _("The request body is too large."), "request_too_large", 413
    elif isinstance(exc, TooManyFieldsSent):
        detail, code, status_code = _("The request has too many fields."), "too_many_fields", 400
    elif isinstance(exc, TooManyFilesSent):
        detail, code, status_code = _("The request has too many files."), "too_many_files", 400
    else:
        return None
    return Response({"detail": detail, "code": code}, status=status_code)


def exception_handler(exc, context):
    if (refused := _body_refused(exc)) is not None:
        return refused
    if isinstance(exc, DomainError):
        if exc.status == 400:
            field = exc.field or "non_field_errors"
            return Response({field: [exc.detail], "code": exc.code}, status=400)
        return Response({"detail": exc.detail, "code": exc.code}, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            body = {field: [str(m) for e in errs for m in e.messages] for field, errs in exc.error_dict.items()}
        else:
            body = {"non_field_errors": exc.messages}
        return Response(body, status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        if not isinstance(response.data, dict):
            response.data = {"non_field_errors": response.data}
        return response
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
    code = getattr(detail, "code", None) or _CODES.get(response.status_code, "error")
    if response.status_code in _CODES and code in ("invalid", "error"):
        code = _CODES[response.status_code]
    response.data = {"detail": str(detail), "code": code}
    return response
