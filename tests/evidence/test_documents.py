"""POST .../{id}/documents/: the department files copies of the materials into the case, through
the case documents of marketplace.cases; the handler and the centre download them there."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.cases import files
from marketplace.cases.models import CaseDocument
from marketplace.evidence import services
from tests.conftest import PDF

pytestmark = pytest.mark.django_db


def upload(client, pk, content=PDF, name="出警记录.pdf"):
    return client.post(
        f"/api/v1/evidence-requests/{pk}/documents/",
        {"file": SimpleUploadedFile(name, content, "application/pdf")},
        format="multipart",
    )


def stored():
    return list(CaseDocument.objects.values_list("id", "name"))


def test_the_department_files_a_copy_the_handler_and_the_centre_download_it(
    api_as, police, provider, coordinator, evidence
):
    response = upload(api_as(police), evidence.pk)

    assert response.status_code == 201
    document = response.json()
    assert document["name"] == "出警记录.pdf" and document["task"] == evidence.task_id
    assert document["size"] == len(PDF) and len(document["sha256"]) == 64
    shown = api_as(provider).get(f"/api/v1/evidence-requests/{evidence.pk}/").json()["documents"]
    assert [d["id"] for d in shown] == [document["id"]]
    for user in (provider, coordinator):
        download = api_as(user).get(document["url"])
        assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_it_may_come_with_the_answer_after_providing(api_as, police, evidence):
    services.evidence_request_respond(request=evidence, provided=True, fee_waived=True, by=police)
    assert upload(api_as(police), evidence.pk).status_code == 201


def test_only_the_department_files(api, api_as, provider, coordinator, archives, evidence):
    assert upload(api, evidence.pk).status_code == 401
    for user in (provider, coordinator):
        response = upload(api_as(user), evidence.pk)
        assert response.status_code == 403 and response.json()["code"] == "not_department"
    response = upload(api_as(archives), evidence.pk)
    assert response.status_code == 404
    assert stored() == []


def test_a_refused_request_takes_no_file(api_as, police, evidence):
    services.evidence_request_respond(request=evidence, provided=False, note="无记录", by=police)
    response = upload(api_as(police), evidence.pk)
    assert response.status_code == 409 and response.json()["code"] == "request_refused"
    assert stored() == []


@pytest.mark.parametrize(
    "content, name, code",
    [(b"MZ\x90\x00 not a pdf", "x.pdf", "unsupported_type"), (PDF, "x.png", "type_mismatch"), (b"", "x.pdf", "empty")],
)
def test_a_bad_file_is_400(api_as, police, evidence, content, name, code):
    response = upload(api_as(police), evidence.pk, content=content, name=name)
    assert response.status_code == 400 and response.json()["code"] == code and "file" in response.json()
    assert stored() == []


def test_a_file_over_the_limit_is_413(api_as, police, evidence, settings, monkeypatch):
    settings.CASE_DOCUMENT_MAX_BYTES = 1024
    judged = []
    monkeypatch.setattr(files, "judge", lambda *args, **kwargs: judged.append(args))
    response = upload(api_as(police), evidence.pk, content=PDF + b"x" * 2048)
    assert response.status_code == 413 and response.json()["code"] == "file_too_large"
    assert judged == []  # the upload stopped at the limit while the body was read
    assert stored() == []


def test_wrong_method_is_405(api_as, police, evidence):
    assert api_as(police).get(f"/api/v1/evidence-requests/{evidence.pk}/documents/").status_code == 405
