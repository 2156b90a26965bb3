"""Application endpoints (API.md, v1 additions). Each view parses, calls one service or selector, renders."""

from django.conf import settings
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from marketplace.applications import selectors, services
from marketplace.applications.access import access_application, require_applications_reader
from marketplace.applications.api import serializers as s
from marketplace.applications.assignment import firm_assignments_visible_to
from marketplace.applications.letters import decision_letter_pdf
from marketplace.applications.models import (
    Application,
    ApplicationStatus,
    Channel,
    FirmAssignment,
    FirmAssignmentStatus,
)
from marketplace.core.api.filters import BoundedIsoDateTimeFilter, StrictBooleanFilter
from marketplace.core.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from marketplace.core.api.schema import error_responses as _errors
from marketplace.core.api.schema import listed
from marketplace.core.api.views import FileErrorsAsJson, RecordDetailViewSet, RecordViewSet, paged, validated
from marketplace.core.errors import Forbidden
from marketplace.core.ids import parse_id
from organizations.roles import roles_of


class ApplicationFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ApplicationStatus.choices)
    organization = filters.NumberFilter(
        method="filter_organization", help_text="Registered at, or reviewed by, this organisation."
    )
    channel = filters.ChoiceFilter(choices=Channel.choices)
    overdue = StrictBooleanFilter(
        field_name="overdue", method="filter_overdue", help_text="true: a running due date has passed."
    )
    due_before = filters.DateFilter(
        method="filter_due_before", help_text="A running due date (decision, assignment, objection) before this day."
    )
    received_after = BoundedIsoDateTimeFilter(field_name="received_at", lookup_expr="gte")

    class Meta:
        model = Application
        fields = []

    def filter_organization(self, queryset, name, value):
        if value is None:
            return queryset
        pk = parse_id(value)
        if pk is None:
            return queryset.none()
        return queryset.filter(Q(organization_id=pk) | Q(centre_id=pk))

    def filter_overdue(self, queryset, name, value):
        # true: the condition itself, which the planner can use, not the annotation's CASE over it
        # (the same rows; docs/bench.md, "The grown product"). false: the annotation.
        if value is None:
            return queryset
        if value:
            return queryset.filter(selectors.due_before(timezone.localdate()))
        return queryset.filter(overdue=False)

    def filter_due_before(self, queryset, name, value):
        return queryset.filter(selectors.due_before(value))


@extend_schema_view(
    list=listed(s.ApplicationSerializer, "Applications the caller may see, with their due dates"),
    retrieve=extend_schema(
        description="The centre and the registering station also get the parties (each such answer is "
        "recorded as a reveal); regulators of the region get everything else.",
        responses={200: s.ApplicationDetailSerializer, **_errors(401, 404)},
    ),
)
class ApplicationViewSet(FileErrorsAsJson, RecordDetailViewSet):
    """Legal aid applications (申请): registration, forwarding, review, decision, objection."""

    serializer_class = s.ApplicationSerializer
    filterset_class = ApplicationFilter
    queryset = Application.objects.none()
    lookup_value_regex = "[0-9]{1,15}"
    file_actions = ("decision_letter",)
    require_reader = staticmethod(require_applications_reader)
    record_name = "application"

    def get_queryset(self):
        today = timezone.localdate()
        qs = selectors.applications_visible_to(self.request.user, today=today)
        return selectors.for_display(qs).order_by("-received_at", "-id")

    def fetch(self, pk) -> Application:
        return access_application(self.request.user, pk, today=timezone.localdate())

    def retrieve(self, request, pk=None):
        application = self.fetch(pk)
        parties = services.application_reveal_identity(
            application=application, by=request.user, via="application_detail"
        )
        return Response(s.ApplicationDetailSerializer(application, context={"identity": parties}).data)

    @extend_schema(
        summary="Counts and timeliness of a region's applications in a year (regulators)",
        description="For reviewers of justice bureaus and lawyers' associations (403 otherwise), for a region "
        "in their jurisdiction (400 `outside_jurisdiction` on `region`). Counts only, never an identity: "
        "received, decided, approved, refused, decided within time (7 days, Art. 43), assigned, assigned "
        "within time (3 days), overdue now.",
        parameters=[s.StatsQuerySerializer],
        responses={200: s.StatsSerializer, **_errors(400, 401, 403)},
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def stats(self, request):
        query = s.StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        roles = roles_of(request.user)
        region = query.validated_data.get("region")
        roles.require_regulator(region, detail=_("Only regulators read the statistics of applications."))
        region = region or roles.regulated_regions[0]
        today = timezone.localdate()
        stats = selectors.application_stats(
            region=region, year=query.validated_data.get("year", today.year), today=today
        )
        return Response(
            s.StatsSerializer({**stats.__dict__, "region": stats.region.code, "region_name": stats.region.name}).data
        )

    @extend_schema(
        summary="Register an application (受理登记)",
        request=s.ApplicationCreateSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: s.ApplicationSerializer, **_errors(400, 401, 403, 409)},
    )
    @idempotent
    def create(self, request):
        values = dict(validated(s.ApplicationCreateSerializer, request))
        application = services.application_register(
            organization=values.pop("organization"),
            applicant=dict(values.pop("applicant")),
            opposing_party=dict(values.pop("opposing_party") or {}),
            values=values,
            by=request.user,
        )
        return self.answer_current(application.pk, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Forward a station's application to the legal aid centre of its region",
        request=None,
        responses={200: s.ApplicationSerializer, **_errors(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        return self.act(pk, services.application_forward)

    @extend_schema(
        summary="Ask for the missing materials, in one list; the clock stops",
        request=s.ItemsSerializer,
        responses={200: s.ApplicationSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="request-materials")
    def request_materials(self, request, pk=None):
        return self.act(pk, services.application_request_materials, s.ItemsSerializer)

    @extend_schema(
        summary="The missing materials arrived; the clock runs again",
        request=s.ReceivedItemsSerializer,
        responses={200: s.ApplicationSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="materials-received")
    def materials_received(self, request, pk=None):
        return self.act(pk, services.application_materials_received, s.ReceivedItemsSerializer)

    @extend_schema(
        summary="Approve (creates the case task) or refuse, in writing",
        request=s.DecideSerializer,
        responses={200: s.ApplicationSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self.act(pk, services.application_decide, s.DecideSerializer)

    @extend_schema(
        summary="Register the applicant's objection to a refusal (Art. 49)",
        request=s.ObjectionCreateSerializer,
        responses={201: s.ApplicationSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def objection(self, request, pk=None):
        return self.act(pk, services.objection_register, s.ObjectionCreateSerializer, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The justice bureau decides the objection: upheld reopens the review",
        request=s.ObjectionDecideSerializer,
        responses={200: s.ApplicationSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="objection/decide")
    def objection_decide(self, request, pk=None):
        return self.act(pk, services.objection_decide, s.ObjectionDecideSerializer)

    @extend_schema(
        summary="The decision letter (给予/不予法律援助决定书), a PDF in Chinese",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **_errors(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["get"], url_path="decision-letter")
    def decision_letter(self, request, pk=None):
        application = self.fetch(pk)
        applicant = services.decision_letter_access(application=application, by=request.user)
        decision = list(application.decisions.all())[-1]
        bureau = selectors.bureau_for_centre(application.centre)
        pdf = decision_letter_pdf(
            application,
            decision,
            applicant=applicant,
            bureau_name=bureau.name if bureau else "设立本中心的司法行政机关",
            objection_days=settings.LEGAL_AID_OBJECTION_DAYS,
            assign_days=settings.LEGAL_AID_ASSIGN_DAYS,
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="decision-letter-{application.pk}.pdf"'
        return response

    @extend_schema(
        summary="The parties (applicant, opposing party); the reveal is recorded",
        responses={200: s.IdentitySerializer, **_errors(401, 403, 404)},
    )
    @action(detail=True, methods=["get"])
    def identity(self, request, pk=None):
        application = self.fetch(pk)
        parties = services.application_reveal_identity(
            application=application, by=request.user, via="identity", required=True
        )
        return Response(s.IdentitySerializer(parties).data)

    @extend_schema(
        summary="Who saw the parties, and when",
        responses={200: s.IdentityRevealSerializer(many=True), **_errors(401, 403, 404)},
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def reveals(self, request, pk=None):
        application = self.fetch(pk)
        if not selectors.can_see_identity(request.user, application):
            raise Forbidden(code="identity_withheld")
        return paged(self, selectors.reveals_of(application), s.IdentityRevealSerializer)


class FirmAssignmentFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=FirmAssignmentStatus.choices)

    class Meta:
        model = FirmAssignment
        fields = []


@extend_schema_view(
    list=extend_schema(
        summary="Cases assigned to law firms: the firm's directors see theirs, the centre its cases'",
        responses={200: s.FirmAssignmentSerializer(many=True), **_errors(400, 401)},
    )
)
class FirmAssignmentViewSet(RecordViewSet):
    """Awaiting ones first, then the latest. The director names the handler at
    ``POST /api/v1/tasks/{task}/name-handler/``."""

    serializer_class = s.FirmAssignmentSerializer
    filterset_class = FirmAssignmentFilter
    queryset = FirmAssignment.objects.none()

    def get_queryset(self):
        awaiting_first = Case(
            When(status=FirmAssignmentStatus.AWAITING_HANDLER, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return firm_assignments_visible_to(self.request.user).order_by(awaiting_first, "handler_due", "-id")
