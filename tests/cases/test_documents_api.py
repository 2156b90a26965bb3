"""POST/GET /api/v1/tasks/{id}/documents/ and GET /api/v1/documents/{id}/: uploads judged by their
content, stored under random names with their SHA-256, served only after the permission check."""

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.cases import files
from marketplace.cases.models import CaseDocument
from tests.cases.conftest import JPEG, PNG, stored_files
from tests.conftest import PDF

pytestmark = pytest.mark.django_db


def url(task) -> str:
    return f"/api/v1/tasks/{task.pk}/documents/"


def assert_nothing_written(root):
    assert CaseDocument.objects.count() == 0
    assert stored_files(root) == []


def test_the_handler_uploads_a_pdf(upload, provider, case, documents_on_tmp):
    response = upload(provider, case, name="判决书（一审）.pdf")

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["name"] == "判决书（一审）.pdf" and data["size"] == len(PDF)
    assert data["sha256"] == hashlib.sha256(PDF).hexdigest() and data["content_type"] == "application/pdf"
    document = CaseDocument.objects.get()
    # A random name under the year: nothing of the person, the case or the file's own name.
    assert re.fullmatch(r"\d{4}/[0-9a-f]{32}\.pdf", document.file.name)
    assert [p.read_bytes() for p in stored_files(documents_on_tmp)] == [PDF]


@pytest.mark.parametrize(
    ("name", "content", "kind"), [("照片.JPG", JPEG, "image/jpeg"), ("scan.png", PNG, "image/png")]
)
def test_the_centre_uploads_images(upload, coordinator, case, name, content, kind):
    response = upload(coordinator, case, name=name, content=content, content_type="application/octet-stream")

    assert response.status_code == 201 and response.json()["content_type"] == kind


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("判决书.pdf", PNG, "type_mismatch"),  # a PNG named .pdf
        ("photo.jpg", PDF, "type_mismatch"),
        ("notes.txt", b"plain text", "unsupported_type"),
        ("evil.pdf", b"MZ\x90\x00 an executable", "unsupported_type"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_400(upload, provider, case, documents_on_tmp, name, content, code):
    response = upload(provider, case, name=name, content=content, content_type="application/pdf")

    assert response.status_code == 400, response.content
    assert response.json()["code"] == code and "file" in response.json()
    assert_nothing_written(documents_on_tmp)


def test_no_file_is_400(api_as, provider, case, documents_on_tmp):
    response = api_as(provider).post(url(case), {}, format="multipart")

    assert response.status_code == 400 and "file" in response.json()
    assert_nothing_written(documents_on_tmp)


def test_a_file_over_the_limit_is_413(upload, provider, case, settings, documents_on_tmp, monkeypatch):
    settings.CASE_DOCUMENT_MAX_BYTES = 2048
    judged = []
    monkeypatch.setattr(files, "judge", lambda *args, **kwargs: judged.append(args))
    response = upload(provider, case, content=PDF + b"0" * 4096)

    assert response.status_code == 413 and response.json()["code"] == "file_too_large"
    assert judged == []  # the upload stopped at the limit while the body was read
    assert_nothing_written(documents_on_tmp)


def test_anonymous_is_401(api, case, documents_on_tmp):
    response = api.post(url(case), {"file": SimpleUploadedFile("a.pdf", PDF)}, format="multipart")

    assert response.status_code == 401
    assert_nothing_written(documents_on_tmp)


@pytest.mark.parametrize("who", ["outsider", "other_regulator", "stranger", "regulator"])
def test_someone_elses_case_is_404(request, upload, case, documents_on_tmp, who):
    """Regulators read the file's progress and closing, never its documents (the handler's and the centre's)."""
    user = request.getfixturevalue(who)
    response = upload(user, case)

    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert_nothing_written(documents_on_tmp)


def test_an_assistant_reads_but_does_not_upload_403(upload, assistant, case_with_assistant, documents_on_tmp, api_as):
    response = upload(assistant, case_with_assistant)

    assert response.status_code == 403 and response.json()["code"] == "not_handler"
    assert_nothing_written(documents_on_tmp)
    assert api_as(assistant).get(url(case_with_assistant)).status_code == 200


def test_a_terminated_case_takes_no_document_409(api_as, upload, coordinator, provider, case, documents_on_tmp):
    api_as(coordinator).post(
        f"/api/v1/tasks/{case.pk}/terminate/", {"ground": "person_asked_to_end", "reasons": "受援人书面申请终止。"}
    )
    response = upload(provider, case)

    assert response.status_code == 409 and response.json()["code"] == "case_not_in_progress"
    assert_nothing_written(documents_on_tmp)


def test_wrong_method_is_405(api_as, provider, case):
    assert api_as(provider).delete(url(case)).status_code == 405


def test_the_list_shows_the_documents_to_the_handler_and_the_centre(
    api_as, provider, coordinator, case, filed_document
):
    for user in (provider, coordinator):
        response = api_as(user).get(url(case))
        assert response.status_code == 200 and [d["id"] for d in response.json()["results"]] == [filed_document]


# --- downloads -------------------------------------------------------------------------------


def download(client, document_id):
    return client.get(f"/api/v1/documents/{document_id}/")


def test_the_handler_downloads_the_file_as_an_attachment_never_cached(api_as, provider, filed_document):
    response = download(api_as(provider), filed_document)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_centre_downloads_it_too_even_asking_for_any_type(api_as, coordinator, filed_document):
    response = api_as(coordinator).get(f"/api/v1/documents/{filed_document}/", HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_anonymous_download_is_401(api, filed_document):
    assert download(api, filed_document).status_code == 401


@pytest.mark.parametrize("who", ["outsider", "regulator", "other_regulator", "stranger"])
def test_nobody_else_downloads_it_404(request, api_as, filed_document, who):
    response = download(api_as(request.getfixturevalue(who)), filed_document)

    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_missing_document_is_404_in_json_whatever_was_asked(api_as, provider):
    response = api_as(provider).get("/api/v1/documents/999999/", HTTP_ACCEPT="application/pdf")

    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_document_filed_in_a_closing_cannot_be_deleted(in_review, filed_document):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        CaseDocument.objects.get(pk=filed_document).delete()


def test_a_document_is_neither_replaced_nor_deleted_through_the_api_405(api_as, provider, filed_document):
    client = api_as(provider)
    for response in (
        client.put(f"/api/v1/documents/{filed_document}/", {}, format="json"),
        client.delete(f"/api/v1/documents/{filed_document}/"),
    ):
        assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"
    assert CaseDocument.objects.filter(pk=filed_document).exists()
