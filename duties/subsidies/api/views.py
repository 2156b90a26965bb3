"""Subsidy endpoints (API.md, v1 additions): schedules, lines, payment batches and their export.
Each view parses, calls one service or selector, renders."""

from collections.abc import Callable

from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from duties.api.renderers import CSVRenderer, XLSXRenderer, table_responses
from duties.subsidies import access, selectors, services
from duties.subsidies.api import serializers as s
from duties.subsidies.models import BatchStatus, SubsidyBatch, SubsidyKind, SubsidyLine, SubsidySchedule, SubsidyStatus
from marketplace.core.api.schema import created, listed, shown
from marketplace.core.api.schema import error_responses as _errors
from marketplace.core.api.views import RecordDetailViewSet, validated
from marketplace.core.errors import NotFound
from marketplace.core.exports import export_response
from organizations.models import Organization

ID_REGEX = "[0-9]{1,15}"
ID_PARAMETER = OpenApiParameter("id", int, OpenApiParameter.PATH)


def _missing():
    raise NotFound()


# Subsidy records: an item is the row of the caller's list (404 otherwise), once the caller's role
# may read these records at all (403, ``require_reader``); a change needs the writer's access too
# (``write_access(user, pk, for_write=True)``). No docstring: drf-spectacular would publish it as
# the description of a subclass without one.
class _SubsidyRecordViewSet(RecordDetailViewSet):
    lookup_value_regex = ID_REGEX
    write_access: Callable

    def fetch(self, pk):
        self.require_reader(self.request.user)
        return self.get_queryset().filter(pk=pk).first() or _missing()

    def fetch_for_change(self, pk):
        """The record ``pk`` to change: first refused as ``fetch`` refuses (403 for the role, 404
        outside the caller's list), then by the writer's access (403)."""
        self.fetch(pk)
        return self.write_access(self.request.user, pk, for_write=True)


class ScheduleFilter(filters.FilterSet):
    year = filters.NumberFilter(field_name="year", min_value=1900, max_value=2200)
    region = filters.CharFilter(field_name="region_id", max_length=12)

    class Meta:
        model = SubsidySchedule
        fields = []


@extend_schema_view(
    list=listed(s.SubsidyScheduleSerializer, "Subsidy schedules, every version (regulators and legal aid centres)"),
    retrieve=shown(
        s.SubsidyScheduleSerializer,
        "One version of a subsidy schedule",
        parameters=[ID_PARAMETER],
        errors=(401, 403, 404),
    ),
)
class SubsidyScheduleViewSet(_SubsidyRecordViewSet):
    """The subsidy standard (办案补贴标准, Art. 52) per year and region, versioned."""

    serializer_class = s.SubsidyScheduleSerializer
    filterset_class = ScheduleFilter
    queryset = SubsidySchedule.objects.none()
    require_reader = staticmethod(access.require_schedule_reader)
    rows = staticmethod(access.schedules_visible_to)

    @created(
        s.SubsidyScheduleSerializer,
        "Set (or correct) the schedule of a year and region (the justice bureau of the region)",
        errors=(400, 401, 403, 409),
        description="Each POST makes a new version of the year and region's schedule (1 for the first); "
        "lines keep the version they were priced with. Amounts and multipliers are not negative (400 on "
        "the field). Another role: 403 not_justice_bureau; a region outside the bureau's: 400 "
        "outside_jurisdiction.",
        request=s.SubsidyScheduleCreateSerializer,
    )
    def create(self, request):
        v = validated(s.SubsidyScheduleCreateSerializer, request)
        schedule = services.subsidy_schedule_create(
            year=v["year"],
            region=v["region"],
            rates=[services.RateInput(r["kind"], r.get("stage", ""), r["amount"]) for r in v["lines"]],
            duty_half_day=v["duty_half_day"],
            travel_supplement=v["travel_supplement"],
            multipliers=dict(v["quality_multipliers"]),
            note=v["note"],
            by=request.user,
        )
        return self.answer(access.access_schedule(request.user, schedule.pk), code=status.HTTP_201_CREATED)


class LineFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=SubsidyStatus.choices)
    kind = filters.ChoiceFilter(choices=SubsidyKind.choices)
    year = filters.NumberFilter(field_name="year", min_value=1900, max_value=2200)
    organization = filters.NumberFilter(field_name="organization_id", min_value=0, max_value=2**53 - 1)
    batch = filters.NumberFilter(field_name="batch_id", min_value=0, max_value=2**53 - 1)
    volunteer = filters.NumberFilter(field_name="volunteer_id", min_value=0, max_value=2**53 - 1)

    class Meta:
        model = SubsidyLine
        fields = []


@extend_schema_view(
    list=listed(
        s.SubsidyLineSerializer,
        "Subsidy lines: the centre's own, the justice bureau's region",
        description="One line per closed case or served shift. flagged: no schedule (or rate) in force "
        "priced it yet. Other roles: 403.",
    ),
    retrieve=shown(s.SubsidyLineSerializer, "One subsidy line", parameters=[ID_PARAMETER], errors=(401, 403, 404)),
)
class SubsidyLineViewSet(_SubsidyRecordViewSet):
    """Subsidy lines (办案补贴明细)."""

    serializer_class = s.SubsidyLineSerializer
    filterset_class = LineFilter
    queryset = SubsidyLine.objects.none()
    require_reader = staticmethod(access.require_line_reader)
    write_access = staticmethod(access.access_line)
    rows = staticmethod(selectors.lines_for)
    rows_order = ("-created_at", "-id")

    @shown(
        s.SubsidyRecomputeSerializer,
        "Prove a line's amount from the schedule version it keeps",
        errors=(401, 403, 404),
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["get"])
    def recompute(self, request, pk=None):
        line = self.fetch(pk)
        return Response(s.SubsidyRecomputeSerializer(services.subsidy_recompute(line=line)).data)

    @shown(
        s.SubsidyLineSerializer,
        "Price a line again from the schedule now in force (the paying centre)",
        errors=(401, 403, 404, 409),
        description="For lines not yet batched, e.g. after the bureau corrected its schedule. A batched "
        "or paid line: 409 line_batched / line_paid (a paid line is reversed, never changed).",
        request=None,
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def reprice(self, request, pk=None):
        services.subsidy_reprice(line=self.fetch_for_change(pk), by=request.user)
        return self.answer_current(pk)

    @created(
        s.SubsidyLineSerializer,
        "Reverse a paid line (the paying centre): a line of the opposite amount",
        request=s.SubsidyReverseSerializer,
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        line = self.fetch_for_change(pk)
        reason = validated(s.SubsidyReverseSerializer, request)["reason"]
        reversal = services.subsidy_reverse(line=line, reason=reason, by=request.user)
        return self.answer_current(reversal.pk, code=status.HTTP_201_CREATED)


class BatchFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=BatchStatus.choices)
    organization = filters.NumberFilter(field_name="organization_id", min_value=0, max_value=2**53 - 1)

    class Meta:
        model = SubsidyBatch
        fields = []


@extend_schema_view(
    list=listed(s.SubsidyBatchSerializer, "Payment batches: the centre's own, the justice bureau's region"),
    retrieve=shown(s.SubsidyBatchSerializer, "One payment batch", parameters=[ID_PARAMETER], errors=(401, 403, 404)),
)
class SubsidyBatchViewSet(_SubsidyRecordViewSet):
    """Payment batches (补贴发放批次): priced lines of one centre, exported and marked paid."""

    serializer_class = s.SubsidyBatchSerializer
    filterset_class = BatchFilter
    queryset = SubsidyBatch.objects.none()
    require_reader = staticmethod(access.require_line_reader)
    write_access = staticmethod(access.access_batch)
    rows = staticmethod(selectors.batches_for)

    @created(
        s.SubsidyBatchSerializer,
        "Batch priced lines of the centre for payment (a coordinator of the legal aid centre)",
        description="Every line must be the centre's, priced and in no batch (400 on lines: not_found, "
        "not_batchable). A line paying the caller: 403 own_record. Another role: 403 "
        "not_legal_aid_center; a centre the caller does not coordinate: 404.",
        request=s.SubsidyBatchCreateSerializer,
    )
    def create(self, request):
        access.require_centre(request.user)
        v = validated(s.SubsidyBatchCreateSerializer, request)
        organization = Organization.objects.filter(pk=v["organization"]).first() or _missing()
        batch = services.subsidy_batch_create(
            organization=organization, line_ids=v["lines"], note=v["note"], by=request.user
        )
        return self.answer_current(batch.pk, code=status.HTTP_201_CREATED)

    @shown(
        s.SubsidyBatchSerializer,
        "Mark a batch paid (a coordinator of its centre); its lines are never changed again",
        errors=(401, 403, 404, 409),
        request=None,
        parameters=[ID_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def paid(self, request, pk=None):
        services.subsidy_batch_paid(batch=self.fetch_for_change(pk), by=request.user)
        return self.answer_current(pk)

    @extend_schema(
        summary="The batch's payment list, CSV or XLSX (Chinese headers, amounts as numbers)",
        parameters=[
            ID_PARAMETER,
            OpenApiParameter("format", str, enum=["csv", "xlsx"], description="csv (default) or xlsx."),
        ],
        responses={
            **table_responses(),
            **_errors(401, 403, 404),
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[CSVRenderer, XLSXRenderer, JSONRenderer])
    def export(self, request, pk=None):
        batch = self.fetch(pk)
        rows = selectors.batch_export_rows(batch)
        xlsx = request.accepted_renderer.format == "xlsx"
        return export_response(
            request, selectors.BATCH_COLUMNS, rows, xlsx=xlsx, filename=f"subsidy-batch-{batch.pk}", title="batch"
        )
