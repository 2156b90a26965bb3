"""A real worker on the configured broker (the embedded filesystem one, or Redis when REDIS_URL is
set) takes a job from the queue and publishes its file."""

import pytest

from duties.jobs import COMPLIANCE_EXPORT, regulator_job_start
from marketplace.core.models import Job, JobStatus
from tests.jobs.conftest import LAST_YEAR
from tests.worker import real_worker, wait_until


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_job_from_the_broker(regulator, opened, regions, settings, job_files):
    with real_worker(settings):
        job = regulator_job_start(
            kind=COMPLIANCE_EXPORT, year=LAST_YEAR, region=regions["changzhou"], format="csv", by=regulator
        )  # autocommit: queued at once
        wait_until(lambda: Job.objects.get(pk=job.pk).status == JobStatus.DONE, seconds=30)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempt == 1
    assert (job_files / job.file).read_bytes().decode("utf-8-sig").count("\n") == 1 + 3
