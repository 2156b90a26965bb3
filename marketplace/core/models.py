"""The kernel's tables: replayable answers for the API's Idempotency-Key; background jobs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyRecord(models.Model):
    """The first answer to a creating POST sent with an Idempotency-Key, replayed on retry."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=255)
    body_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The table kept its name when the model moved from the marketplace app to the kernel.
        db_table = "marketplace_idempotencyrecord"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="marketplace_idempotency_unique_key"),
        ]


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """A piece of heavy work run by a background worker for its owner (docs/jobs.md): a ZIP of
    certificates, a large export, a bulk decision. ``kind`` names a runner that an app registered
    in ``marketplace.core.jobs``; the kernel knows none of them.

    One run at a time: a worker takes the job with a conditional UPDATE (queued, or running with
    an expired lease, to running) and each of its writes names its ``attempt``; a run that lost the
    job (another took it over) can write nothing more."""

    kind = models.CharField(_("kind"), max_length=64)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    params = models.JSONField(_("parameters"), default=dict)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    # Runs taken so far (a retry, or a takeover after a worker died, is one more).
    attempt = models.PositiveSmallIntegerField(default=0)
    # While running: the run holds the job until then; each progress write extends it.
    lease_until = models.DateTimeField(null=True, blank=True)
    # The file, in the private documents storage; served only to the owner.
    file = models.CharField(max_length=200, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    queued_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The owner's list of jobs, newest first.
            models.Index(fields=["owner", "-created_at"], name="core_job_owner_idx"),
            # The sweep: queued jobs waiting too long, running jobs whose lease ran out.
            models.Index(fields=["status", "lease_until"], name="core_job_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running", "done", "failed"]), name="core_job_status_valid"
            ),
        ]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def has_file(self) -> bool:
        return self.status == JobStatus.DONE and bool(self.file)

    @property
    def percent(self) -> int | None:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)
