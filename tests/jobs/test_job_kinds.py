"""Each kind of job end to end, run eagerly: started through the API, run after commit, followed
at GET /api/v1/jobs/{id}/, its file downloaded at .../file/."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from duties import services
from duties.models import AnnualReview, ReviewStatus
from marketplace.core.models import Job
from tests.duties.conftest import duty_rule
from tests.factories import VolunteerFactory
from tests.jobs.conftest import LAST_YEAR, SCOPE

pytestmark = pytest.mark.django_db


def start(client, path, body, capture):
    with capture(execute=True):
        response = client.post(f"/api/v1/jobs/{path}/", body, format="json")
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "queued"  # as answered, before the worker took it
    return response.json()["id"]


def finished(client, job_id) -> dict:
    body = client.get(f"/api/v1/jobs/{job_id}/").json()
    assert body["status"] == "done", body
    return body


def download(client, body) -> bytes:
    response = client.get(body["file_url"])
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{body["file_name"]}"'
    return b"".join(response.streaming_content)


def export(client, report, fmt, capture) -> tuple[dict, bytes]:
    """The ``{report}-export`` job of SCOPE in ``fmt``, run to the end: its body and its file."""
    body = finished(client, start(client, f"{report}-export", {**SCOPE, "format": fmt}, capture))
    return body, download(client, body)


def streamed(client, report, fmt) -> bytes:
    """The file /api/v1/reports/{report}/ streams for SCOPE in ``fmt``."""
    response = client.get(f"/api/v1/reports/{report}/", {**SCOPE, "format": fmt})
    return b"".join(response.streaming_content)


def test_certificates_zip_holds_every_valid_certificate_of_the_region_and_year(
    api_as, regulator, certified, django_capture_on_commit_callbacks
):
    revoked, kept = certified
    services.certificate_revoke(review=revoked, reason="错发", by=regulator)
    client = api_as(regulator)

    body = finished(client, start(client, "certificates", SCOPE, django_capture_on_commit_callbacks))

    assert (body["done"], body["total"], body["result"]) == (1, 1, {"certificates": 1})
    assert body["file_name"] == f"certificates-320400-{LAST_YEAR}.zip"
    archive = zipfile.ZipFile(io.BytesIO(download(client, body)))
    [name] = archive.namelist()
    kept.refresh_from_db()
    assert name.startswith(kept.certificate_number) and kept.volunteer.display_name in name
    text = PdfReader(io.BytesIO(archive.read(name))).pages[0].extract_text()
    assert kept.certificate_code in text


def test_compliance_export_is_the_file_the_report_streams(
    api_as, regulator, opened, django_capture_on_commit_callbacks
):
    client = api_as(regulator)
    body, content = export(client, "compliance", "csv", django_capture_on_commit_callbacks)

    assert content == streamed(client, "compliance", "csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 3 and body["result"] == {"rows": 3} and body["done"] == 3


def test_compliance_export_as_xlsx(api_as, regulator, opened, django_capture_on_commit_callbacks):
    client = api_as(regulator)
    body, content = export(client, "compliance", "xlsx", django_capture_on_commit_callbacks)

    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    names = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {"李合规", "张达标", "王律师"}
    assert body["file_name"].endswith(".xlsx")


def test_inspection_export_is_the_file_the_inspection_report_streams(
    api_as, regulator, certified, django_capture_on_commit_callbacks
):
    client = api_as(regulator)
    body, content = export(client, "inspection", "csv", django_capture_on_commit_callbacks)

    assert content == streamed(client, "inspection", "csv")
    assert "达标" in content.decode("utf-8-sig")
    assert body["file_name"] == f"inspection-320400-{LAST_YEAR}.csv"


def test_decide_compliant_in_the_background_decides_those_who_met_their_rule(
    api_as, regulator, opened, compliant_lawyers, provider_volunteer, django_capture_on_commit_callbacks
):
    client = api_as(regulator)
    body = finished(client, start(client, "decide-compliant", SCOPE, django_capture_on_commit_callbacks))

    assert (body["done"], body["total"]) == (2, 2)
    assert body["result"] == {"decided": 2, "left_open": []}
    assert body["file_url"] is None
    statuses = {r.volunteer_id: r.status for r in AnnualReview.objects.filter(year=LAST_YEAR)}
    assert statuses == {
        compliant_lawyers[0].pk: ReviewStatus.COMPLIANT,
        compliant_lawyers[1].pk: ReviewStatus.COMPLIANT,
        provider_volunteer.pk: ReviewStatus.OPEN,
    }
    assert AnnualReview.objects.filter(year=LAST_YEAR, certificate_code__isnull=False).count() == 2


def test_a_rerun_of_decide_compliant_decides_only_what_is_still_open(
    regulator, opened, compliant_lawyers, regions, django_capture_on_commit_callbacks
):
    from duties.jobs import DECIDE_COMPLIANT, regulator_job_start
    from marketplace.core.tasks import run_job

    # The first run died after deciding one review; the rerun finds one left.
    review = AnnualReview.objects.get(volunteer=compliant_lawyers[0], year=LAST_YEAR)
    services.review_decide(review=review, decision=ReviewStatus.COMPLIANT, by=regulator)
    job = regulator_job_start(kind=DECIDE_COMPLIANT, year=LAST_YEAR, region=regions["changzhou"], by=regulator)
    assert run_job.apply(args=[job.pk]).result == "done"

    job.refresh_from_db()
    assert job.result == {"decided": 1, "left_open": []}
    assert AnnualReview.objects.filter(year=LAST_YEAR, status=ReviewStatus.COMPLIANT).count() == 2


def test_the_same_job_still_queued_is_not_started_twice(api_as, regulator, opened):
    client = api_as(regulator)
    first = client.post("/api/v1/jobs/certificates/", SCOPE, format="json").json()
    again = client.post("/api/v1/jobs/certificates/", SCOPE, format="json").json()
    other_year = client.post("/api/v1/jobs/certificates/", {**SCOPE, "year": 2024}, format="json").json()

    assert first["id"] == again["id"] != other_year["id"]
    assert Job.objects.count() == 2


def test_compliance_export_lists_the_kinds_the_owner_assesses(
    api_as, bureau_reviewer, association_reviewer, opened, regions, django_capture_on_commit_callbacks
):
    notary = VolunteerFactory(kind="notary", region=regions["tianning"], user__first_name="赵公证")
    duty_rule(regions, SCOPE["year"], kind="notary", min_hours=10)
    names = {}
    for user in (bureau_reviewer, association_reviewer):
        client = api_as(user)
        content = export(client, "compliance", "csv", django_capture_on_commit_callbacks)[1]
        assert content == streamed(client, "compliance", "csv")
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1:]
        names[user.pk] = {row[1] for row in rows}

    assert names[bureau_reviewer.pk] == {notary.display_name}
    assert notary.display_name not in names[association_reviewer.pk] and names[association_reviewer.pk]
