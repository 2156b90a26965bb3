"""Case endpoints (API.md, v1 additions): progress, documents, closing, termination, quality.
Each view parses, calls one service or selector, renders."""

from django.http import FileResponse
from django.utils.cache import add_never_cache_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from marketplace.cases import selectors, services
from marketplace.cases.access import access_case, access_document
from marketplace.cases.api import serializers as s
from marketplace.cases.api.uploads import LimitedUploads
from marketplace.cases.models import CaseDocument
from marketplace.core.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from marketplace.core.api.schema import created, listed
from marketplace.core.api.schema import error_responses as _errors
from marketplace.core.api.views import paged, validated
from marketplace.models import AidTask


class _CaseView(GenericAPIView):
    permission_classes = [permissions.IsAuthenticated]
    queryset = AidTask.objects.none()  # the schema's path parameter; access.py fetches

    def _case(self, pk, *, documents: bool = False):
        return access_case(self.request.user, pk, documents=documents)


class _CaseRecordsView(_CaseView):
    """Records kept on a case, oldest first (``rows_of(task)``), and a new one recorded by
    ``record(task=, by=, **body)`` from the body ``create_serializer`` reads. Each subclass
    documents its own summaries (``extend_schema_view``)."""

    create_serializer = None

    @staticmethod
    def rows_of(task):
        raise NotImplementedError

    @staticmethod
    def record(*, task, by, **values):
        raise NotImplementedError

    def get(self, request, pk):
        roles = self._case(pk)
        return paged(self, self.rows_of(roles.task), self.serializer_class)

    @classmethod
    def documented(cls, list_summary: str, create_summary: str):
        """A subclass's schema: the list and the idempotent POST, summarised as given."""

        def document(view):
            return extend_schema_view(
                get=listed(view.serializer_class, list_summary, errors=(401, 404)),
                post=created(
                    view.serializer_class,
                    create_summary,
                    request=view.create_serializer,
                    parameters=[IDEMPOTENCY_KEY_PARAMETER],
                ),
            )(view)

        return document

    @idempotent
    def post(self, request, pk):
        roles = self._case(pk)
        saved = self.record(task=roles.task, by=request.user, **validated(self.create_serializer, request))
        return Response(self.serializer_class(saved).data, status=status.HTTP_201_CREATED)


@_CaseRecordsView.documented(
    "A case's progress, oldest first", "Record a milestone (the handler) or the aided person's report (the centre)"
)
class MilestonesView(_CaseRecordsView):
    """Progress of a case (Art. 46): the handler's milestones and the aided person's reports."""

    serializer_class = s.MilestoneSerializer
    create_serializer = s.MilestoneCreateSerializer
    rows_of = staticmethod(selectors.milestones_of)
    record = staticmethod(services.milestone_record)


class DocumentsView(LimitedUploads, _CaseView):
    """Copies of the legal documents of a case: the handler's and the centre's."""

    serializer_class = s.DocumentSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="A case's documents",
        responses={200: s.DocumentSerializer(many=True), **_errors(401, 404)},
    )
    def get(self, request, pk):
        roles = self._case(pk, documents=True)
        return paged(self, selectors.documents_of(roles.task), s.DocumentSerializer)

    @extend_schema(
        summary="Upload a document (PDF, JPEG or PNG) in the multipart field file",
        request={"multipart/form-data": s.DocumentUploadSerializer},
        responses={201: s.DocumentSerializer, **_errors(400, 401, 403, 404, 409, 413)},
    )
    def post(self, request, pk):
        roles = self._case(pk, documents=True)
        upload = validated(s.DocumentUploadSerializer, request)["file"]
        document = services.document_upload(task=roles.task, upload=upload, by=request.user)
        return Response(s.DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class _AnyRenderer(BaseRenderer):
    """Lets any ``Accept`` reach the download; its errors are rendered as JSON."""

    media_type = "*/*"
    format = "file"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data)


class DocumentDownloadView(GenericAPIView):
    """One document, to the case's handler, assistants and centre only; never cached."""

    permission_classes = [permissions.IsAuthenticated]
    renderer_classes = [JSONRenderer, _AnyRenderer]
    serializer_class = s.DocumentSerializer
    queryset = CaseDocument.objects.none()  # the schema's path parameter; access.py fetches

    def handle_exception(self, exc):
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    @extend_schema(
        summary="Download a document (permission-checked, Content-Disposition: attachment, no-store)",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            **_errors(401, 404),
        },
    )
    def get(self, request, pk):
        document = access_document(request.user, pk)
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.name,
            content_type=document.content_type,
        )
        add_never_cache_headers(response)
        response["Cache-Control"] = "no-store, private"
        response["X-Content-Type-Options"] = "nosniff"
        return response


@_CaseRecordsView.documented(
    "The case's closing reports, oldest first (a returned one stays on file)",
    "File the closing report with its documents: the case goes to closing_review",
)
class ClosingView(_CaseRecordsView):
    """The handler's closing report (结案报告, Art. 50)."""

    serializer_class = s.ClosingReportSerializer
    create_serializer = s.ClosingCreateSerializer
    rows_of = staticmethod(selectors.closing_reports_of)
    record = staticmethod(services.closing_file)


# One step the centre takes on a case: ``act(task=, by=, **body)`` from the body
# ``action_serializer`` reads, answered 200 with the record it made (``answer`` may read it again
# with what the list shows). A comment, not a docstring: the schema would show it on each step.
class _CaseActionView(_CaseView):
    action_serializer = None

    @staticmethod
    def act(*, task, by, **values):
        raise NotImplementedError

    @staticmethod
    def answer(task, record):
        return record

    @classmethod
    def documented(cls, summary: str):
        """A subclass's schema: its POST, summarised as given."""

        def document(view):
            return extend_schema_view(
                post=extend_schema(
                    summary=summary,
                    request=view.action_serializer,
                    responses={200: view.serializer_class, **_errors(400, 401, 403, 404, 409)},
                )
            )(view)

        return document

    def post(self, request, pk):
        roles = self._case(pk)
        record = self.act(task=roles.task, by=request.user, **validated(self.action_serializer, request))
        return Response(self.serializer_class(self.answer(roles.task, record)).data)


@_CaseActionView.documented(
    "The centre accepts the closing (one case credited, a subsidy line) or returns it",
)
class ClosingReviewView(_CaseActionView):
    serializer_class = s.ClosingReportSerializer
    action_serializer = s.ClosingReviewSerializer
    act = staticmethod(services.closing_review)

    @staticmethod
    def answer(task, report):
        return selectors.closing_reports_of(task).get(pk=report.pk)


@_CaseActionView.documented("The centre ends the legal aid on an Art. 48 ground; the handler is told")
class TerminateView(_CaseActionView):
    serializer_class = s.TerminationSerializer
    action_serializer = s.TerminateSerializer
    act = staticmethod(services.case_terminate)


@_CaseRecordsView.documented(
    "A case's quality evaluations", "Record a quality evaluation (the centre, or the justice bureau of the region)"
)
class EvaluationsView(_CaseRecordsView):
    """Quality evaluations of a case (Art. 57), visible to its handler, the centre and regulators."""

    serializer_class = s.EvaluationSerializer
    create_serializer = s.EvaluationCreateSerializer
    rows_of = staticmethod(selectors.evaluations_of)
    record = staticmethod(services.evaluation_record)
