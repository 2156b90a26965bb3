"""A background job's page in the browser: it shows the job queued, follows it by itself (htmx
asks every 2 s) and offers the file once a worker has made it, without a reload. Screenshots:
tests/browser/screenshots/job-queued-*.png, job-done-*.png and job-notice-*.png (the owner's notice)."""

import pytest
from playwright.sync_api import expect

from duties.notices.models import Notification
from marketplace.core.models import JobStatus
from marketplace.core.tasks import run_job
from tests.jobs.conftest import job_files  # noqa: F401  (autouse: the jobs' files in a folder of the test's own)

pytestmark = pytest.mark.browser


def test_the_job_page_follows_the_job_and_offers_its_file(
    open_session,
    regulator,
    waiting_export,
):
    job = waiting_export
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

    # The owner was told: the notice in their centre links to the job's page.
    notice = Notification.objects.get(user=regulator, kind="job_ended")
    notices = session.goto("/notices/")
    assert notice.title.startswith("已完成：")  # in the language the job was asked in
    expect(notices.locator("main")).to_contain_text(notice.title)
    session.screenshot("job-notice")
    notices.locator(f"#notice-{notice.pk} button.link").click()  # opening it marks it read
    notices.wait_for_url(f"**/jobs/{job.pk}/")
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert session.console_errors == []
