"""``GET /reports/inspection/``: the annual inspection (年检) list for the region's regulators."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from duties import inspection
from duties.api.renderers import REPORT_FORMAT_PARAMETER, CSVRenderer, XLSXRenderer, table_responses
from marketplace.core.api.schema import error_responses as _errors
from marketplace.core.errors import Forbidden, Invalid
from marketplace.core.exports import export_response
from organizations.models import Region
from organizations.roles import roles_of


class InspectionQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    region = serializers.CharField(required=False, max_length=12)


class InspectionFirmSerializer(serializers.Serializer):
    firm = serializers.IntegerField(allow_null=True, help_text="The law firm's id; null: lawyers without a firm.")
    firm_name = serializers.CharField()
    lawyers = serializers.IntegerField()
    met = serializers.IntegerField()
    not_met = serializers.IntegerField()
    exempt = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=12, decimal_places=2)
    cases = serializers.IntegerField()


class InspectionSummarySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    region = serializers.CharField()
    firms = InspectionFirmSerializer(many=True)


class InspectionReportView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    renderer_classes = [JSONRenderer, CSVRenderer, XLSXRenderer]
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        operation_id="reports_inspection_retrieve",
        summary="The annual inspection (年检) list of a region's lawyers and firms (its regulators)",
        description="Without format: per law firm, its lawyers and how many met (达标), did not meet "
        "(未达标) or were exempt (免除). format=csv or xlsx streams the per-lawyer list: firm, name, "
        "licence number, hours, cases, outcome, certificate number and code (Chinese headers). For "
        "reviewers of a justice bureau or lawyers' association whose region covers ``region``.",
        parameters=[
            OpenApiParameter("year", int, description="Defaults to last year (a year is inspected after it ends)."),
            OpenApiParameter("region", str, description="Region code; defaults to the caller's jurisdiction."),
            REPORT_FORMAT_PARAMETER,
        ],
        responses={
            **table_responses(InspectionSummarySerializer),
            **_errors(400, 401, 403),
        },
        tags=["reports"],
    )
    def get(self, request):
        query = InspectionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        now = timezone.now()
        year = query.validated_data.get("year") or timezone.localdate(now).year - 1
        roles = roles_of(request.user)
        if not roles.is_regulator:
            raise Forbidden(_("Only regulators may do this."))
        code = query.validated_data.get("region")
        region = Region.objects.filter(code=code).first() if code else roles.regulated_regions[0]
        if region is None or not roles.regulates(region):
            raise Invalid(_("Region %(code)s is outside your jurisdiction.") % {"code": code}, field="region")
        fmt = request.accepted_renderer.format
        filename = f"inspection-{region.code}-{year}"
        if fmt in ("csv", "xlsx"):
            rows = inspection.inspection_export_rows(region=region, year=year, now=now)
            return export_response(
                request, inspection.INSPECTION_COLUMNS, rows, xlsx=fmt == "xlsx", filename=filename, title="inspection"
            )
        summary = inspection.inspection_summary(region=region, year=year, now=now)
        return Response(InspectionSummarySerializer(summary).data)
