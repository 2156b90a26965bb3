"""``GET /api/v1/law-firms/{id}/progress/?year=``: a law firm's lawyers' duty progress and totals.

Art. 16: a law firm supports its lawyers' legal aid and sees how they stand. Who: coordinators
and admins of the firm; anyone else, or an organisation that is not a law firm, 404. The page
``/firm/progress/`` shows the same (``duties.selectors.firm_progress``).
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from duties.access import access_law_firm
from duties.api import serializers as s
from duties.api.views import asked_year, errors
from duties.selectors import firm_progress


class FirmLawyerSerializer(serializers.Serializer):
    volunteer = serializers.IntegerField()
    name = serializers.CharField()
    licence_number = serializers.CharField()
    hours = serializers.DecimalField(max_digits=9, decimal_places=2)
    cases = serializers.IntegerField()
    required_hours = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    required_cases = serializers.IntegerField(allow_null=True)
    status = serializers.CharField(help_text="Progress: met, on_track, behind or exempt.")


class FirmTotalsSerializer(serializers.Serializer):
    lawyers = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=11, decimal_places=2)
    cases = serializers.IntegerField()
    met = serializers.IntegerField()
    on_track = serializers.IntegerField()
    behind = serializers.IntegerField()
    exempt = serializers.IntegerField()


class FirmProgressSerializer(serializers.Serializer):
    firm = serializers.IntegerField()
    name = serializers.CharField()
    year = serializers.IntegerField()
    lawyers = FirmLawyerSerializer(many=True)
    totals = FirmTotalsSerializer()


class FirmProgressView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="law_firms_progress_retrieve",
        parameters=[OpenApiParameter("year", int, description="Defaults to the current year.")],
        responses={200: FirmProgressSerializer, **errors(400, 401, 404)},
        tags=["law-firms"],
    )
    def get(self, request, firm_id: int):
        firm = access_law_firm(request.user, firm_id)
        _, _, year = asked_year(s.YearQuerySerializer, request)
        return Response(FirmProgressSerializer(firm_progress(firm, year)).data)
