"""A job that has ended for good tells its owner: a notice in their centre (and by email, as their
preferences say) linking to the job's page. Done, or failed with no retry left; never for a try
that will be retried, a run that lost its job, or a message delivered again."""

import pytest
from django.utils import translation

from duties.notices.models import NoticeKind, Notification
from marketplace.core import jobs
from marketplace.core.errors import Forbidden
from marketplace.core.tasks import run_job

pytestmark = pytest.mark.django_db


def _start(owner, language="en"):
    with translation.override(language):
        return jobs.job_start(kind="probe", owner=owner, params={"n": 1, "language": language})


def test_a_finished_job_tells_its_owner_once_with_a_link_to_its_page(probe, stranger, regulator, job_files):
    job = _start(stranger)
    assert run_job.apply(args=[job.pk]).result == "done"
    assert run_job.apply(args=[job.pk]).result == "skipped"  # delivered again: no second notice

    [notice] = Notification.objects.all()
    assert (notice.user, notice.kind, notice.url) == (stranger, NoticeKind.JOB_ENDED, f"/jobs/{job.pk}/")
    assert notice.title == "Ready: Probe" and notice.read_at is None


def test_a_job_refused_for_good_tells_its_owner_why(probe, stranger):
    probe.fail_with = Forbidden("No longer a regulator.")
    job = _start(stranger)
    assert run_job.apply(args=[job.pk]).result == "failed"

    [notice] = Notification.objects.all()
    assert (notice.user, notice.title, notice.body) == (stranger, "Failed: Probe", "No longer a regulator.")


def test_no_notice_for_a_try_that_will_be_retried_nor_for_a_lost_run(probe, stranger, job_files):
    job = _start(stranger)
    claimed = jobs.job_claim(job_id=job.pk, now=job.created_at)
    jobs.job_fail(job=claimed, error="Attempt 1 failed", retrying=True, now=job.created_at)
    assert not Notification.objects.exists()

    probe.during = lambda j: type(j).objects.filter(pk=j.pk).update(attempt=j.attempt + 1)
    assert run_job.apply(args=[job.pk]).result == "lost"
    assert not Notification.objects.exists()


def test_the_notice_speaks_the_language_the_job_was_asked_in(probe, stranger, job_files):
    job = _start(stranger, language="zh-hans")
    run_job.apply(args=[job.pk])

    assert Notification.objects.get().title == "已完成：Probe"


def test_the_notice_names_the_year_and_region_as_the_jobs_list_does(probe, stranger, regions, job_files):
    with translation.override("en"):
        job = jobs.job_start(
            kind="probe", owner=stranger, params={"year": 2025, "region": regions["changzhou"].code, "language": "en"}
        )
    run_job.apply(args=[job.pk])

    assert Notification.objects.get().title == f"Ready: Probe · 2025 · {regions['changzhou'].name}"
