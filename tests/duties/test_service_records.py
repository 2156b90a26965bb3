"""Volunteers' recognition: a service record (志愿服务记录证明), never a review or certificate."""

import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from duties import services
from duties.models import VolunteerServiceRecord
from marketplace.models import ClaimStatus
from tests.duties.conftest import SHANGHAI, YEAR, document_screenshot, make_log, red_header_pixels
from tests.factories import ClaimFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def student(regions):
    return VolunteerFactory(
        region=regions["tianning"], kind="law_student", licence_number="", user__first_name="陈学生"
    )


@pytest.fixture
def served(task, student, coordinator):
    """Confirmed hours in March and May, on the legal aid centre's task."""
    claim = ClaimFactory(task=task, volunteer=student, status=ClaimStatus.ACCEPTED)
    for day, hours in ((date(YEAR, 3, 2), "3.00"), (date(YEAR, 3, 9), "2.50"), (date(YEAR, 5, 4), "4.00")):
        log = make_log(claim, on=day, hours=hours)
        services.hours_confirm(log=log, by=coordinator, now=datetime(YEAR, 5, 10, 10, tzinfo=SHANGHAI))
    return claim


def url(volunteer, year=YEAR):
    return f"/api/v1/volunteers/{volunteer.pk}/service-record/?year={year}"


class TestServiceRecord:
    def test_the_volunteer_gets_hours_by_month_and_the_organisations(self, api_as, student, served):
        response = api_as(student.user).get(url(student))

        assert response.status_code == 200, response.content[:200]
        assert response["Content-Type"] == "application/pdf"
        text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
        for words in ("志愿服务记录证明", "陈学生", f"{YEAR}年3月", "5.50小时", f"{YEAR}年5月", "9.50小时"):
            assert words in text
        assert "常州市法律援助中心" in text.replace("\n", "")
        record = VolunteerServiceRecord.objects.get()
        assert record.code in text
        assert f"http://127.0.0.1:8000/verify/{record.code}/" in text
        assert len(record.code.replace("-", "")) * 5 >= 80

    def test_it_is_verifiable_like_a_certificate(self, api_as, client, student, served):
        api_as(student.user).get(url(student))
        record = VolunteerServiceRecord.objects.get()

        data = client.get(f"/verify/{record.code}/", HTTP_ACCEPT="application/json").json()
        page = client.get(f"/verify/{record.code}/").content.decode()

        assert (data["status"], data["valid"]) == ("valid", True)
        assert data["certificate"]["document"] == "volunteer_service_record"
        assert data["certificate"]["hours"] == "9.50"
        assert data["certificate"]["organizations"] == ["常州市法律援助中心"]
        assert "陈学生" in page and "9.50" in page

    def test_the_served_organisations_coordinator_gets_it_others_404(
        self, api, api_as, student, served, coordinator, outsider, provider, regulator
    ):
        assert api_as(coordinator).get(url(student)).status_code == 200
        for user in (outsider, provider, regulator):
            response = api_as(user).get(url(student))
            assert response.status_code == 404
            assert response.data["code"] == "not_found"
        assert api.get(url(student)).status_code == 401
        assert api_as(student.user).get("/api/v1/volunteers/999999/service-record/").status_code == 404

    def test_a_lawyer_gets_409_not_a_volunteer_and_nothing_is_issued(self, api_as, provider_volunteer):
        response = api_as(provider_volunteer.user).get(url(provider_volunteer))

        assert response.status_code == 409
        assert response.data["code"] == "not_a_volunteer"
        assert not VolunteerServiceRecord.objects.exists()

    def test_a_bad_year_is_400_naming_year(self, api_as, student):
        response = api_as(student.user).get(url(student, year="soon"))

        assert response.status_code == 400
        assert "year" in response.data
        assert not VolunteerServiceRecord.objects.exists()

    def test_post_is_405(self, api_as, student):
        assert api_as(student.user).post(url(student)).status_code == 405

    def test_the_my_duty_page_links_it(self, client, student):
        client.force_login(student.user)

        page = client.get("/provider/duty/").content.decode()

        assert f"/api/v1/volunteers/{student.pk}/service-record/" in page

    def test_it_looks_like_an_official_document(self, api_as, student, served):
        pdf = api_as(student.user).get(url(student)).content

        image = document_screenshot(pdf, "volunteer-record.png")
        assert red_header_pixels(image) > 500
