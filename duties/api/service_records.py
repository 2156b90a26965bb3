"""``GET /api/v1/volunteers/{id}/service-record/?year=``: a volunteer's service record as a PDF."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.views import APIView

from duties import service_records
from duties.api import serializers as s
from duties.api.views import asked_year, errors
from duties.certificates import service_record_pdf


class ServiceRecordView(APIView):
    """The volunteer service record (志愿服务记录证明) of a law student or citizen volunteer.

    Who: the volunteer, and coordinators (or admins) of an organisation they served; anyone else
    404. Another kind of provider: 409 ``not_a_volunteer``. Each download issues a record with
    its own verification code, checked at ``/verify/{code}/``.
    """

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="volunteers_service_record_retrieve",
        parameters=[OpenApiParameter("year", int, description="Defaults to the current year.")],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **errors(400, 401, 404, 409)},
        tags=["volunteers"],
    )
    def get(self, request, volunteer_id: int):
        volunteer = service_records.volunteer_for_record(request.user, volunteer_id)
        _, _, year = asked_year(s.YearQuerySerializer, request)
        record = service_records.service_record_issue(volunteer=volunteer, year=year, by=request.user)
        response = HttpResponse(service_record_pdf(record), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="service-record-{year}-{volunteer.pk}.pdf"'
        return response
