"""Cases fixtures on top of the suite's cast (tests/conftest.py).

- ``coordinator``: of the Changzhou legal aid centre, which posted and assigned ``case``.
- ``provider``: the lead handler of ``case`` (assigned by the centre).
- ``assistant``: another lawyer holding a seat on ``case``.
- ``regulator``: reviewer of the Changzhou justice bureau (reads the file, evaluates quality).
- ``association_reviewer``: reviewer of the Changzhou lawyers' association (reads, never evaluates).
- ``outsider``: coordinator of a trade union; ``other_regulator``: of Suzhou; ``stranger``: no role.
- ``second_coordinator``: another coordinator of the centre (reviews when the first cannot).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace import services as task_services
from tests.conftest import PDF
from tests.factories import CaseFactory, UserFactory, VolunteerFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.fixture(autouse=True)
def documents_on_tmp(documents_on_tmp):
    """The suite's ``documents_on_tmp`` (a folder of the test's own), for every test here."""
    return documents_on_tmp


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.fixture
def assistant_volunteer(regions):
    return VolunteerFactory(user=UserFactory(username="assistant", first_name="李助理"), region=regions["tianning"])


@pytest.fixture
def assistant(assistant_volunteer):
    return assistant_volunteer.user


@pytest.fixture
def case(legal_aid_center, coordinator, provider_volunteer):
    """A civil representation case of the centre, assigned to ``provider`` (the lead handler)."""
    task = CaseFactory(organization=legal_aid_center)
    task_services.task_assign(task=task, volunteer=provider_volunteer, by=coordinator)
    task.refresh_from_db()
    return task


@pytest.fixture
def case_with_assistant(legal_aid_center, coordinator, provider_volunteer, assistant_volunteer):
    task = CaseFactory(organization=legal_aid_center, seats=2)
    task_services.task_assign(task=task, volunteer=provider_volunteer, by=coordinator)
    task_services.task_assign(task=task, volunteer=assistant_volunteer, by=coordinator)
    task.refresh_from_db()
    return task


@pytest.fixture
def upload(api_as):
    """Upload ``content`` as ``name`` to ``task`` as ``user``; returns the response."""

    def make(user, task, name="判决书.pdf", content=PDF, content_type="application/pdf"):
        file = SimpleUploadedFile(name, content, content_type=content_type)
        return api_as(user).post(f"/api/v1/tasks/{task.pk}/documents/", {"file": file}, format="multipart")

    return make


@pytest.fixture
def filed_document(upload, provider, case):
    response = upload(provider, case)
    assert response.status_code == 201, response.content
    return response.json()["id"]


@pytest.fixture
def file_closing(api_as, upload):
    """``file_closing(handler, task, outcome=, summary=, documents=)``: the handler files the
    closing through the API, with ``documents`` (by default a copy of the judgment it uploads
    first); 201 expected; returns ``task`` as it now stands."""

    def file(user, task, *, outcome="supported", summary="仲裁委支持全部仲裁请求，用人单位支付欠薪。", documents=None):
        if documents is None:
            documents = [upload(user, task).json()["id"]]
        body = {"outcome": outcome, "summary": summary, "documents": documents}
        response = api_as(user).post(f"/api/v1/tasks/{task.pk}/closing/", body, format="json")
        assert response.status_code == 201, response.content
        task.refresh_from_db()
        return task

    return file


@pytest.fixture
def in_review(file_closing, provider, case, filed_document):
    """``case`` with its closing filed by the handler."""
    return file_closing(provider, case, documents=[filed_document])
