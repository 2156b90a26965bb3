"""Evidence pages: the handler's requests and form, the department's queue and answer form."""

import pytest
from django.urls import reverse

from marketplace.evidence import services
from marketplace.evidence.models import EvidenceRequest

pytestmark = pytest.mark.django_db


def ask(client, case, department, **changes):
    data = {"task": case.pk, "department": department.pk, "items": "出警记录\n\n询问笔录\n", "purpose": "证明曾报警。"}
    data.update(changes)
    return client.post("/provider/evidence/", data)


class TestHandler:
    def test_the_handler_asks_from_the_page_and_gets_the_letter_link(
        self, client_as, provider, case, police_department
    ):
        client = client_as(provider)
        page = client.get("/provider/evidence/", {"task": case.pk}).content.decode()
        assert case.title in page and police_department.name in page
        response = ask(client, case, police_department)
        created = EvidenceRequest.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("evidence-detail", args=[created.pk])
        assert created.items == ["出警记录", "询问笔录"]
        detail = client.get(response["Location"]).content.decode()
        assert created.number in detail and f"/api/v1/evidence-requests/{created.pk}/letter/" in detail
        assert "出警记录" in detail and 'id="respond-form"' not in detail

    def test_the_case_page_links_the_handler_to_the_form(self, client_as, provider, case):
        body = client_as(provider).get(reverse("case", args=[case.pk])).content.decode()
        assert f"/provider/evidence/?task={case.pk}" in body

    def test_bad_input_is_said_beside_the_field(self, client_as, provider, case, police_department):
        response = ask(client_as(provider), case, police_department, items="  \n", purpose="")
        assert response.status_code == 400
        assert not EvidenceRequest.objects.exists()

    def test_a_provider_without_cases_is_told(self, client_as, other_provider):
        body = client_as(other_provider).get("/provider/evidence/").content.decode()
        assert "You handle no case" in body

    def test_a_provider_cannot_ask_for_someone_elses_case(self, client_as, other_provider, case, police_department):
        response = ask(client_as(other_provider), case, police_department)
        assert response.status_code == 400  # not among the cases the form offers
        assert not EvidenceRequest.objects.exists()

    def test_non_providers_are_refused(self, client_as, stranger, police):
        assert client_as(stranger).get("/provider/evidence/").status_code == 403
        assert client_as(None).get("/provider/evidence/").status_code == 302


class TestDepartment:
    def test_the_queue_lists_the_departments_requests(self, client_as, police, evidence):
        body = client_as(police).get("/department/evidence/").content.decode()
        assert evidence.number in body and "王律师" in body

    def test_the_department_answers_from_the_page(self, client_as, police, evidence):
        client = client_as(police)
        page = client.get(reverse("evidence-detail", args=[evidence.pk])).content.decode()
        assert 'id="respond-form"' in page
        response = client.post(
            reverse("evidence-respond", args=[evidence.pk]),
            {"answer": "provided", "fees": "waived", "note": "已提供。"},
        )
        assert response.status_code == 302
        evidence.refresh_from_db()
        assert evidence.status == "provided" and evidence.fee_waived is True

    def test_a_refusal_needs_a_reason(self, client_as, police, evidence):
        response = client_as(police).post(reverse("evidence-respond", args=[evidence.pk]), {"answer": "refused"})
        assert response.status_code == 400 and "This field is required." in response.content.decode()
        evidence.refresh_from_db()
        assert evidence.status == "pending"

    def test_answering_twice_is_said(self, client_as, police, evidence):
        services.evidence_request_respond(request=evidence, provided=True, fee_waived=True, by=police)
        response = client_as(police).post(
            reverse("evidence-respond", args=[evidence.pk]), {"answer": "refused", "note": "改变主意"}
        )
        assert response.status_code == 400 and "already been answered" in response.content.decode()
        evidence.refresh_from_db()
        assert evidence.status == "provided"

    def test_another_department_gets_404(self, client_as, archives, evidence):
        assert client_as(archives).get(reverse("evidence-detail", args=[evidence.pk])).status_code == 404
        response = client_as(archives).post(
            reverse("evidence-respond", args=[evidence.pk]), {"answer": "refused", "note": "x"}
        )
        assert response.status_code == 404
        assert client_as(archives).get("/department/evidence/").content.decode().count(evidence.number) == 0

    def test_the_queue_is_for_departments(self, client_as, provider, coordinator):
        for user in (provider, coordinator):
            assert client_as(user).get("/department/evidence/").status_code == 403

    def test_the_nav(self, client_as, police, provider, coordinator):
        assert "/department/evidence/" in client_as(police).get("/").content.decode()
        assert "/provider/evidence/" in client_as(provider).get("/").content.decode()
        assert "/department/evidence/" not in client_as(coordinator).get("/").content.decode()


def test_a_fee_charged_is_recorded_and_a_missing_fee_answer_is_said(client_as, police, evidence):
    client = client_as(police)
    url = reverse("evidence-respond", args=[evidence.pk])
    response = client.post(url, {"answer": "provided", "note": "已提供。"})
    assert response.status_code == 400 and "Say whether the fee was waived." in response.content.decode()
    assert client.post(url, {"answer": "provided", "fees": "charged", "note": "收取工本费。"}).status_code == 302
    evidence.refresh_from_db()
    assert evidence.status == "provided" and evidence.fee_waived is False


def test_the_department_files_a_copy_from_the_page_and_the_handler_downloads_it(client_as, police, provider, evidence):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.4\n%%EOF\n"
    client = client_as(police)
    response = client.post(
        reverse("evidence-document", args=[evidence.pk]), {"file": SimpleUploadedFile("出警记录.pdf", pdf)}
    )
    assert response.status_code == 302
    [document] = evidence.documents.all()
    assert "出警记录.pdf" in client.get(reverse("evidence-detail", args=[evidence.pk])).content.decode()
    body = client_as(provider).get(reverse("evidence-detail", args=[evidence.pk])).content.decode()
    assert reverse("case-document-download", args=[document.pk]) in body
    bad = client.post(
        reverse("evidence-document", args=[evidence.pk]), {"file": SimpleUploadedFile("x.pdf", b"not a pdf")}
    )
    assert bad.status_code == 400 and evidence.documents.count() == 1
