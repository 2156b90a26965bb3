import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from duties import services
from tests.duties.conftest import duty_rule, make_case_claim
from tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db

YEAR = 2025
URL = "/api/v1/reports/compliance/"


@pytest.fixture
def rule(regions):
    return duty_rule(regions, YEAR, min_hours=50, min_cases=2)


@pytest.fixture
def population(rule, regions, legal_aid_center, coordinator, provider_volunteer):
    """Tianning: the provider (behind). Zhonglou: one lawyer met, one notary (no rule: exempt)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    met = VolunteerFactory(region=regions["zhonglou"], user__first_name="达标律师")
    when = datetime(YEAR, 10, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
    for _ in range(2):
        services.duty_credit_case(claim=make_case_claim(legal_aid_center, met), by=coordinator, now=when)
    VolunteerFactory(region=regions["zhonglou"], kind="notary")
    VolunteerFactory(region=regions["suzhou"])  # outside Changzhou: not counted
    return met


def add_providers(regions, n):
    for i in range(n):
        VolunteerFactory(region=regions["tianning" if i % 2 else "zhonglou"])


class TestCounts:
    def test_counts_by_status_district_and_kind(self, api_as, regulator, population):
        response = api_as(regulator).get(URL, {"year": YEAR, "region": "320400"})

        assert response.status_code == 200, response.data
        body = response.data
        assert body["by_status"] == {"met": 1, "on_track": 0, "behind": 1, "exempt": 1, "total": 3}
        districts = {d["region"]: d for d in body["by_district"]}
        assert districts["320402"]["behind"] == 1
        assert districts["320404"]["met"] == 1
        assert districts["320404"]["exempt"] == 1
        assert districts["320404"]["name"] == "钟楼区"
        kinds = {k["volunteer_kind"]: k for k in body["by_kind"]}
        assert kinds["lawyer"]["total"] == 2
        assert kinds["notary"]["exempt"] == 1
        assert body["by_review_status"]["none"] == 3

    def test_the_query_count_is_the_same_for_few_and_many_providers(self, api_as, regulator, population, regions):
        from django.contrib.auth.models import User

        def count():
            client = api_as(User.objects.get(pk=regulator.pk))
            with CaptureQueriesContext(connection) as captured:
                assert client.get(URL, {"year": YEAR, "region": "320400"}).status_code == 200
            return len(captured)

        few = count()
        add_providers(regions, 30)
        many = count()

        assert few == many

    def test_the_region_defaults_to_the_jurisdiction(self, api_as, regulator, population):
        assert api_as(regulator).get(URL, {"year": YEAR}).data["region"] == "320400"

    def test_a_region_outside_the_jurisdiction_is_400(self, api_as, regulator):
        response = api_as(regulator).get(URL, {"year": YEAR, "region": "320500"})

        assert response.status_code == 400
        assert "region" in response.data

    def test_bad_parameters_are_400_naming_them(self, api_as, regulator):
        assert "year" in api_as(regulator).get(URL, {"year": "x"}).data
        assert "region" in api_as(regulator).get(URL, {"region": "nope"}).data

    def test_non_regulators_403_anonymous_401_post_405(self, api, api_as, provider, coordinator, regulator):
        assert api.get(URL).status_code == 401
        for user in (provider, coordinator):
            assert api_as(user).get(URL).status_code == 403
        assert api_as(regulator).post(URL).status_code == 405


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


class TestExports:
    def test_csv_streams_the_per_provider_list(self, api_as, regulator, population):
        response = api_as(regulator).get(URL, {"year": YEAR, "region": "320400", "format": "csv"})

        assert response.status_code == 200
        assert response.streaming
        assert response["Content-Type"].startswith("text/csv")
        rows = csv_rows(response)
        assert rows[0][:3] == ["Provider ID", "Name", "Kind"]
        assert len(rows) == 4
        met = next(r for r in rows if r[1] == "达标律师")
        assert (met[7], met[10]) == ("2", "Met")

    def test_csv_by_accept_header(self, api_as, regulator, population):
        response = api_as(regulator).get(URL, {"year": YEAR}, HTTP_ACCEPT="text/csv")

        assert response.status_code == 200
        assert len(csv_rows(response)) == 4

    def test_csv_query_count_does_not_grow_with_providers(self, api_as, regulator, population, regions):
        def count():
            with CaptureQueriesContext(connection) as captured:
                csv_rows(api_as(regulator).get(URL, {"year": YEAR, "format": "csv"}))
            return len(captured)

        few = count()
        add_providers(regions, 30)
        assert count() == few

    def test_xlsx_streams_a_workbook(self, api_as, regulator, population):
        response = api_as(regulator).get(URL, {"year": YEAR, "region": "320400", "format": "xlsx"})

        assert response.status_code == 200
        assert response.streaming
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        rows = list(workbook.active.iter_rows(values_only=True))
        assert rows[0][0] == "Provider ID"
        assert len(rows) == 4
        workbook.close()

    def test_exports_refuse_non_regulators(self, api_as, provider):
        assert api_as(provider).get(URL, {"format": "csv"}).status_code == 403
