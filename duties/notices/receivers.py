"""A background job that failed after its retries lands in the failure list (FailedJob)."""

from celery.signals import task_failure
from django.utils import timezone

from duties.notices.models import FailedJob


@task_failure.connect
def record_failed_job(sender=None, task_id=None, exception=None, args=None, kwargs=None, **extra) -> None:
    FailedJob.objects.create(
        task_name=getattr(sender, "name", str(sender)),
        task_id=task_id or "",
        arguments=repr({"args": args, "kwargs": kwargs})[:2000],
        exception=repr(exception)[:2000],
        failed_at=timezone.now(),
    )
