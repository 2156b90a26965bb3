"""Evidence request endpoints (API.md, v1 additions). Each view parses, calls one service or
selector, renders."""

from django.http import HttpResponse
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from marketplace.cases.api.serializers import DocumentSerializer
from marketplace.cases.api.uploads import LimitedUploads
from marketplace.core.api.filters import IdFilter, StrictBooleanFilter
from marketplace.core.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from marketplace.core.api.schema import error_responses as _errors
from marketplace.core.api.schema import listed, shown
from marketplace.core.api.views import FileErrorsAsJson, RecordDetailViewSet, validated
from marketplace.evidence import selectors, services
from marketplace.evidence.access import access_evidence_request, require_evidence_reader
from marketplace.evidence.api import serializers as s
from marketplace.evidence.letters import evidence_letter_pdf
from marketplace.evidence.models import EvidenceRequest, EvidenceStatus
from organizations.roles import roles_of


class EvidenceRequestFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=EvidenceStatus.choices)
    task = IdFilter(field_name="task_id")
    department = IdFilter(field_name="department_id")
    overdue = StrictBooleanFilter(field_name="overdue", help_text="true: unanswered after its due day.")
    role = filters.ChoiceFilter(
        method="filter_role",
        choices=[("handler", "handler"), ("department", "department"), ("centre", "centre")],
        help_text="handler: the caller's own; department: the queue of the departments it coordinates; "
        "centre: the requests on the cases of the organisations it coordinates.",
    )

    class Meta:
        model = EvidenceRequest
        fields = []

    def filter_role(self, queryset, name, value):
        user = self.request.user
        org_ids = roles_of(user).coordinated_ids
        if value == "handler":
            return queryset.filter(handler__user=user)
        if value == "department":
            return queryset.filter(department_id__in=org_ids)
        return queryset.filter(task__organization_id__in=org_ids)


@extend_schema_view(
    list=listed(
        s.EvidenceRequestSerializer,
        "Evidence requests the caller may see: its own (handler), its department's queue, its centre's cases",
    ),
    retrieve=shown(
        s.EvidenceRequestSerializer, "One evidence request (the handler, the department asked, the case's centre)"
    ),
)
class EvidenceRequestViewSet(LimitedUploads, FileErrorsAsJson, RecordDetailViewSet):
    """Evidence requests (调查取证): the handler of a case asks a government department for
    materials, free of charge (the 2004 Changzhou opinion; Legal Aid Law Art. 53)."""

    serializer_class = s.EvidenceRequestSerializer
    filterset_class = EvidenceRequestFilter
    queryset = EvidenceRequest.objects.none()
    lookup_value_regex = "[0-9]{1,19}"
    file_actions = ("letter",)
    require_reader = staticmethod(require_evidence_reader)
    fetch_for = staticmethod(access_evidence_request)
    record_name = "request"
    upload_action = "documents"

    def get_queryset(self):
        qs = selectors.evidence_requests_visible_to(self.request.user)
        return selectors.with_overdue(qs, today=timezone.localdate()).order_by("-requested_at", "-id")

    @extend_schema(
        summary="Ask a government department for materials (the handler of the case)",
        description="403 not_handler unless the caller holds the accepted claim on the case task; 400 "
        "not_a_case, not_a_department; 409 case_closed. The letter is at letter_url.",
        request=s.EvidenceRequestCreateSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: s.EvidenceRequestSerializer, **_errors(400, 401, 403, 409)},
    )
    @idempotent
    def create(self, request):
        values = validated(s.EvidenceRequestCreateSerializer, request, context={"request": request})
        created = services.evidence_request_create(by=request.user, **values)
        return self.answer_current(created.pk, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The department answers: provided (fee waived or not) or refused with a reason",
        description="Coordinators of the department asked only (403 not_department for the handler and the "
        "centre; another department's request is 404). Once: 409 already_answered.",
        request=s.EvidenceRespondSerializer,
        responses={200: s.EvidenceRequestSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        return self.act(pk, services.evidence_request_respond, s.EvidenceRespondSerializer)

    @extend_schema(
        summary="The department files a copy of the materials into the case (multipart field file)",
        description="Coordinators of the department asked, before or with a provided answer (409 request_refused "
        "on a refused one). Stored as a document of the case (PDF, JPEG or PNG; CASE_DOCUMENT_MAX_BYTES, 413): the "
        "handler and the centre download it at its url.",
        request={"multipart/form-data": s.EvidenceDocumentUploadSerializer},
        responses={201: DocumentSerializer, **_errors(400, 401, 403, 404, 409, 413)},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def documents(self, request, pk=None):
        evidence = self.fetch(pk)
        upload = validated(s.EvidenceDocumentUploadSerializer, request)["file"]
        document = services.evidence_document_upload(request=evidence, upload=upload, by=request.user)
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The letter to the department (法律援助协助调查取证函), a PDF in Chinese",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **_errors(401, 404)},
    )
    @action(detail=True, methods=["get"])
    def letter(self, request, pk=None):
        evidence = self.fetch(pk)
        response = HttpResponse(evidence_letter_pdf(evidence), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="evidence-letter-{evidence.pk}.pdf"'
        return response
