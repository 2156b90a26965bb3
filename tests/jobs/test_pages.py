"""The jobs' pages: the regulator's buttons start them, the job page shows progress (htmx polls
it every 2 s while it runs) and the download when ready; another's job is 404."""

import pytest

from marketplace.core.models import Job, JobStatus
from tests.jobs.conftest import LAST_YEAR, SCOPE

pytestmark = pytest.mark.django_db


def test_the_reports_and_review_pages_offer_the_background_jobs(client_as, regulator, opened):
    client = client_as(regulator)
    compliance = client.get("/regulator/compliance/", SCOPE).content.decode()
    assert 'action="/jobs/start/compliance_export/"' in compliance
    assert 'action="/jobs/start/inspection_export/"' in compliance
    reviews = client.get("/regulator/reviews/", SCOPE).content.decode()
    assert 'action="/jobs/start/certificates_zip/"' in reviews
    preview = client.get("/regulator/reviews/decide-compliant/", SCOPE).content.decode()
    assert 'action="/jobs/start/decide_compliant/"' in preview


def test_the_nav_leads_the_regulators_to_their_jobs(client_as, regulator, coordinator, provider):
    nav = '<a href="/jobs/"'
    assert nav in client_as(regulator).get("/").content.decode()
    assert nav + ' aria-current="page"' in client_as(regulator).get("/jobs/").content.decode()
    for other in (coordinator, provider):
        assert nav not in client_as(other).get("/").content.decode()


def test_a_button_starts_the_job_and_its_page_follows_it(
    client_as, regulator, opened, django_capture_on_commit_callbacks
):
    client = client_as(regulator)
    with django_capture_on_commit_callbacks() as queued:  # the worker has not run it yet
        response = client.post("/jobs/start/compliance_export/", {**SCOPE, "format": "csv"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.owner, job.params["format"], job.params["year"]) == (regulator, "csv", LAST_YEAR)

    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in page and 'id="job-file"' not in page

    for callback in queued:
        callback()  # the worker runs it
    partial = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert "hx-trigger" not in partial  # finished: the page stops asking
    assert f'href="/api/v1/jobs/{job.pk}/file/"' in partial
    assert client.get(f"/api/v1/jobs/{job.pk}/file/").status_code == 200
    assert f'href="/jobs/{job.pk}/"' in client.get("/jobs/").content.decode()


def test_the_page_of_a_running_job_shows_its_progress(client_as, regulator, opened):
    client = client_as(regulator)
    client.post("/jobs/start/decide_compliant/", SCOPE)
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, done=1, total=2)

    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'max="2" value="1"' in page and 'hx-trigger="every 2s"' in page


def test_a_failed_job_shows_why_to_its_owner(client_as, regulator, opened):
    client = client_as(regulator)
    client.post("/jobs/start/certificates_zip/", SCOPE)
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="Only regulators may do this.")

    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Only regulators may do this." in page and "hx-trigger" not in page
    assert "Only regulators may do this." in client.get("/jobs/").content.decode()


def test_another_users_job_page_is_404(client_as, regulator, other_regulator, opened):
    client_as(regulator).post("/jobs/start/certificates_zip/", SCOPE)
    job = Job.objects.get()
    assert client_as(other_regulator).get(f"/jobs/{job.pk}/").status_code == 404
    others = client_as(other_regulator).get("/jobs/").content.decode()
    assert f'href="/jobs/{job.pk}/"' not in others and "No background job yet." in others
    assert f'href="/jobs/{job.pk}/"' in client_as(regulator).get("/jobs/").content.decode()


def test_only_a_regulator_of_the_region_starts_a_job_from_a_page(
    client_as, provider, other_regulator, regulator, opened
):
    assert client_as(provider).post("/jobs/start/certificates_zip/", SCOPE).status_code == 403
    response = client_as(other_regulator).post("/jobs/start/certificates_zip/", SCOPE)
    assert response.status_code == 302  # back, with the reason
    assert client_as(regulator).post("/jobs/start/no_such_kind/", SCOPE).status_code == 404
    assert client_as(regulator).get("/jobs/start/certificates_zip/").status_code == 405
    assert not Job.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get("/jobs/")["Location"].startswith("/login/")


def test_site_administrators_see_every_job_in_the_admin(client_as, regulator, opened):
    from tests.factories import UserFactory

    client_as(regulator).post("/jobs/start/certificates_zip/", SCOPE)
    admin = UserFactory(username="site-admin", is_staff=True, is_superuser=True)
    page = client_as(admin).get("/admin/core/job/")
    assert page.status_code == 200 and "certificates_zip" in page.content.decode()
    assert client_as(admin).get(f"/admin/core/job/{Job.objects.get().pk}/change/").status_code == 200
