"""Duties API: hour logs, the ledger, quota rules, progress, annual reviews, reports."""

from collections.abc import Callable

from django import forms
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from duties import access, selectors, services
from duties.api import serializers as s
from duties.api.renderers import REPORT_FORMAT_PARAMETER, CSVRenderer, PDFRenderer, XLSXRenderer, table_responses
from duties.certificates import certificate_pdf
from duties.models import AnnualReview, DutyEntry, EntryKind, HourLog, HourLogStatus, ReviewStatus
from marketplace.core.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent
from marketplace.core.api.views import validated
from marketplace.core.errors import Conflict, NotFound
from marketplace.core.exports import export_response
from organizations.api.permissions import IsProviderOrCoordinator, IsProviderOrRegulator, IsRegulator
from organizations.roles import roles_of
from organizations.selectors import within_region_code
from volunteers import assessment
from volunteers.models import VolunteerKind

ERROR = inline_serializer("DutiesError", {"detail": serializers.CharField(), "code": serializers.CharField()})
FIELD_ERRORS = OpenApiResponse(OpenApiTypes.OBJECT, description="Bad input: {field: [message], ...}")


def errors(*codes: int) -> dict:
    """Documented error answers: 400 is field errors, the rest ``{"detail", "code"}``."""
    return {code: (FIELD_ERRORS if code == 400 else ERROR) for code in codes}


def documented(serializer, *, list_errors=(400, 401, 403), item_errors=(401, 404)):
    """The schema of a viewset's list and item, as ``serializer`` renders them, with their errors."""
    return extend_schema_view(
        list=extend_schema(responses={200: serializer(many=True), **errors(*list_errors)}),
        retrieve=extend_schema(responses={200: serializer, **errors(*item_errors)}),
    )


def asked_year(query_serializer, request):
    """The query's values, now, and the year asked (by default the current one, Asia/Shanghai)."""
    query = query_serializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    now = timezone.now()
    return query.validated_data, now, query.validated_data.get("year") or timezone.localdate(now).year


class IntegerFilter(filters.NumberFilter):
    """A whole number within bounds: ``?year=0.5`` or a 30-digit id is 400, never a 500."""

    field_class = forms.IntegerField

    def __init__(self, *args, min_value=0, max_value=2**53 - 1, **kwargs):
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)


def YearFilter(field_name):  # noqa: N802 - reads like the other filter classes
    return IntegerFilter(field_name=field_name, min_value=1900, max_value=2200)


# Path ids are digits of sane length; anything else does not resolve (404).
ID_REGEX = "[0-9]{1,15}"


class ReadsHours(IsProviderOrCoordinator):
    """Hour logs are for providers and coordinators; anyone else is the wrong role (403)."""

    message = gettext_lazy("Hour logs are for providers and coordinators.")


class ReadsDuty(IsProviderOrRegulator):
    """Ledger and reviews are for providers and regulators; anyone else is the wrong role (403)."""

    message = gettext_lazy("The duty ledger is for providers and regulators.")


class _ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A list and its items, by default for signed-in users: ``list_permission`` says who may read
    the list (anyone else: 403); ``rows`` (a selector of the caller) gives the list's records, and
    ``fetch_for`` (an access helper of the caller and the id) an item (404 for "not yours");
    without ``fetch_for`` an item is looked up in the filtered list. A viewset with other rules
    says them in ``get_permissions``."""

    lookup_value_regex = ID_REGEX
    permission_classes = [permissions.IsAuthenticated]
    list_permission: type[permissions.BasePermission]
    rows: Callable
    fetch_for: Callable | None = None

    def get_permissions(self):
        return [self.list_permission()] if self.action == "list" else super().get_permissions()

    def get_queryset(self):
        return self.rows(self.request.user)

    def get_object(self):
        if self.fetch_for is None:
            return super().get_object()
        return self.fetch_for(self.request.user, self.kwargs["pk"])

    def _answer(self, record, *, code: int = status.HTTP_200_OK) -> Response:
        """``record`` as the list shows it (after an action: as it now stands)."""
        return Response(self.serializer_class(self.get_queryset().get(pk=record.pk)).data, status=code)

    def _act(self, request, service, body, *, code: int = status.HTTP_200_OK, **target) -> Response:
        """An action on one record (``target``, fetched by the caller first: 404 before 400): read
        ``body``, let ``service`` act on the record, answer what it returns."""
        data = validated(body, request)
        return self._answer(service(**target, by=request.user, **data), code=code)


# --- hour logs ----------------------------------------------------------------------------


class ClaimHoursView(APIView):
    """``POST /claims/{id}/hours/``: the accepted provider logs hours for one day."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="claims_hours_create",
        request=s.HourLogCreateSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: s.HourLogSerializer, **errors(400, 401, 403, 404, 409)},
        tags=["hours"],
    )
    @idempotent
    def post(self, request, claim_id: int):
        claim = access.access_claim_for_hours(request.user, claim_id)
        data = validated(s.HourLogCreateSerializer, request)
        log = services.hours_log(claim=claim, by=request.user, **data)
        return Response(s.HourLogSerializer(log).data, status=status.HTTP_201_CREATED)


class HourLogFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=HourLogStatus.choices)
    volunteer = IntegerFilter(field_name="volunteer_id")
    organization = IntegerFilter(field_name="claim__task__organization_id")
    claim = IntegerFilter(field_name="claim_id")
    year = YearFilter("date__year")


@documented(s.HourLogSerializer)
class HourLogViewSet(_ReadViewSet):
    """Hour logs: the provider's own, and those on the coordinator's organisations' tasks."""

    serializer_class = s.HourLogSerializer
    list_permission = ReadsHours
    filterset_class = HourLogFilter
    queryset = HourLog.objects.none()
    rows = staticmethod(selectors.hour_logs_latest_first)
    fetch_for = staticmethod(access.access_hour_log)

    @extend_schema(
        request=s.HourConfirmSerializer, responses={200: s.HourLogSerializer, **errors(400, 401, 403, 404, 409)}
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._act(request, services.hours_confirm, s.HourConfirmSerializer, log=self.get_object())

    @extend_schema(
        request=s.HourDeclineSerializer, responses={200: s.HourLogSerializer, **errors(400, 401, 403, 404, 409)}
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._act(request, services.hours_decline, s.HourDeclineSerializer, log=self.get_object())

    def _bulk_act(self, request, service, body) -> Response:
        """An action on the logs ``ids`` of ``body`` (each one the caller sees: 404 otherwise, like
        the one-by-one endpoints): ``service`` acts on them all, the answer lists them as they now
        stand."""
        data = validated(body, request)
        ids = data["ids"]
        visible = set(self.get_queryset().filter(pk__in=ids).values_list("pk", flat=True))
        if any(i not in visible for i in ids):
            raise NotFound()
        logs = service(by=request.user, **data)
        rows = self.get_queryset().filter(pk__in=[log.pk for log in logs])
        return Response({"count": len(logs), "results": s.HourLogSerializer(rows, many=True).data})

    @extend_schema(
        request=s.BulkIdsSerializer, responses={200: s.HourLogBulkResultSerializer, **errors(400, 401, 403, 404, 409)}
    )
    @action(detail=False, methods=["post"], url_path="bulk-confirm")
    def bulk_confirm(self, request):
        return self._bulk_act(request, services.hours_bulk_confirm, s.BulkIdsSerializer)

    @extend_schema(
        request=s.BulkDeclineSerializer,
        responses={200: s.HourLogBulkResultSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=False, methods=["post"], url_path="bulk-decline")
    def bulk_decline(self, request):
        return self._bulk_act(request, services.hours_bulk_decline, s.BulkDeclineSerializer)


# --- ledger -------------------------------------------------------------------------------


class LedgerFilter(filters.FilterSet):
    volunteer = IntegerFilter(field_name="volunteer_id")
    year = YearFilter("year")
    kind = filters.ChoiceFilter(choices=EntryKind.choices)


@documented(s.DutyEntrySerializer)
class LedgerViewSet(_ReadViewSet):
    """The duty ledger: providers read their own entries, regulators those of their region."""

    serializer_class = s.DutyEntrySerializer
    list_permission = ReadsDuty
    filterset_class = LedgerFilter
    queryset = DutyEntry.objects.none()
    rows = staticmethod(selectors.ledger_latest_first)

    def retrieve(self, request, *args, **kwargs):
        # 404 for an entry the caller does not see (before a filter's 400); then the entry as the
        # filtered list shows it, with ``is_reversed``.
        access.access_entry(request.user, kwargs["pk"])
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=s.ReverseSerializer, responses={201: s.DutyEntrySerializer, **errors(400, 401, 403, 404, 409)}
    )
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        entry = access.access_entry(request.user, pk)
        return self._act(request, services.entry_reverse, s.ReverseSerializer, code=201, entry=entry)


# --- rules and progress -------------------------------------------------------------------


class DutyRuleFilter(filters.FilterSet):
    year = YearFilter("year")
    region = filters.CharFilter(field_name="region_id")
    volunteer_kind = filters.ChoiceFilter(choices=VolunteerKind.choices)


@documented(s.DutyRuleListedSerializer, list_errors=(400,), item_errors=(404,))
class DutyRuleViewSet(mixins.CreateModelMixin, _ReadViewSet):
    """Quota rules: anyone reads them; regulators set them for their region."""

    serializer_class = s.DutyRuleListedSerializer
    filterset_class = DutyRuleFilter

    def get_queryset(self):
        return selectors.duty_rules()

    def get_permissions(self):
        if self.action in ("create", "partial_update", "destroy"):
            return [IsRegulator()]
        return [permissions.AllowAny()]

    @extend_schema(
        request=s.DutyRuleSerializer, responses={201: s.DutyRuleListedSerializer, **errors(400, 401, 403, 409)}
    )
    def create(self, request, *args, **kwargs):
        data = validated(s.DutyRuleSerializer, request)
        rule = services.rule_create(by=request.user, **data)
        return self._answer(rule, code=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.DutyRuleSerializer(partial=True),
        responses={200: s.DutyRuleListedSerializer, **errors(400, 401, 403, 404, 409)},
        description="Correct a rule of your jurisdiction; 409 `rule_in_use` once a review recorded it.",
    )
    def partial_update(self, request, *args, **kwargs):
        rule = access.access_rule_for_write(request.user, kwargs["pk"])
        data = validated(s.DutyRuleSerializer, request, partial=True)
        return self._answer(services.rule_update(rule=rule, by=request.user, **data))

    @extend_schema(
        responses={204: None, **errors(401, 403, 404, 409)},
        description="Delete a rule of your jurisdiction; 409 `rule_in_use` once a review recorded it.",
    )
    def destroy(self, request, *args, **kwargs):
        rule = access.access_rule_for_write(request.user, kwargs["pk"])
        services.rule_delete(rule=rule, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProgressView(APIView):
    """``GET /volunteers/{id}/progress/?year=``: hours and cases against the applicable rule."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="volunteers_progress_retrieve",
        parameters=[OpenApiParameter("year", int, description="Defaults to the current year.")],
        responses={200: s.ProgressSerializer, **errors(400, 401, 404)},
        tags=["volunteers"],
    )
    def get(self, request, volunteer_id: int):
        volunteer = access.access_volunteer_duty(request.user, volunteer_id)
        _, now, year = asked_year(s.YearQuerySerializer, request)
        return Response(s.ProgressSerializer(selectors.progress_for(volunteer, year, now)).data)


# --- annual reviews -----------------------------------------------------------------------


class ReviewFilter(filters.FilterSet):
    year = YearFilter("year")
    region = filters.CharFilter(method="filter_region", help_text="Region code; includes sub-regions.")
    status = filters.ChoiceFilter(choices=ReviewStatus.choices)
    volunteer_kind = filters.ChoiceFilter(field_name="volunteer__kind", choices=VolunteerKind.choices)
    volunteer = IntegerFilter(field_name="volunteer_id")

    def filter_region(self, queryset, name, value):
        return within_region_code(queryset, value)


@documented(s.AnnualReviewSerializer)
class ReviewViewSet(_ReadViewSet):
    """Annual reviews (年度考核): regulators of the region run them; providers read their own."""

    serializer_class = s.AnnualReviewSerializer
    list_permission = ReadsDuty
    filterset_class = ReviewFilter
    queryset = AnnualReview.objects.none()
    rows = staticmethod(selectors.reviews_latest_first)
    fetch_for = staticmethod(access.access_review)

    def get_renderers(self):
        if self.action == "certificate":
            return [JSONRenderer(), PDFRenderer()]
        return super().get_renderers()

    def get_permissions(self):
        if self.action in ("open_reviews", "decide_compliant"):
            return [IsRegulator()]
        return super().get_permissions()

    def retrieve(self, request, *args, **kwargs):
        return self._answer(self.get_object())

    @extend_schema(
        request=s.ReviewOpenSerializer,
        responses={200: s.ReviewOpenResultSerializer, **errors(400, 401, 403, 409)},
        description=(
            "Opens one review per provider of the region a rule applies to. A year that has not ended"
            " (Asia/Shanghai) needs `early: true` with a `reason` (else 409 `year_not_ended`); a year"
            " no rule covers in the region is 409 `no_rule` and opens nothing."
        ),
    )
    @action(detail=False, methods=["post"], url_path="open")
    def open_reviews(self, request):
        data = validated(s.ReviewOpenSerializer, request)
        return Response(services.reviews_open(by=request.user, **data))

    @extend_schema(
        request=s.ReviewDecideSerializer, responses={200: s.AnnualReviewSerializer, **errors(400, 401, 403, 404, 409)}
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self._act(request, services.review_decide, s.ReviewDecideSerializer, review=self.get_object())

    @extend_schema(
        request=s.DecideCompliantSerializer,
        responses={200: s.DecideCompliantResultSerializer, **errors(400, 401, 403, 409)},
        description=(
            "`dry_run: true` lists what would be decided and changes nothing; sending its `preview`"
            " back decides only if the list is unchanged (else 409 `preview_outdated`)."
        ),
    )
    @action(detail=False, methods=["post"], url_path="decide-compliant")
    def decide_compliant(self, request):
        data = validated(s.DecideCompliantSerializer, request)
        reviews = services.reviews_decide_compliant(by=request.user, **data)
        return Response(
            {
                "dry_run": reviews.dry_run,
                "count": len(reviews.candidates),
                "decided": len(reviews),
                "reviews": [c.review_id for c in reviews.candidates],
                "results": s.ReviewToDecideSerializer(reviews.candidates, many=True).data,
                "preview": reviews.preview,
                "skipped": s.SkippedReviewSerializer(reviews.skipped, many=True).data,
            }
        )

    @extend_schema(
        request=s.CertificateRevokeSerializer,
        responses={200: s.AnnualReviewSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="revoke-certificate")
    def revoke_certificate(self, request, pk=None):
        data = validated(s.CertificateRevokeSerializer, request)
        return self._answer(services.certificate_revoke(review=self.get_object(), by=request.user, **data))

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **errors(401, 404, 409)},
    )
    @action(detail=True, methods=["get"])
    def certificate(self, request, pk=None):
        review = (
            self.get_queryset().select_related("decided_by_org", "volunteer__practice_org").get(pk=self.get_object().pk)
        )
        if not review.has_certificate:
            raise Conflict(_("Only compliant or exempt reviews have a certificate."), code="no_certificate")
        if review.certificate_revoked_at:
            raise Conflict(_("This certificate was revoked."), code="certificate_revoked")
        pdf = certificate_pdf(review)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="certificate-{review.year}-{review.volunteer_id}.pdf"'
        return response


# --- reports ------------------------------------------------------------------------------


class ComplianceReportView(APIView):
    """``GET /reports/compliance/?year=&region=``: counts for regulators; CSV or XLSX lists."""

    renderer_classes = [JSONRenderer, CSVRenderer, XLSXRenderer]

    def get_permissions(self):
        # The report is for regulators; other methods answer 405 (or OPTIONS) to anyone signed in.
        return [IsRegulator()] if self.request.method in ("GET", "HEAD") else [permissions.IsAuthenticated()]

    @extend_schema(
        operation_id="reports_compliance_retrieve",
        parameters=[
            OpenApiParameter("year", int, description="Defaults to the current year."),
            OpenApiParameter("region", str, description="Region code; defaults to the caller's jurisdiction."),
            REPORT_FORMAT_PARAMETER,
        ],
        responses={
            **table_responses(s.ComplianceReportSerializer),
            **errors(400, 401, 403),
        },
        tags=["reports"],
    )
    def get(self, request):
        query, now, year = asked_year(s.ReportQuerySerializer, request)
        code = query.get("region")
        roles = roles_of(request.user)
        region = access.region_param(code) if code else roles.regulated_regions[0]
        roles.require_regulator(region)
        # Only the kinds of provider the caller's organisation assesses (volunteers.ASSESSED_BY).
        kinds = assessment.kinds_assessed_by(request.user, region)
        fmt = request.accepted_renderer.format
        if fmt in ("csv", "xlsx"):
            rows = selectors.compliance_export_rows(region=region, year=year, now=now, kinds=kinds)
            filename = f"compliance-{region.code}-{year}"
            return export_response(
                request, selectors.REPORT_COLUMNS, rows, xlsx=fmt == "xlsx", filename=filename, title="compliance"
            )
        return Response(selectors.compliance_report(region=region, year=year, now=now, kinds=kinds))
