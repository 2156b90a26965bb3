"""The annual inspection (年检) report: per firm and per lawyer, from the compliance rows."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from duties import services
from duties.models import AnnualReview
from tests.duties.conftest import make_case_claim
from tests.factories import DutyRuleFactory, UserFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

YEAR = 2025
URL = "/api/v1/reports/inspection/"
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def population(regions, legal_aid_center, coordinator, law_firm, regulator):
    """At 江苏常州某某律师事务所: 张 met the rule by two cases (review decided compliant, with a
    certificate), 李 handled one (not met); 赵 has no firm and handled none. A notary is no lawyer."""
    DutyRuleFactory(year=YEAR, region=regions["changzhou"], volunteer_kind="lawyer", min_hours=50, min_cases=2)
    zhang = VolunteerFactory(
        region=regions["tianning"],
        practice_org=law_firm,
        licence_number="13204201510000001",
        user=UserFactory(username="zhang", first_name="张律师", last_name=""),
    )
    li = VolunteerFactory(
        region=regions["tianning"],
        practice_org=law_firm,
        licence_number="13204201510000002",
        user=UserFactory(username="li", first_name="李律师", last_name=""),
    )
    VolunteerFactory(
        region=regions["zhonglou"],
        licence_number="13204201510000003",
        user=UserFactory(username="zhao", first_name="赵律师", last_name=""),
    )
    VolunteerFactory(region=regions["zhonglou"], kind="notary", user=UserFactory(username="notary"))
    when = datetime(YEAR, 10, 1, tzinfo=SHANGHAI)
    for _ in range(2):
        services.duty_credit_case(claim=make_case_claim(legal_aid_center, zhang), by=coordinator, now=when)
    services.duty_credit_case(claim=make_case_claim(legal_aid_center, li), by=coordinator, now=when)
    after = datetime(YEAR + 1, 3, 10, tzinfo=SHANGHAI)
    services.reviews_open(year=YEAR, region=regions["changzhou"], by=regulator, now=after)
    review = AnnualReview.objects.get(volunteer=zhang, year=YEAR)
    services.review_decide(review=review, decision="compliant", by=regulator, now=after)
    review.refresh_from_db()
    return {"zhang": zhang, "li": li, "review": review}


def _rows(response):
    body = b"".join(response.streaming_content)
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_csv_lists_each_lawyer_with_firm_outcome_and_certificate(api_as, regulator, population, law_firm):
    response = api_as(regulator).get(URL, {"year": YEAR, "region": "320400", "format": "csv"})
    assert response.status_code == 200
    rows = _rows(response)
    assert rows[0][:3] == ["律师事务所", "律师姓名", "执业证号"]
    by_name = {r[1]: r for r in rows[1:]}
    assert set(by_name) == {"张律师", "李律师", "赵律师"}  # the notary is not inspected here
    review = population["review"]
    assert by_name["张律师"][0] == law_firm.name
    assert by_name["张律师"][5:] == ["2", "达标", review.certificate_number, review.certificate_code]
    assert by_name["李律师"][5:7] == ["1", "未达标"]
    assert by_name["赵律师"][0] == "个人执业"


def test_the_xlsx_has_numbers_and_chinese_headers(api_as, regulator, population):
    response = api_as(regulator).get(URL, {"year": YEAR, "region": "320400", "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["inspection"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][6] == "履行法律援助义务情况"
    cases = {r[1]: r[5] for r in rows[1:]}
    assert cases == {"张律师": 2, "李律师": 1, "赵律师": 0}


def test_the_json_summarises_per_firm(api_as, regulator, population, law_firm):
    response = api_as(regulator).get(URL, {"year": YEAR, "region": "320400"})
    assert response.status_code == 200
    body = response.json()
    assert (body["year"], body["region"]) == (YEAR, "320400")
    firm, alone = body["firms"]
    assert (firm["firm"], firm["lawyers"], firm["met"], firm["not_met"], firm["cases"]) == (law_firm.pk, 2, 1, 1, 3)
    assert (alone["firm"], alone["lawyers"], alone["not_met"]) == (None, 1, 1)


def test_the_inspection_needs_a_sign_in(api):
    assert api.get(URL, {"year": YEAR}).status_code == 401


@pytest.mark.parametrize("who", ["coordinator", "provider", "stranger"])
def test_only_regulators_read_the_inspection(api_as, request, who):
    response = api_as(request.getfixturevalue(who)).get(URL, {"year": YEAR})
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_a_region_outside_the_jurisdiction_is_400(api_as, other_regulator, population):
    response = api_as(other_regulator).get(URL, {"year": YEAR, "region": "320400"})
    assert response.status_code == 400 and "region" in response.json()


@pytest.mark.parametrize("params", [{"year": "last"}, {"year": 1800}, {"region": "x" * 20}])
def test_bad_parameters_are_400(api_as, regulator, params):
    assert api_as(regulator).get(URL, params).status_code == 400


def test_the_inspection_is_read_only(api_as, regulator):
    assert api_as(regulator).post(URL, {}, format="json").status_code == 405
