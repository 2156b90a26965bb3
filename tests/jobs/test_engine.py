"""The run protocol of the kernel's jobs: one run at a time, a dead worker's job taken over, a
failure retried with backoff and then recorded, the sweep."""

from datetime import timedelta

import pytest
from django.utils import timezone

from duties.notices.models import FailedJob
from marketplace.celery import app
from marketplace.core import jobs
from marketplace.core.errors import Forbidden
from marketplace.core.models import Job, JobStatus
from marketplace.core.tasks import JOB_RETRY, run_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(probe, stranger):
    return jobs.job_start(kind="probe", owner=stranger, params={"n": 1})


def test_a_job_runs_once_and_publishes_its_file(job, probe, job_files):
    assert run_job.apply(args=[job.pk]).result == "done"
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.attempt, job.result) == (JobStatus.DONE, 3, 3, 1, {"ok": True})
    assert (job_files / job.file).read_bytes() == b"a,b\n"
    assert job.finished_at is not None and job.lease_until is None
    # The message delivered again (acks_late): the job is done, nothing runs twice.
    assert run_job.apply(args=[job.pk]).result == "skipped"
    assert probe.runs == 1


def test_a_job_held_by_a_live_run_is_not_run_again(job, probe):
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempt=1, lease_until=timezone.now() + timedelta(minutes=4)
    )

    assert run_job.apply(args=[job.pk]).result == "skipped"
    assert probe.runs == 0
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING


def test_a_dead_runs_job_is_taken_over_and_restarted_cleanly(job, probe):
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempt=1, done=2, total=9, lease_until=timezone.now() - timedelta(seconds=1)
    )

    assert run_job.apply(args=[job.pk]).result == "done"
    job.refresh_from_db()
    assert (job.status, job.attempt, job.done, job.total) == (JobStatus.DONE, 2, 3, 3)


def test_a_run_that_lost_its_job_writes_nothing_more(job, probe, job_files):
    # While this run works, another takes the job over (this one looked dead).
    probe.during = lambda j: Job.objects.filter(pk=j.pk).update(attempt=j.attempt + 1)

    assert run_job.apply(args=[job.pk]).result == "lost"
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.file == ""
    assert not list(job_files.rglob("*.csv"))  # the lost run's file was removed


def test_the_claim_is_one_conditional_update(job):
    now = timezone.now()
    first = jobs.job_claim(job_id=job.pk, now=now)
    second = jobs.job_claim(job_id=job.pk, now=now)

    assert first is not None and first.attempt == 1
    assert second is None


@pytest.fixture
def eager_retries():
    """Eager retries run one after another only when errors do not propagate (a worker's way)."""
    saved = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = saved


def test_a_failing_job_is_retried_with_backoff_then_failed_and_listed(job, probe, eager_retries):
    probe.fail_with = OSError("disk full")

    result = run_job.apply(args=[job.pk], throw=False)

    assert result.state == "FAILURE"
    assert probe.runs == 1 + JOB_RETRY["max_retries"]
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.attempt == 1 + JOB_RETRY["max_retries"]
    assert "OSError" in job.error and job.finished_at is not None
    [failed] = FailedJob.objects.all()
    assert failed.task_name == "core.run_job" and "disk full" in failed.exception


def test_a_failed_try_goes_back_to_the_queue_while_retries_remain(job, probe):
    probe.fail_with = OSError("broker hiccup")
    claimed = jobs.job_claim(job_id=job.pk, now=timezone.now())
    jobs.job_fail(job=claimed, error="Attempt 1 failed", retrying=True, now=timezone.now())

    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.error == "Attempt 1 failed"


def test_a_refusal_fails_the_job_at_once_without_retrying(job, probe):
    probe.fail_with = Forbidden("No longer a regulator.")

    assert run_job.apply(args=[job.pk]).result == "failed"
    job.refresh_from_db()
    assert (job.status, job.error, job.attempt) == (JobStatus.FAILED, "No longer a regulator.", 1)
    assert not FailedJob.objects.exists()


def test_the_task_survives_a_dead_worker_and_retries_with_backoff():
    assert run_job.acks_late and run_job.reject_on_worker_lost
    assert run_job.retry_backoff == 30 and run_job.max_retries == 5
    assert Exception in run_job.autoretry_for and Forbidden.__mro__[1] in run_job.dont_autoretry_for


def test_the_sweep_queues_again_what_a_dead_worker_left_and_removes_old_jobs(
    probe, stranger, job_files, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks():  # started while the broker was away: never queued
        waiting = jobs.job_start(kind="probe", owner=stranger, params={"n": 1}, now=now - timedelta(hours=1))
        dead = jobs.job_start(kind="probe", owner=stranger, params={"n": 2}, now=now - timedelta(hours=1))
        live = jobs.job_start(kind="probe", owner=stranger, params={"n": 3}, now=now)
    Job.objects.filter(pk=dead.pk).update(status=JobStatus.RUNNING, attempt=1, lease_until=now - timedelta(minutes=1))
    old_file = job_files / "jobs" / "old.csv"
    old_file.parent.mkdir(parents=True)
    old_file.write_bytes(b"x")
    old = Job.objects.create(
        kind="probe",
        owner=stranger,
        status=JobStatus.DONE,
        file="jobs/old.csv",
        created_at=now - timedelta(days=9),
        queued_at=now - timedelta(days=9),
        finished_at=now - timedelta(days=8),
    )

    assert jobs.jobs_sweep(now=now) == {"requeued": 2, "removed": 1}

    statuses = dict(Job.objects.values_list("pk", "status"))
    assert statuses == {waiting.pk: JobStatus.DONE, dead.pk: JobStatus.DONE, live.pk: JobStatus.QUEUED}
    assert old.pk not in statuses and not old_file.exists()
