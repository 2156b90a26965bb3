"""``GET /api/v1/law-firms/{id}/progress/?year=``: a law firm's lawyers' duty progress and totals.

Art. 16: a law firm supports its lawyers' legal aid and sees how they stand. Who: coordinators
and admins of the firm; anyone else, or an organisation that is not a law firm, 404.
"""

from decimal import Decimal

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from duties.api import serializers as s
from duties.api.views import errors
from duties.models import ProgressStatus
from duties.selectors import with_progress
from marketplace.core.errors import NotFound
from organizations.models import Membership, Organization, OrganizationKind, Role
from volunteers.models import DUTY_BOUND_STATUSES, Volunteer, VolunteerKind


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


def firm_for(user, firm_id: int) -> Organization:
    """The law firm if ``user`` coordinates it (coordinator or admin): 404 otherwise."""
    firm = Organization.objects.filter(pk=firm_id, kind=OrganizationKind.LAW_FIRM).first()
    if (
        firm is None
        or not Membership.objects.filter(user=user, organization=firm, role__in=(Role.COORDINATOR, Role.ADMIN)).exists()
    ):
        raise NotFound()
    return firm


def firm_progress(firm: Organization, year: int, now=None) -> dict:
    """The firm's lawyers (verified or suspended) with their progress, and the firm's totals."""
    now = now or timezone.now()
    lawyers = with_progress(
        Volunteer.objects.filter(practice_org=firm, kind=VolunteerKind.LAWYER, status__in=DUTY_BOUND_STATUSES)
        .select_related("user")
        .order_by("id"),
        year=year,
        now=now,
    )
    rows = [
        {
            "volunteer": lawyer.pk,
            "name": lawyer.display_name,
            "licence_number": lawyer.licence_number,
            "hours": lawyer.hours,
            "cases": lawyer.cases,
            "required_hours": lawyer.min_hours,
            "required_cases": lawyer.min_cases,
            "status": lawyer.progress_status,
        }
        for lawyer in lawyers
    ]
    totals = {
        "lawyers": len(rows),
        "hours": sum((row["hours"] for row in rows), Decimal(0)),
        "cases": sum(row["cases"] for row in rows),
    }
    for status in ProgressStatus:
        totals[status.value] = sum(1 for row in rows if row["status"] == status)
    return {"firm": firm.pk, "name": firm.name, "year": year, "lawyers": rows, "totals": totals}


class FirmProgressView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="law_firms_progress_retrieve",
        parameters=[OpenApiParameter("year", int, description="Defaults to the current year.")],
        responses={200: FirmProgressSerializer, **errors(400, 401, 404)},
        tags=["law-firms"],
    )
    def get(self, request, firm_id: int):
        firm = firm_for(request.user, firm_id)
        query = s.YearQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or timezone.localdate().year
        return Response(FirmProgressSerializer(firm_progress(firm, year)).data)
