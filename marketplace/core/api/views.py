"""What the API's views do alike: read a body through a serializer, page a list, answer one
record, and keep a file download's errors in JSON. Views keep only what is theirs: which records
the caller sees, which service acts, which serializer answers."""

from collections.abc import Callable

from rest_framework import permissions, status, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from marketplace.core.api.renderers import PDFRenderer


def validated(serializer_class, request, **kwargs) -> dict:
    """The request's body read by ``serializer_class``; bad input stops here with 400 and the
    field errors. ``kwargs`` go to the serializer (``context=``, ``many=``)."""
    data = serializer_class(data=request.data, **kwargs)
    data.is_valid(raise_exception=True)
    return data.validated_data


def paged(view, queryset, serializer_class):
    """One page of ``queryset`` in the paginated envelope (``count``, ``next``, ``previous``,
    ``results``) as ``serializer_class`` renders each row."""
    page = view.paginate_queryset(queryset)
    return view.get_paginated_response(serializer_class(page, many=True).data)


class FileErrorsAsJson:
    """A view whose ``file_actions`` answer a file (a PDF letter): ``Accept: application/pdf``
    selects it, and their refusals are rendered as JSON whatever was asked for."""

    file_actions: tuple = ()

    def _answers_file(self) -> bool:
        return getattr(self, "action", None) in self.file_actions

    def get_renderers(self):
        if self._answers_file():
            return [JSONRenderer(), PDFRenderer()]
        return super().get_renderers()

    def handle_exception(self, exc):
        if self._answers_file():
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)


# A viewset over one kind of record, for signed-in callers, with no PUT, PATCH or DELETE.
#
# The records are what the app's selector ``rows(user)`` shows the caller, in ``rows_order`` if
# given (a viewset whose list is more than that says so in its own ``get_queryset``).
# ``list`` refuses the wrong role (``require_reader``) and pages the filtered ``get_queryset()``;
# actions fetch with ``fetch(pk)`` (which refuses, 403/404, as the record's access rule says: by
# default the app's access helper ``fetch_for(user, pk)``) and end with ``answer(record)`` or
# ``answer_current(pk)``; an action that only hands the record and a body to a service is
# ``act(pk, service, body)``. Each renders with ``serializer_class``.
# No docstring: drf-spectacular would publish it as the description of a subclass without one.
class RecordViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "head", "options"]
    rows: Callable
    rows_order: tuple[str, ...] = ()
    fetch_for: Callable
    record_name: str  # the keyword the app's services take the record by, e.g. "application"

    def get_queryset(self):
        rows = self.rows(self.request.user)
        return rows.order_by(*self.rows_order) if self.rows_order else rows

    def require_reader(self, user) -> None:
        """Refuse (403) a caller who may not list these records; by default anyone signed in may."""

    def fetch(self, pk):
        """The record ``pk`` as the caller may see it (403/404 otherwise)."""
        return self.fetch_for(self.request.user, pk)

    def list(self, request):
        self.require_reader(request.user)
        return paged(self, self.filter_queryset(self.get_queryset()), self.serializer_class)

    def answer(self, record, *, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.serializer_class(record).data, status=code)

    def answer_current(self, pk, *, code: int = status.HTTP_200_OK) -> Response:
        """The record as it stands after the action, fetched again as the caller sees it."""
        return self.answer(self.fetch(pk), code=code)

    def act(self, pk, service, body=None, *, code: int = status.HTTP_200_OK) -> Response:
        """The record ``pk`` as it stands after ``service`` acted on it. The record is fetched first
        (403/404 before a bad body's 400), then ``service`` gets it as ``record_name``, the caller
        as ``by`` and the values the ``body`` serializer read, if any."""
        record = self.fetch(pk)
        values = validated(body, self.request) if body is not None else {}
        service(**{self.record_name: record}, by=self.request.user, **values)
        return self.answer_current(pk, code=code)


# A ``RecordViewSet`` that also answers one record at its own address (``retrieve``). No
# docstring, as above.
class RecordDetailViewSet(RecordViewSet):
    def retrieve(self, request, pk=None):
        return self.answer(self.fetch(pk))
