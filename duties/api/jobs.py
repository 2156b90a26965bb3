"""``POST /api/v1/jobs/<kind>/``: start a regulator's background job (docs/jobs.md). Each answers
202 with the job; ``GET /api/v1/jobs/{id}/`` follows it and ``.../file/`` downloads its file."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from duties import access
from duties import jobs as duty_jobs
from marketplace.core.api.jobs import JobSerializer
from marketplace.core.api.schema import error_responses
from marketplace.core.api.views import validated
from organizations.api.permissions import IsRegulator


class JobScopeSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    region = serializers.CharField(max_length=12, help_text="Region code, within the caller's jurisdiction.")


class ExportJobSerializer(JobScopeSerializer):
    format = serializers.ChoiceField(choices=duty_jobs.FORMATS)


class StartJobView(APIView):
    """Parse the scope, start the job, answer 202 with it."""

    permission_classes = [IsRegulator]
    kind = ""
    request_serializer = JobScopeSerializer

    def post(self, request):
        scope = validated(self.request_serializer, request)
        job = duty_jobs.regulator_job_start(
            kind=self.kind,
            year=scope["year"],
            region=access.region_param(scope["region"]),
            format=scope.get("format", ""),
            by=request.user,
        )
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


def _documented(summary: str, request_serializer=JobScopeSerializer):
    return extend_schema(
        summary=summary,
        description="Regulators of the region. 202 with the job (status `queued`); follow it at "
        "`GET /api/v1/jobs/{id}/`. The same job still queued or running is answered again rather than "
        "started twice.",
        request=request_serializer,
        responses={202: JobSerializer, **error_responses(400, 401, 403)},
        tags=["jobs"],
    )


class CertificatesJobView(StartJobView):
    kind = duty_jobs.CERTIFICATES_ZIP

    @_documented("Prepare a ZIP of every valid certificate of a region and year (one PDF each)")
    def post(self, request):
        return super().post(request)


class ComplianceExportJobView(StartJobView):
    kind = duty_jobs.COMPLIANCE_EXPORT
    request_serializer = ExportJobSerializer

    @_documented("Prepare the compliance list of a region and year as CSV or XLSX", ExportJobSerializer)
    def post(self, request):
        return super().post(request)


class InspectionExportJobView(StartJobView):
    kind = duty_jobs.INSPECTION_EXPORT
    request_serializer = ExportJobSerializer

    @_documented("Prepare the annual inspection (年检) list of a region and year as CSV or XLSX", ExportJobSerializer)
    def post(self, request):
        return super().post(request)


class DecideCompliantJobView(StartJobView):
    kind = duty_jobs.DECIDE_COMPLIANT

    @_documented(
        "Decide compliant, in the background, every open review of a region and year that meets its rule "
        "(as POST /api/v1/reviews/decide-compliant/ does at once)"
    )
    def post(self, request):
        return super().post(request)


urlpatterns = [
    path("jobs/certificates/", CertificatesJobView.as_view(), name="job-start-certificates"),
    path("jobs/compliance-export/", ComplianceExportJobView.as_view(), name="job-start-compliance-export"),
    path("jobs/inspection-export/", InspectionExportJobView.as_view(), name="job-start-inspection-export"),
    path("jobs/decide-compliant/", DecideCompliantJobView.as_view(), name="job-start-decide-compliant"),
]
