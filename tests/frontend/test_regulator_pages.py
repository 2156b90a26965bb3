from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from duties import services as duty_services
from duties.models import AnnualReview, DutyRule, ReviewStatus
from marketplace.models import ClaimStatus
from tests.factories import ClaimFactory, DutyRuleFactory, VolunteerFactory
from tests.frontend.conftest import rule_form
from volunteers.models import VolunteerStatus

pytestmark = pytest.mark.django_db

REGULATOR_PAGES = [
    "/regulator/providers/",
    "/regulator/rules/",
    "/regulator/compliance/",
    "/regulator/reviews/",
    "/regulator/declined/",
]


@pytest.mark.parametrize("url", REGULATOR_PAGES)
def test_regulator_pages_work_for_regulators_only(client_as, regulator, coordinator, url):
    assert client_as(regulator).get(url).status_code == 200
    assert client_as(coordinator).get(url).status_code == 403
    assert client_as(None).get(url).status_code == 302


def test_a_pending_provider_is_verified_from_the_queue(client_as, regulator, regions):
    pending = VolunteerFactory(region=regions["tianning"], status=VolunteerStatus.PENDING)
    client = client_as(regulator)
    assert pending.display_name in client.get("/regulator/providers/").content.decode()
    client.post(
        reverse("regulator-provider-verify", args=[pending.pk]), {"status": "verified", "note": "Licence checked"}
    )
    pending.refresh_from_db()
    assert pending.status == VolunteerStatus.VERIFIED


def test_a_provider_outside_the_jurisdiction_is_not_found(client_as, other_regulator, provider_volunteer):
    client = client_as(other_regulator)
    assert client.get(reverse("regulator-provider", args=[provider_volunteer.pk])).status_code == 404
    response = client.post(reverse("regulator-provider-verify", args=[provider_volunteer.pk]), {"status": "revoked"})
    assert response.status_code == 404
    provider_volunteer.refresh_from_db()
    assert provider_volunteer.status == VolunteerStatus.VERIFIED


def test_a_rule_is_added_and_a_duplicate_is_refused_beside_the_form(client_as, regulator, regions):
    data = rule_form("2026")
    client = client_as(regulator)
    assert client.post("/regulator/rules/", data).status_code == 302
    assert DutyRule.objects.get().min_hours == Decimal("50.00")
    response = client.post("/regulator/rules/", data)
    assert response.status_code == 400 and "exists already" in response.content.decode()


def test_a_rule_outside_the_jurisdiction_is_not_offered(client_as, regulator, regions):
    data = rule_form("2026", region="320500")
    response = client_as(regulator).post("/regulator/rules/", data)
    assert response.status_code == 400 and 'id="id_region_error"' in response.content.decode()
    assert not DutyRule.objects.exists()


def test_the_compliance_dashboard_draws_charts_and_links_exports(client_as, regulator, provider_volunteer):
    year = timezone.localdate().year
    body = client_as(regulator).get("/regulator/compliance/", {"year": year, "region": "320400"}).content.decode()
    assert 'id="chart-district"' in body and 'id="chart-kind"' in body
    assert "format=csv" in body and "format=xlsx" in body
    assert reverse("regulator-provider", args=[provider_volunteer.pk]) in body


def test_the_annual_review_opens_decides_in_bulk_and_one_by_one(client_as, regulator, provider_volunteer, regions):
    year = timezone.localdate().year - 1
    DutyRuleFactory(year=year, region=regions["changzhou"], volunteer_kind="lawyer", min_hours=0, min_cases=1)
    behind = VolunteerFactory(region=regions["zhonglou"])
    client = client_as(regulator)
    client.post("/regulator/reviews/open/", {"year": year, "region": "320400"})
    assert AnnualReview.objects.filter(year=year).count() == 2
    client.post("/regulator/reviews/decide-compliant/", {"year": year, "region": "320400"})
    assert AnnualReview.objects.filter(status=ReviewStatus.OPEN).count() == 2  # nobody met the one-case rule
    review = AnnualReview.objects.get(volunteer=behind)
    response = client.post(reverse("regulator-review-decide", args=[review.pk]), {"decision": "deficient", "note": ""})
    review.refresh_from_db()
    assert response.status_code == 302 and review.status == ReviewStatus.OPEN  # a deficient decision needs a note
    client.post(reverse("regulator-review-decide", args=[review.pk]), {"decision": "exempt", "note": "Ill all year"})
    review.refresh_from_db()
    assert review.status == ReviewStatus.EXEMPT and review.certificate_code
    body = client.get("/regulator/reviews/", {"year": year, "region": "320400"}).content.decode()
    assert review.certificate_code in body


def test_another_regions_review_cannot_be_decided(client_as, regulator, other_regulator, provider_volunteer, regions):
    year = timezone.localdate().year - 1
    DutyRuleFactory(year=year, region=regions["changzhou"], volunteer_kind="lawyer", min_cases=1, min_hours=0)
    duty_services.reviews_open(year=year, region=provider_volunteer.region.parent, by=regulator)
    review = AnnualReview.objects.get()
    response = client_as(other_regulator).post(
        reverse("regulator-review-decide", args=[review.pk]), {"decision": "compliant"}
    )
    assert response.status_code == 404
    review.refresh_from_db()
    assert review.status == ReviewStatus.OPEN


def test_declined_assignments_show_the_reason(client_as, regulator, legal_aid_center, provider_volunteer):
    ClaimFactory(
        task__organization=legal_aid_center,
        volunteer=provider_volunteer,
        status=ClaimStatus.DECLINED,
        is_assignment=True,
        declined_by_provider=True,
        reason="Conflict with an earlier client",
        decided_at=timezone.now() - timedelta(hours=1),
    )
    assert "Conflict with an earlier client" in client_as(regulator).get("/regulator/declined/").content.decode()


def test_the_export_links_of_the_dashboard_download(client_as, regulator, provider_volunteer):
    year = timezone.localdate().year
    client = client_as(regulator)
    for fmt, content_type in (("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats")):
        response = client.get("/api/v1/reports/compliance/", {"year": year, "region": "320400", "format": fmt})
        assert response.status_code == 200 and response["Content-Type"].startswith(content_type)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body


def test_the_certificate_link_of_my_duty_downloads_a_pdf(client_as, regulator, provider_volunteer, regions):
    year = timezone.localdate().year - 1
    DutyRuleFactory(year=year, region=regions["changzhou"], volunteer_kind="lawyer", min_cases=1, min_hours=0)
    duty_services.reviews_open(year=year, region=provider_volunteer.region.parent, by=regulator)
    review = AnnualReview.objects.get()
    duty_services.review_decide(review=review, decision="exempt", note="Newly licensed", by=regulator)
    client = client_as(provider_volunteer.user)
    body = client.get("/provider/duty/").content.decode()
    link = f"/api/v1/reviews/{review.pk}/certificate/"
    assert link in body
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_a_duty_page_offers_the_last_five_years_and_keeps_an_unknown_year_out(client_as, regulator, provider_volunteer):
    this_year = timezone.localdate().year
    response = client_as(regulator).get(f"/regulator/providers/{provider_volunteer.pk}/", {"year": "x"})

    assert response.context["year"] == this_year
    assert response.context["years"] == [this_year - i for i in range(5)]
