"""``GET /api/v1/stats/?year=&region=``: the public statistics (Legal Aid Law Art. 58), the same
figures as the page ``/stats/`` (both read ``duties.stats.public_stats``)."""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from duties.stats import PublicStats, StatsRegionNotFound, StatsYearInvalid, public_stats, stats_region, stats_year


@extend_schema_field({"oneOf": [{"type": "integer", "minimum": 5}, {"type": "string", "enum": ["<5"]}]})
class CellField(serializers.Field):
    """A count: the number, or "<5" when it is under 5 (or hidden beside one that is)."""

    def to_representation(self, value):
        return value.shown


@extend_schema_field({"type": "number", "nullable": True, "minimum": 0, "maximum": 100})
class ShareField(serializers.Field):
    """A percentage with one decimal; null when it would give a suppressed count back."""

    def to_representation(self, value):
        return None if value.percent is None else float(value.percent)


class BreakdownRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = CellField()


class PublicStatsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    region = serializers.CharField(source="region_code")
    region_name = serializers.CharField()
    received = CellField(help_text="Applications received in the year.")
    approved = CellField(help_text="Of those, approved.")
    refused = CellField(help_text="Of those, refused (and not approved on objection).")
    decided_within_7_days = ShareField(help_text="Share of the decided applications decided within 7 days (%).")
    assigned_within_3_days = ShareField(help_text="Share of the approved applications assigned within 3 days (%).")
    cases_by_kind = BreakdownRowSerializer(many=True)
    cases_by_group = BreakdownRowSerializer(many=True)
    cases_by_district = BreakdownRowSerializer(many=True)
    stations = CellField()
    station_intake = BreakdownRowSerializer(many=True, help_text="Applications registered at each station.")
    providers_with_duty = CellField()
    providers_completed = CellField()
    duty_completion = ShareField(help_text="Share of providers with a duty who met it (%).")


class PublicStatsView(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, description="2022 to this year; this year when omitted."),
            OpenApiParameter("region", OpenApiTypes.STR, description="A region code; the top region when omitted."),
        ],
        responses={
            200: PublicStatsSerializer,
            400: OpenApiResponse(description="A bad year"),
            404: OpenApiResponse(description="No such region"),
        },
    )
    def get(self, request):
        try:
            year = stats_year(request.query_params.get("year"))
        except StatsYearInvalid as exc:
            raise ValidationError({"year": [str(exc)]}, code="invalid_year") from exc
        try:
            region = stats_region(request.query_params.get("region"))
        except StatsRegionNotFound as exc:
            raise NotFound("No such region.", code="region_not_found") from exc
        stats: PublicStats = public_stats(year=year, region=region)
        return Response(PublicStatsSerializer(stats).data)


urlpatterns = [path("stats/", PublicStatsView.as_view(), name="public-stats-api")]
