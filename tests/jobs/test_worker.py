"""A real worker on the configured broker (the embedded filesystem one, or Redis when REDIS_URL is
set) takes a job from the queue and publishes its file."""

import time
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker

from duties.jobs import COMPLIANCE_EXPORT, regulator_job_start
from marketplace.celery import app
from marketplace.core.models import Job, JobStatus
from tests.jobs.conftest import LAST_YEAR


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_job_from_the_broker(regulator, opened, regions, settings, job_files):
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None)
    if options:
        for stale in Path(options["data_folder_in"]).glob("*"):
            stale.unlink()
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            job = regulator_job_start(
                kind=COMPLIANCE_EXPORT, year=LAST_YEAR, region=regions["changzhou"], format="csv", by=regulator
            )  # autocommit: queued at once
            deadline = time.monotonic() + 30
            while Job.objects.get(pk=job.pk).status != JobStatus.DONE and time.monotonic() < deadline:
                time.sleep(0.2)
    finally:
        app.conf.task_always_eager = saved
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempt == 1
    assert (job_files / job.file).read_bytes().decode("utf-8-sig").count("\n") == 1 + 3
