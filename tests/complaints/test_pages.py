"""Complaint pages: the public form and lookup, the bureau's desk, the provider's page for regulators."""

import pytest
from django.urls import reverse

from duties.complaints import services
from duties.complaints.models import Complaint

pytestmark = pytest.mark.django_db

FORM = "/complaints/new/"


def fields(**changes):
    data = {"subject": "律师不回电话", "text": "开庭前联系不上承办律师。", "contact": "13900001111"}
    data.update(changes)
    return data


class TestPublicForm:
    def test_anyone_files_from_a_task_page_and_lands_on_the_status_with_the_code(self, client_as, case):
        task_page = client_as(None).get(reverse("task-detail", args=[case.pk])).content.decode()
        assert f"{FORM}?task={case.pk}" in task_page

        client = client_as(None)
        form = client.get(FORM, {"task": case.pk}).content.decode()
        assert case.title in form and 'name="task"' in form

        response = client.post(FORM, fields(task=case.pk), follow=True)
        complaint = Complaint.objects.get()
        assert complaint.task == case and complaint.filed_by is None
        body = response.content.decode()
        assert response.redirect_chain[-1][0] == reverse("complaint-status", args=[complaint.code])
        assert complaint.code in body and "Awaiting investigation" in body
        assert "13900001111" not in body

    def test_a_provider_is_named_by_licence_number(self, client_as, provider_volunteer):
        response = client_as(None).post(FORM, fields(licence_number=provider_volunteer.licence_number))
        assert response.status_code == 302
        assert Complaint.objects.get().volunteer == provider_volunteer

    def test_an_unknown_licence_number_is_said_beside_its_field(self, client_as, case):
        response = client_as(None).post(FORM, fields(task=case.pk, licence_number="000"))
        assert response.status_code == 400 and "No provider has this licence number." in response.content.decode()
        assert not Complaint.objects.exists()

    def test_html_is_refused_beside_the_field(self, client_as, case):
        response = client_as(None).post(FORM, fields(task=case.pk, text="<script>alert(1)</script>"))
        body = response.content.decode()
        assert response.status_code == 400 and "HTML tags" in body
        assert "<script>alert(1)</script>" not in body  # shown escaped in the textarea
        assert not Complaint.objects.exists()

    def test_no_subject_and_no_contact_are_said(self, client_as, case):
        body = client_as(None).post(FORM, fields()).content.decode()
        assert "Say which task or which provider" in body
        body = client_as(None).post(FORM, fields(task=case.pk, contact="")).content.decode()
        assert "Leave a phone number or an address" in body
        assert not Complaint.objects.exists()

    def test_a_megabyte_of_text_is_refused(self, client_as, case):
        response = client_as(None).post(FORM, fields(task=case.pk, text="x" * 1_000_000))
        assert response.status_code == 400
        assert not Complaint.objects.exists()

    def test_the_form_is_rate_limited_per_address_with_the_api(self, api, client_as, case, settings):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "complaint": "1/hour"},
        }
        api.post("/api/v1/complaints/", {**fields(), "task": case.pk}, format="json")
        response = client_as(None).post(FORM, fields(task=case.pk))
        assert response.status_code == 429 and "Too many requests" in response.content.decode()
        assert Complaint.objects.count() == 1

    def test_the_page_is_chinese_by_default(self, client_as):
        body = client_as(None, language=None).get(FORM).content.decode()
        assert '<html lang="zh-hans">' in body


class TestLookup:
    def test_the_track_form_leads_to_the_status(self, client_as, complaint):
        response = client_as(None).get("/complaints/track/", {"code": complaint.code.lower()})
        assert response.status_code == 302 and response["Location"].endswith(f"/complaints/track/{complaint.code}/")

    def test_an_unknown_code_is_a_404_page(self, client_as, complaint):
        response = client_as(None).get("/complaints/track/AAAA-AAAA-AAAA-AAAA/")
        assert response.status_code == 404 and "No complaint has this code" in response.content.decode()

    def test_the_status_shows_the_finding_and_never_the_contact(self, client_as, regulator, complaint):
        services.complaint_resolve(complaint=complaint, finding="经查属实。", action="约谈律师。", by=regulator)
        body = client_as(None).get(f"/complaints/track/{complaint.code}/").content.decode()
        assert "经查属实。" in body and "约谈律师。" in body and "常州市司法局" in body
        assert "13900001111" not in body and "联系不上承办律师" not in body and "王律师" not in body


class TestDesk:
    def test_the_bureau_sees_its_desk_and_the_contact(self, client_as, regulator, complaint):
        desk = client_as(regulator).get("/bureau/complaints/").content.decode()
        assert complaint.subject in desk and complaint.code in desk
        page = client_as(regulator).get(f"/bureau/complaints/{complaint.pk}/").content.decode()
        assert "13900001111" in page and "开庭前一周联系不上承办律师。" in page

    def test_the_bureau_starts_and_resolves(self, client_as, regulator, complaint):
        client = client_as(regulator)
        client.post(f"/bureau/complaints/{complaint.pk}/start/")
        assert Complaint.objects.get().status == "investigating"
        response = client.post(
            f"/bureau/complaints/{complaint.pk}/resolve/", {"finding": "经查属实。", "action": "约谈律师。"}
        )
        assert response.status_code == 302
        assert Complaint.objects.get().status == "resolved"

    def test_a_finding_with_markup_is_refused_beside_the_field(self, client_as, regulator, complaint):
        response = client_as(regulator).post(
            f"/bureau/complaints/{complaint.pk}/resolve/", {"finding": "<b>x</b>", "action": "无"}
        )
        assert response.status_code == 400 and "HTML tags" in response.content.decode()
        assert Complaint.objects.get().status == "received"

    def test_others_are_refused(self, client_as, other_regulator, association_reviewer, provider, complaint):
        for user in (association_reviewer, provider):
            assert client_as(user).get("/bureau/complaints/").status_code == 403
        assert client_as(other_regulator).get(f"/bureau/complaints/{complaint.pk}/").status_code == 404
        assert client_as(None).get("/bureau/complaints/").status_code == 302  # to sign in

    def test_the_nav_shows_the_desk_to_the_bureau_only(self, client_as, regulator, association_reviewer):
        assert "/bureau/complaints/" in client_as(regulator).get("/").content.decode()
        assert "/bureau/complaints/" not in client_as(association_reviewer).get("/").content.decode()

    def test_a_bad_filter_is_ignored_and_said(self, client_as, regulator, complaint):
        response = client_as(regulator).get("/bureau/complaints/", {"show": "nonsense", "page": "x"})
        assert response.status_code == 200 and complaint.subject in response.content.decode()


def test_the_providers_page_for_regulators_lists_complaints_about_them(
    client_as, regulator, association_reviewer, complaint, provider_volunteer
):
    services.complaint_resolve(complaint=complaint, finding="经查属实。", action="约谈律师。", by=regulator)
    for user in (regulator, association_reviewer):
        body = client_as(user).get(f"/regulator/providers/{provider_volunteer.pk}/").content.decode()
        assert 'id="provider-complaints"' in body and complaint.subject in body and "经查属实。" in body
        assert "13900001111" not in body
