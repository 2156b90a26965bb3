"""A background job that failed after its retries lands in the failure list (FailedJob); a job
that has ended for good tells its owner."""

from celery.signals import task_failure
from django.conf import settings
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from duties.jobs import described
from duties.notices.models import FailedJob, NoticeKind
from duties.notices.services import notification_create
from marketplace.core import jobs
from marketplace.core.models import JobStatus


@task_failure.connect
def record_failed_job(sender=None, task_id=None, exception=None, args=None, kwargs=None, **extra) -> None:
    FailedJob.objects.create(
        task_name=getattr(sender, "name", str(sender)),
        task_id=task_id or "",
        arguments=repr({"args": args, "kwargs": kwargs})[:2000],
        exception=repr(exception)[:2000],
        failed_at=timezone.now(),
    )


@receiver(jobs.job_ended)
def tell_the_owner(sender=None, job=None, **extra) -> None:
    """A notice to the job's owner, in the language the job was asked in, linking to its page
    (the file, or the reason it failed)."""
    described([job])
    scope = [str(part) for part in (job.params.get("year"), job.region_name) if part]
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        label = " · ".join([jobs.kind_label(job.kind), *scope])  # as the jobs list shows it
        if job.status == JobStatus.DONE:
            title = _("Ready: %(job)s") % {"job": label}
            body = _("The background job you started has finished: its result is on its page.")
        else:
            title = _("Failed: %(job)s") % {"job": label}
            body = job.error
    notification_create(
        user=job.owner, kind=NoticeKind.JOB_ENDED, title=title, body=body, url=reverse("job", args=[job.pk])
    )
