"""Background jobs: heavy work off the request (docs/jobs.md).

The kernel keeps the ``Job`` table, the registry of runners and the run protocol; it knows no
kind of job. An app registers each of its kinds at start-up (``register`` in its
``AppConfig.ready``): a runner, a function ``runner(job, progress) -> JobOutput`` that does the work
and reports how far it got. ``job_start`` records the job and queues it after commit;
``marketplace.core.tasks.run_job`` runs it on a worker:

- **One run at a time.** ``job_claim`` takes the job with a conditional UPDATE (queued, or running
  with an expired lease, to running) that also counts the ``attempt``; every later write of the
  run (progress, the file, the failure) is conditional on that attempt, so a run that lost the job
  to a takeover writes nothing more (``JobLost``).
- **A dead worker loses nothing.** The task is acknowledged late and given back to the queue when
  its worker dies; while a run is alive its progress writes extend its lease
  (``JOBS_LEASE_SECONDS``); ``jobs_sweep`` (beat) queues again every running job whose lease ran
  out and every queued job left waiting (a broker that was down when it was started).
- **A rerun restarts cleanly.** Taking the job resets its progress; the runner builds its file
  afresh in a temporary file, and only the finishing write publishes one. The runners' own effects
  are safe to repeat (a bulk decision decides only what is still open).
"""

import logging
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.dispatch import Signal
from django.utils import timezone

from marketplace.core.errors import NotFound
from marketplace.core.ids import parse_id
from marketplace.core.models import Job, JobStatus

logger = logging.getLogger(__name__)


# Sent once when a job has ended for good, with ``job`` (done, or failed with no retry left), after
# its finishing write: the notices tell its owner (duties.notices.receivers). Sent robustly: a
# notice that cannot be made is logged and never undoes the job's end.
job_ended = Signal()


class JobLost(Exception):
    """This run no longer holds the job: another run took it over after the lease ran out."""


@dataclass
class JobOutput:
    """What a runner hands back: a file (open for reading, at its start; the kernel closes it) and
    a small JSON summary shown on the job's page and in the API."""

    file: IO[bytes] | None = None
    file_name: str = ""
    content_type: str = ""
    result: dict = field(default_factory=dict)


Runner = Callable[[Job, "Progress"], JobOutput]


@dataclass(frozen=True)
class JobKind:
    name: str
    runner: Runner
    label: str  # translatable (a lazy string)


_KINDS: dict[str, JobKind] = {}


def register(name: str, runner: Runner, *, label) -> None:
    """Make ``name`` a kind of job run by ``runner``. Called from an app's ``ready``."""
    _KINDS[name] = JobKind(name=name, runner=runner, label=label)


def kind_of(name: str) -> JobKind | None:
    return _KINDS.get(name)


def kind_label(name: str) -> str:
    kind = _KINDS.get(name)
    return str(kind.label) if kind else name


def lease() -> timedelta:
    return timedelta(seconds=settings.JOBS_LEASE_SECONDS)


def job_storage():
    """The private storage of the jobs' files: the documents storage (local disk outside the web
    root, or the S3 bucket), under ``jobs/``; files leave only through the owner's download."""
    return storages["documents"]


# --- reading ------------------------------------------------------------------------------


def jobs_of(user) -> QuerySet[Job]:
    """The jobs ``user`` started, newest first: a job is its owner's alone."""
    if not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(owner=user)


def access_job(user, job_id) -> Job:
    """One of ``user``'s jobs; anyone else's is 404, as one that does not exist."""
    pk = parse_id(job_id)
    job = jobs_of(user).filter(pk=pk).first() if pk else None
    if job is None:
        raise NotFound()
    return job


# --- starting -----------------------------------------------------------------------------


def job_start(*, kind: str, owner, params: dict, now: datetime | None = None) -> Job:
    """Record a job of ``kind`` for ``owner`` and queue it once the transaction commits.

    Who: the caller checked that ``owner`` may start it (each app's start function does).
    Precondition: none; the same job (kind and parameters) of the same owner still queued or
    running is returned instead of a second one (a double click starts one job).
    Side effect: ``run_job`` queued after commit; a broker that refuses it is logged, and the job
    waits for the sweep."""
    if kind not in _KINDS:
        raise ValueError(f"Unknown kind of job: {kind}")
    now = now or timezone.now()
    unfinished = Job.objects.filter(
        owner=owner, kind=kind, params=params, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
    ).first()
    if unfinished is not None:
        return unfinished
    job = Job.objects.create(kind=kind, owner=owner, params=params, created_at=now, queued_at=now)
    transaction.on_commit(lambda: _enqueue(job.pk), robust=True)
    return job


def _enqueue(job_id: int) -> None:
    from marketplace.core.tasks import run_job

    run_job.delay(job_id)


# --- running ------------------------------------------------------------------------------


def job_claim(*, job_id: int, now: datetime) -> Job | None:
    """Take the job for this run, or None when it is not to be run here: finished, gone, or held
    by a live run. Resets the progress: a rerun starts from the beginning."""
    updated = Job.objects.filter(
        Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, lease_until__lt=now), pk=job_id
    ).update(
        status=JobStatus.RUNNING,
        attempt=F("attempt") + 1,
        started_at=now,
        lease_until=now + lease(),
        done=0,
        total=None,
        error="",
    )
    if updated != 1:
        return None
    return Job.objects.select_related("owner").get(pk=job_id)


def _held(job: Job):
    return Job.objects.filter(pk=job.pk, attempt=job.attempt, status=JobStatus.RUNNING)


class Progress:
    """How far a run got: ``set_total`` once the work is counted, ``advance`` as it goes. Writes
    at most about once a second (and at the end); each write extends the lease, and raises
    ``JobLost`` when the run no longer holds the job."""

    interval = 1.0

    def __init__(self, job: Job):
        self.job = job
        self.done = 0
        self.total: int | None = None
        self._last = 0.0

    def set_total(self, total: int) -> None:
        self.total = total
        self._write()

    def advance(self, n: int = 1) -> None:
        self.done += n
        if time.monotonic() - self._last >= self.interval:
            self._write()

    def _write(self) -> None:
        self._last = time.monotonic()
        now = timezone.now()
        if not _held(self.job).update(done=self.done, total=self.total, lease_until=now + lease()):
            raise JobLost()


def _file_name(job: Job, file_name: str) -> str:
    extension = os.path.splitext(file_name)[1].lower()[:10]
    return f"jobs/{timezone.now():%Y}/{uuid.uuid4().hex}{extension}"


def job_finish(*, job: Job, output: JobOutput, done: int, total: int | None, now: datetime) -> None:
    """Publish the run's file and mark the job done, if this run still holds it (else the saved
    file is removed and ``JobLost`` raised)."""
    name = ""
    if output.file is not None:
        try:
            name = job_storage().save(_file_name(job, output.file_name), File(output.file))
        finally:
            output.file.close()
    updated = _held(job).update(
        status=JobStatus.DONE,
        done=done,
        total=total if total is not None else done,
        file=name,
        file_name=output.file_name,
        content_type=output.content_type,
        result=output.result,
        lease_until=None,
        finished_at=now,
    )
    if updated != 1:
        if name:
            job_storage().delete(name)
        raise JobLost()
    job.status, job.file, job.result, job.finished_at = JobStatus.DONE, name, output.result, now
    _ended(job)


def job_fail(*, job: Job, error: str, retrying: bool, now: datetime) -> None:
    """Record a failed run: back in the queue when it will be retried, else failed for good."""
    if retrying:
        fields = {"status": JobStatus.QUEUED, "queued_at": now, "lease_until": None}
    else:
        fields = {"status": JobStatus.FAILED, "finished_at": now, "lease_until": None}
    if _held(job).update(error=error[:2000], **fields) and not retrying:
        job.status, job.error, job.finished_at = JobStatus.FAILED, error[:2000], now
        _ended(job)


def _ended(job: Job) -> None:
    for receiver, result in job_ended.send_robust(sender=Job, job=job):
        if isinstance(result, Exception):
            logger.error("Job %s ended, but %r failed: %r", job.pk, receiver, result)


def temporary_file(suffix: str) -> IO[bytes]:
    """A temporary file for a runner's output; deleted when closed (``job_finish`` closes it)."""
    return tempfile.NamedTemporaryFile(suffix=suffix)  # noqa: SIM115 - job_finish closes it


# --- the sweep ----------------------------------------------------------------------------


def jobs_sweep(*, now: datetime | None = None) -> dict:
    """Queue again the jobs a dead worker or a refused message left behind, and remove the jobs
    (and files) finished more than ``JOBS_KEEP_DAYS`` ago. Safe to run twice: queuing a job twice
    runs it once (``job_claim``)."""
    now = now or timezone.now()
    waiting = now - timedelta(seconds=settings.JOBS_REQUEUE_AFTER_SECONDS)
    stale = list(
        Job.objects.filter(
            Q(status=JobStatus.RUNNING, lease_until__lt=now) | Q(status=JobStatus.QUEUED, queued_at__lt=waiting)
        ).values_list("pk", flat=True)[:1000]
    )
    for pk in stale:
        Job.objects.filter(pk=pk).update(queued_at=now)
        _enqueue(pk)
    old = Job.objects.filter(finished_at__lt=now - timedelta(days=settings.JOBS_KEEP_DAYS))
    removed = 0
    for pk, name in old.values_list("pk", "file")[:1000]:
        if name:
            job_storage().delete(name)
        removed += Job.objects.filter(pk=pk).delete()[0]
    if stale or removed:
        logger.info("Jobs sweep: %d queued again, %d old jobs removed.", len(stale), removed)
    return {"requeued": len(stale), "removed": removed}
