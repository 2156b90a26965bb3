"""A background job's page in the browser: it shows the job queued, follows it by itself (htmx
asks every 2 s) and offers the file once a worker has made it, without a reload. Screenshots:
tests/browser/screenshots/job-queued-*.png and job-done-*.png."""

import pytest

from duties.jobs import INSPECTION_EXPORT, regulator_job_start
from marketplace.core import jobs
from marketplace.core.models import JobStatus
from marketplace.core.tasks import run_job
from tests.jobs.conftest import (  # noqa: F401  (fixtures)
    LAST_YEAR,
    certified,
    compliant_lawyers,
    job_files,
    opened,
    rule_last_year,
)

pytestmark = pytest.mark.browser


def test_the_job_page_follows_the_job_and_offers_its_file(
    open_session,
    regulator,
    regions,
    certified,  # noqa: F811
    monkeypatch,
):
    monkeypatch.setattr(jobs, "_enqueue", lambda job_id: None)  # no worker yet: the job waits
    job = regulator_job_start(
        kind=INSPECTION_EXPORT, year=LAST_YEAR, region=regions["changzhou"], format="xlsx", by=regulator
    )
    session = open_session(regulator)
    page = session.goto(f"/jobs/{job.pk}/")
    assert page.locator("#job-progress.job-queued").count() == 1
    assert page.locator("#job-file").count() == 0
    session.screenshot("job-queued")

    run_job.apply(args=[job.pk])  # the worker runs it
    job.refresh_from_db()
    assert job.status == JobStatus.DONE

    link = page.wait_for_selector("#job-file", timeout=10_000)  # the page saw it by itself
    assert link.get_attribute("href") == f"/api/v1/jobs/{job.pk}/file/"
    assert page.locator("#job-progress.job-done").count() == 1
    session.screenshot("job-done")
    assert session.console_errors == []
