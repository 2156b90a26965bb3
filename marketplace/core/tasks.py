"""The kernel's background tasks: run a job; sweep the jobs a dead worker left (docs/jobs.md)."""

import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from marketplace.core import jobs
from marketplace.core.errors import DomainError

logger = logging.getLogger(__name__)

# Any error but a refusal (the owner lost the right, the input no longer holds) is retried with
# backoff: 30 s doubling, at most an hour, 5 times; then the job is failed and the task_failure
# receiver (duties/notices/receivers.py) puts it in the failure list.
# BACKOFF is every task's: the notices' tasks use it too (duties/notices/tasks.py).
BACKOFF = {
    "retry_backoff": 30,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
    "reject_on_worker_lost": True,
}
JOB_RETRY = {"autoretry_for": (Exception,), "dont_autoretry_for": (DomainError, jobs.JobLost), **BACKOFF}


@shared_task(bind=True, name="core.run_job", **JOB_RETRY)
def run_job(self, job_id: int) -> str:
    """Run one job if it is free to run (queued, or its run's lease ran out); else do nothing."""
    job = jobs.job_claim(job_id=job_id, now=timezone.now())
    if job is None:
        return "skipped"
    kind = jobs.kind_of(job.kind)
    if kind is None:
        jobs.job_fail(job=job, error=f"Unknown kind of job: {job.kind}", retrying=False, now=timezone.now())
        return "failed"
    progress = jobs.Progress(job)
    # The job speaks the language its owner asked in (the file's headers, the messages).
    language = job.params.get("language") or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            output = kind.runner(job, progress)
        jobs.job_finish(job=job, output=output, done=progress.done, total=progress.total, now=timezone.now())
    except jobs.JobLost:
        logger.warning("Job %s: another run took it over; this run stops.", job_id)
        return "lost"
    except DomainError as exc:
        # A refusal is the answer, not a fault: the owner sees it; retrying would not change it.
        jobs.job_fail(job=job, error=exc.detail, retrying=False, now=timezone.now())
        return "failed"
    except Exception as exc:
        # The owner reads what happened, not the internals (the failure list keeps the exception).
        retrying = self.request.retries < self.max_retries
        with translation.override(language):
            if retrying:
                error = _("Attempt %(n)s failed (%(error)s); it will be tried again.")
            else:
                error = _("The job failed (%(error)s); the site administrators see it in the failure list.")
            error %= {"n": self.request.retries + 1, "error": type(exc).__name__}
        jobs.job_fail(job=job, error=error, retrying=retrying, now=timezone.now())
        raise
    return "done"


@shared_task(name="core.jobs_sweep", acks_late=True)
def jobs_sweep() -> dict:
    """The periodic sweep (every few minutes): idempotent."""
    return jobs.jobs_sweep()
