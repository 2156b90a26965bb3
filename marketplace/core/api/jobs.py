"""``GET /api/v1/jobs/``, ``/jobs/{id}/``, ``/jobs/{id}/file/``: the caller's background jobs
(docs/jobs.md). A job is its owner's alone: anyone else's is 404, as one that does not exist.
The endpoints that start each kind belong to the app that registered it (duties/api/jobs.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from marketplace.core import jobs
from marketplace.core.api.schema import error_responses, listed, shown
from marketplace.core.api.serializers import ReadOnlyModelSerializer
from marketplace.core.errors import Conflict
from marketplace.core.models import Job, JobStatus
from marketplace.core.streaming import file_chunks, streaming_response

# What the jobs' files are (the runners say which); the schema lists them all.
FILE_TYPES = (
    "application/zip",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/octet-stream",
)


class JobSerializer(ReadOnlyModelSerializer):
    kind_label = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField(
        help_text="Where to download the file once the job is done; null before (and for jobs without a file)."
    )
    done = serializers.IntegerField(help_text="Units of work done so far (certificates, rows, reviews).")
    total = serializers.IntegerField(allow_null=True, help_text="Units of work in all; null until counted.")
    error = serializers.CharField(help_text="Why the last run failed (a job being retried says so); empty if none.")
    result = serializers.JSONField(help_text='The job\'s summary once done, e.g. {"decided": 12}.')

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "kind_label",
            "status",
            "params",
            "done",
            "total",
            "result",
            "error",
            "file_name",
            "file_url",
            "created_at",
            "started_at",
            "finished_at",
        ]

    def get_kind_label(self, job: Job) -> str:
        return jobs.kind_label(job.kind)

    def get_file_url(self, job: Job) -> str | None:
        return reverse("job-file", args=[job.pk]) if job.has_file else None


@extend_schema_view(
    list=listed(JobSerializer, "The caller's background jobs, newest first", errors=(401, 403), tags=["jobs"]),
    retrieve=shown(
        JobSerializer, "One of the caller's background jobs: its progress", errors=(401, 403, 404), tags=["jobs"]
    ),
)
class JobViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = JobSerializer
    queryset = Job.objects.none()  # the model, for the schema's path parameter
    lookup_value_regex = "[0-9]{1,15}"

    def get_queryset(self):
        return jobs.jobs_of(self.request.user)

    def perform_content_negotiation(self, request, force=False):
        # The file answers in its own type whatever the Accept header says (a refusal in JSON).
        return super().perform_content_negotiation(request, force=force or self.action == "file")

    def get_object(self):
        return jobs.access_job(self.request.user, self.kwargs["pk"])

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(JobSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(JobSerializer(self.get_object()).data)

    @extend_schema(
        summary="The file a finished job made (its owner only)",
        description="409 `not_ready` while the job is queued or running, `job_failed` once it failed.",
        responses={
            **{(200, media_type): OpenApiTypes.BINARY for media_type in FILE_TYPES},
            **error_responses(401, 403, 404, 409),
        },
        tags=["jobs"],
    )
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        job = self.get_object()
        if job.status == JobStatus.FAILED:
            raise Conflict(_("The job failed: it made no file."), code="job_failed")
        if not job.has_file:
            raise Conflict(_("The file is not ready yet."), code="not_ready")
        storage = jobs.job_storage()
        size = storage.size(job.file)
        response = streaming_response(
            request, _stored_chunks(storage, job.file), content_type=job.content_type, batch=1
        )
        response["Content-Disposition"] = f'attachment; filename="{job.file_name}"'
        response["Content-Length"] = str(size)
        return response


def _stored_chunks(storage, name: str):
    """The stored file's bytes; opened only once the answer starts to stream, so an answer never
    sent leaves no file open."""
    yield from file_chunks(storage.open(name, "rb"))


router = SimpleRouter(trailing_slash=True)
router.register("jobs", JobViewSet, basename="job")

urlpatterns = router.urls
