from datetime import date
from decimal import Decimal

import pytest

from duties import services
from duties.models import DutyRule
from tests.duties.conftest import YEAR, duty_rule, fresh_client, make_case_claim
from tests.factories import RegionFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

RULE = {"year": YEAR, "region": "320400", "volunteer_kind": "lawyer", "min_hours": "50.00", "min_cases": 2}


class TestDutyRules:
    def test_a_regulator_sets_a_rule_for_its_region(self, api_as, regulator):
        response = api_as(regulator).post("/api/v1/duty-rules/", RULE, format="json")

        assert response.status_code == 201, response.data
        assert response.data["min_hours"] == "50.00"
        assert response.data["satisfied_by"] == "any"
        assert response.data["region"] == "320400"
        assert DutyRule.objects.get().created_by == regulator

    def test_anyone_reads_rules(self, api, lawyer_rule):
        response = api.get("/api/v1/duty-rules/")

        assert response.status_code == 200
        assert response.data["results"][0]["id"] == lawyer_rule.pk
        assert api.get(f"/api/v1/duty-rules/{lawyer_rule.pk}/").data["min_cases"] == 2

    def test_rules_filter_by_year_region_and_kind(self, api, lawyer_rule):
        assert api.get("/api/v1/duty-rules/", {"year": YEAR}).data["count"] == 1
        assert api.get("/api/v1/duty-rules/", {"year": YEAR + 1}).data["count"] == 0
        assert api.get("/api/v1/duty-rules/", {"region": "320402"}).data["count"] == 0
        assert api.get("/api/v1/duty-rules/", {"volunteer_kind": "notary"}).data["count"] == 0
        assert api.get("/api/v1/duty-rules/", {"volunteer_kind": "bogus"}).status_code == 400

    def test_a_region_outside_the_jurisdiction_is_400_naming_region(self, api_as, regulator):
        response = api_as(regulator).post("/api/v1/duty-rules/", {**RULE, "region": "320500"}, format="json")

        assert response.status_code == 400
        assert response.data["code"] == "outside_jurisdiction"
        assert "320500" in response.data["region"][0]
        assert not DutyRule.objects.exists()

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("min_hours", "-1"),
            ("min_hours", "1.234"),
            ("min_cases", -1),
            ("volunteer_kind", "judge"),
            ("satisfied_by", "some"),
            ("region", "999999"),
            ("year", 1900),
        ],
    )
    def test_bad_input_is_400_naming_the_field(self, api_as, regulator, field, value):
        response = api_as(regulator).post("/api/v1/duty-rules/", {**RULE, field: value}, format="json")

        assert response.status_code == 400
        assert field in response.data
        assert not DutyRule.objects.exists()

    def test_a_second_rule_for_the_same_scope_is_409(self, api_as, regulator, lawyer_rule):
        response = api_as(regulator).post("/api/v1/duty-rules/", RULE, format="json")

        assert response.status_code == 409
        assert response.data["code"] == "rule_exists"
        assert DutyRule.objects.count() == 1

    def test_non_regulators_are_403_and_anonymous_401(self, api, api_as, coordinator, provider):
        assert api.post("/api/v1/duty-rules/", RULE, format="json").status_code == 401
        for user in (coordinator, provider):
            assert api_as(user).post("/api/v1/duty-rules/", RULE, format="json").status_code == 403
        assert not DutyRule.objects.exists()

    def test_put_is_405(self, api_as, regulator, lawyer_rule):
        # Corrections are PATCH and DELETE (tests/duties/test_rule_edits.py); a whole PUT is not offered.
        assert api_as(regulator).put(f"/api/v1/duty-rules/{lawyer_rule.pk}/", RULE, format="json").status_code == 405

    def test_the_query_count_does_not_depend_on_the_page_size(self, api_as, regulator, regions, page_queries):
        for i in range(12):
            duty_rule(regions, 2000 + i, min_hours=0, min_cases=0)

        ten, hundred = page_queries(fresh_client(api_as, regulator), "/api/v1/duty-rules/")

        assert ten == hundred


class TestRuleLookup:
    def test_the_most_specific_region_wins(self, lawyer_rule, regions, provider_volunteer, midyear_now):
        district = duty_rule(regions, YEAR, "tianning", min_hours=30, min_cases=1)
        province = duty_rule(regions, YEAR, "province", min_hours=80, min_cases=3)
        zhonglou_lawyer = VolunteerFactory(region=regions["zhonglou"])
        street = RegionFactory(code="320402001", name="某街道", parent=regions["tianning"])
        street_lawyer = VolunteerFactory(region=street)

        from duties.selectors import progress_for, rule_for

        assert rule_for(provider_volunteer, YEAR) == district
        assert rule_for(zhonglou_lawyer, YEAR) == lawyer_rule
        assert rule_for(street_lawyer, YEAR) == district
        assert progress_for(street_lawyer, YEAR, midyear_now).rule == district
        assert progress_for(zhonglou_lawyer, YEAR, midyear_now).rule == lawyer_rule
        assert province  # covers the rest of the province

    def test_a_rule_for_another_kind_does_not_apply(self, lawyer_rule, regions, midyear_now):
        from duties.selectors import progress_for

        notary = VolunteerFactory(region=regions["tianning"], kind="notary")

        assert progress_for(notary, YEAR, midyear_now).status == "exempt"


def progress_url(volunteer, year=YEAR):
    return f"/api/v1/volunteers/{volunteer.pk}/progress/?year={year}"


class TestProgressApi:
    def test_the_provider_reads_own_progress(
        self, api_as, provider, provider_volunteer, lawyer_rule, claim, coordinator
    ):
        from tests.duties.conftest import make_log

        services.hours_confirm(log=make_log(claim, hours="20.00"), by=coordinator)

        response = api_as(provider).get(progress_url(provider_volunteer))

        assert response.status_code == 200, response.data
        body = response.data
        assert body["year"] == YEAR
        assert body["hours"] == "20.00"
        assert body["cases"] == 0
        assert body["required_hours"] == "50.00"
        assert body["required_cases"] == 2
        assert body["rule"]["id"] == lawyer_rule.pk
        assert body["status"] in ("on_track", "behind")

    def test_a_past_year_that_met_the_rule_is_met(
        self, api_as, provider, provider_volunteer, lawyer_rule, legal_aid_center, coordinator, midyear_now
    ):
        for _ in range(2):
            services.duty_credit_case(
                claim=make_case_claim(legal_aid_center, provider_volunteer), by=coordinator, now=midyear_now
            )

        assert api_as(provider).get(progress_url(provider_volunteer)).data["status"] == "met"

    def test_a_past_year_short_of_the_rule_is_behind(self, api_as, provider, provider_volunteer, regions):
        duty_rule(regions, 2025, min_hours=50, min_cases=0)

        assert api_as(provider).get(progress_url(provider_volunteer, 2025)).data["status"] == "behind"

    def test_a_lawyer_licensed_during_the_year_is_exempt(self, api_as, provider, provider_volunteer, lawyer_rule):
        provider_volunteer.licensed_on = date(YEAR, 5, 1)
        provider_volunteer.save()

        body = api_as(provider).get(progress_url(provider_volunteer)).data

        assert body["status"] == "exempt"
        assert body["exempt_reason"] == "licensed_in_year"

    def test_an_all_rule_needs_hours_and_cases(
        self, api_as, provider, provider_volunteer, regions, legal_aid_center, coordinator, midyear_now
    ):
        duty_rule(regions, YEAR, min_hours=10, min_cases=1, satisfied_by="all")
        services.duty_credit_case(
            claim=make_case_claim(legal_aid_center, provider_volunteer), by=coordinator, now=midyear_now
        )

        from duties.selectors import progress_for

        assert progress_for(provider_volunteer, YEAR, midyear_now).status != "met"

    def test_a_regulator_of_the_region_reads_it_and_others_get_404(
        self, api_as, regulator, other_regulator, coordinator, stranger, provider_volunteer, lawyer_rule
    ):
        assert api_as(regulator).get(progress_url(provider_volunteer)).status_code == 200
        for user in (other_regulator, coordinator, stranger):
            assert api_as(user).get(progress_url(provider_volunteer)).status_code == 404

    def test_anonymous_is_401(self, api, provider_volunteer):
        assert api.get(progress_url(provider_volunteer)).status_code == 401

    def test_a_bad_year_is_400_naming_year(self, api_as, provider, provider_volunteer):
        response = api_as(provider).get(f"/api/v1/volunteers/{provider_volunteer.pk}/progress/?year=abc")

        assert response.status_code == 400
        assert "year" in response.data

    def test_post_is_405(self, api_as, provider, provider_volunteer):
        assert api_as(provider).post(progress_url(provider_volunteer)).status_code == 405

    def test_without_a_year_it_is_the_current_one(self, api_as, provider, provider_volunteer):
        from django.utils import timezone

        response = api_as(provider).get(f"/api/v1/volunteers/{provider_volunteer.pk}/progress/")

        assert response.data["year"] == timezone.localdate().year
        assert Decimal(response.data["share_of_year"]) > 0
