"""Who may start, see and download a job: the owner only; a refusal starts nothing."""

import pytest

from marketplace.core.models import Job, JobStatus
from tests.jobs.conftest import SCOPE

pytestmark = pytest.mark.django_db

STARTS = [
    ("certificates", SCOPE),
    ("compliance-export", {**SCOPE, "format": "csv"}),
    ("inspection-export", {**SCOPE, "format": "xlsx"}),
    ("decide-compliant", SCOPE),
]


@pytest.fixture
def regulators_job(api_as, regulator, opened):
    return api_as(regulator).post("/api/v1/jobs/compliance-export/", {**SCOPE, "format": "csv"}, format="json").json()


@pytest.mark.parametrize(("path", "body"), STARTS)
def test_anonymous_is_401_and_a_provider_or_coordinator_403(api, api_as, provider, coordinator, path, body):
    assert api.post(f"/api/v1/jobs/{path}/", body, format="json").status_code == 401
    for user in (provider, coordinator):
        response = api_as(user).post(f"/api/v1/jobs/{path}/", body, format="json")
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
    assert not Job.objects.exists()


@pytest.mark.parametrize(("path", "body"), STARTS)
def test_a_region_outside_the_jurisdiction_is_400_on_region(api_as, other_regulator, path, body):
    response = api_as(other_regulator).post(f"/api/v1/jobs/{path}/", body, format="json")

    assert response.status_code == 400
    assert "region" in response.json()
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"region": "320400", "format": "csv"},
        {**SCOPE, "year": 1999, "format": "csv"},
        {**SCOPE, "region": "999999", "format": "csv"},
        {**SCOPE, "format": "pdf"},
        {**SCOPE, "format": ""},
    ],
)
def test_bad_input_is_400_naming_the_field(api_as, regulator, body):
    response = api_as(regulator).post("/api/v1/jobs/inspection-export/", body, format="json")

    assert response.status_code == 400
    wrong = {"year", "region", "format"} & set(response.json())
    assert len(wrong) == 1
    assert not Job.objects.exists()


def test_the_owner_lists_and_reads_their_jobs_only(api_as, regulator, other_regulator, regulators_job):
    mine = api_as(regulator).get("/api/v1/jobs/").json()
    assert [j["id"] for j in mine["results"]] == [regulators_job["id"]]
    assert api_as(other_regulator).get("/api/v1/jobs/").json()["results"] == []


def test_another_users_job_is_404_as_one_that_does_not_exist(
    api_as, other_regulator, provider, regulators_job, django_capture_on_commit_callbacks
):
    job_id = regulators_job["id"]
    Job.objects.filter(pk=job_id).update(status=JobStatus.DONE, file="jobs/x.csv", file_name="x.csv")
    for user in (other_regulator, provider):
        for url in (f"/api/v1/jobs/{job_id}/", f"/api/v1/jobs/{job_id}/file/", "/api/v1/jobs/999999/"):
            response = api_as(user).get(url)
            assert response.status_code == 404, url
            assert response.json()["code"] == "not_found"


def test_anonymous_reads_no_job(api, regulators_job):
    for url in ("/api/v1/jobs/", f"/api/v1/jobs/{regulators_job['id']}/", f"/api/v1/jobs/{regulators_job['id']}/file/"):
        assert api.get(url).status_code == 401


def test_the_file_before_the_job_is_done_is_409_not_ready(api_as, regulator, regulators_job):
    client = api_as(regulator)
    url = f"/api/v1/jobs/{regulators_job['id']}/file/"
    assert regulators_job["status"] == "queued" and regulators_job["file_url"] is None
    response = client.get(url)
    assert response.status_code == 409
    assert response.json()["code"] == "not_ready"

    Job.objects.filter(pk=regulators_job["id"]).update(status=JobStatus.RUNNING)
    assert client.get(url).json()["code"] == "not_ready"
    Job.objects.filter(pk=regulators_job["id"]).update(status=JobStatus.FAILED, error="x")
    response = client.get(url)
    assert response.status_code == 409
    assert response.json()["code"] == "job_failed"


def test_writes_to_a_job_are_405(api_as, regulator, regulators_job):
    client = api_as(regulator)
    assert client.post("/api/v1/jobs/", {}, format="json").status_code == 405
    assert client.delete(f"/api/v1/jobs/{regulators_job['id']}/").status_code == 405
    assert client.get("/api/v1/jobs/certificates/").status_code == 405


def test_the_schema_publishes_the_job_endpoints(api_as, regulator):
    schema = api_as(regulator).get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path, _ in STARTS:
        operation = paths[f"/api/v1/jobs/{path}/"]["post"]
        assert set(operation["responses"]) >= {"202", "400", "401", "403", "429"}
    assert set(paths["/api/v1/jobs/{id}/file/"]["get"]["responses"]) >= {"200", "401", "404", "409"}
    assert "/api/v1/jobs/{id}/" in paths and "/api/v1/jobs/" in paths
    job = schema["components"]["schemas"]["Job"]["properties"]
    assert {"status", "done", "total", "file_url", "error", "result"} <= set(job)


def test_the_list_costs_the_same_queries_for_3_jobs_as_for_30(api_as, regulator, django_assert_num_queries):
    from django.utils import timezone

    def add(n):
        now = timezone.now()
        Job.objects.bulk_create(
            Job(kind="certificates_zip", owner=regulator, params={"n": i}, created_at=now, queued_at=now)
            for i in range(n)
        )

    add(3)
    client = api_as(regulator)
    with django_assert_num_queries(2):  # the count and the page
        assert len(client.get("/api/v1/jobs/").json()["results"]) == 3
    add(27)
    with django_assert_num_queries(2):
        assert client.get("/api/v1/jobs/").json()["count"] == 30


def test_the_file_is_served_whatever_the_accept_header(api_as, regulator, opened, django_capture_on_commit_callbacks):
    client = api_as(regulator)
    with django_capture_on_commit_callbacks(execute=True):
        job = client.post("/api/v1/jobs/certificates/", SCOPE, format="json").json()
    response = client.get(f"/api/v1/jobs/{job['id']}/file/", HTTP_ACCEPT="application/zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content).startswith(b"PK")  # a ZIP
