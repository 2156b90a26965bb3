"""Quota rules are corrected or deleted by a regulator of their region until a review used them;
a rule that requires nothing is refused."""

from decimal import Decimal

import pytest

from duties import services
from duties.models import AnnualReview, DutyRule
from tests.duties.conftest import YEAR, duty_rule

pytestmark = pytest.mark.django_db

RULE = {"year": YEAR, "region": "320400", "volunteer_kind": "lawyer", "min_hours": "50.00", "min_cases": 2}


def url(rule):
    return f"/api/v1/duty-rules/{rule.pk}/"


def rules_now():
    return list(DutyRule.objects.order_by("pk").values())


@pytest.fixture
def suzhou_rule(regions):
    return duty_rule(regions, YEAR, "suzhou", min_hours=50, min_cases=0)


class TestNothingRequiredIsRefused:
    def test_creating_a_rule_of_0_hours_and_0_cases_is_400(self, api_as, regulator):
        response = api_as(regulator).post(
            "/api/v1/duty-rules/", {**RULE, "min_hours": "0", "min_cases": 0}, format="json"
        )

        assert response.status_code == 400
        assert response.data["code"] == "nothing_required"
        assert not DutyRule.objects.exists()

    def test_correcting_a_rule_to_0_hours_and_0_cases_is_400(self, api_as, regulator, lawyer_rule):
        before = rules_now()

        response = api_as(regulator).patch(url(lawyer_rule), {"min_hours": "0", "min_cases": 0}, format="json")

        assert response.status_code == 400
        assert response.data["code"] == "nothing_required"
        assert rules_now() == before

    def test_zero_in_one_of_the_two_is_fine(self, api_as, regulator):
        response = api_as(regulator).post("/api/v1/duty-rules/", {**RULE, "min_hours": "0"}, format="json")

        assert response.status_code == 201, response.data


class TestCorrect:
    def test_a_regulator_of_the_region_corrects_a_rule(self, api_as, regulator, lawyer_rule):
        response = api_as(regulator).patch(url(lawyer_rule), {"min_hours": "40", "satisfied_by": "all"}, format="json")

        assert response.status_code == 200, response.data
        assert (response.data["min_hours"], response.data["satisfied_by"]) == ("40.00", "all")
        lawyer_rule.refresh_from_db()
        assert (lawyer_rule.min_hours, lawyer_rule.min_cases) == (Decimal(40), 2)

    def test_the_scope_may_be_corrected_too(self, api_as, regulator, lawyer_rule):
        response = api_as(regulator).patch(
            url(lawyer_rule), {"region": "320402", "year": YEAR - 1, "volunteer_kind": "notary"}, format="json"
        )

        assert response.status_code == 200, response.data
        lawyer_rule.refresh_from_db()
        assert (lawyer_rule.region_id, lawyer_rule.year, lawyer_rule.volunteer_kind) == ("320402", YEAR - 1, "notary")

    def test_a_correction_onto_another_rules_scope_is_409_rule_exists(self, api_as, regulator, lawyer_rule, regions):
        duty_rule(regions, YEAR, "tianning", min_hours=30, min_cases=0)
        before = rules_now()

        response = api_as(regulator).patch(url(lawyer_rule), {"region": "320402"}, format="json")

        assert response.status_code == 409
        assert response.data["code"] == "rule_exists"
        assert rules_now() == before

    @pytest.mark.parametrize(
        ("field", "value"),
        [("min_hours", "-1"), ("min_cases", "x"), ("volunteer_kind", "judge"), ("year", 1900), ("region", "999999")],
    )
    def test_bad_input_is_400_naming_the_field(self, api_as, regulator, lawyer_rule, field, value):
        before = rules_now()

        response = api_as(regulator).patch(url(lawyer_rule), {field: value}, format="json")

        assert response.status_code == 400
        assert field in response.data
        assert rules_now() == before

    def test_moving_a_rule_outside_the_jurisdiction_is_400_naming_region(self, api_as, regulator, lawyer_rule):
        before = rules_now()

        response = api_as(regulator).patch(url(lawyer_rule), {"region": "320500"}, format="json")

        assert response.status_code == 400
        assert response.data["code"] == "outside_jurisdiction"
        assert rules_now() == before

    def test_put_is_405(self, api_as, regulator, lawyer_rule):
        assert api_as(regulator).put(url(lawyer_rule), RULE, format="json").status_code == 405


class TestDelete:
    def test_a_regulator_of_the_region_deletes_an_unused_rule(self, api_as, regulator, lawyer_rule):
        response = api_as(regulator).delete(url(lawyer_rule))

        assert response.status_code == 204
        assert not DutyRule.objects.exists()


class TestWhoMay:
    @pytest.mark.parametrize("method", ["patch", "delete"])
    def test_wrong_role_403_anonymous_401(self, api, api_as, coordinator, provider, lawyer_rule, method):
        before = rules_now()

        assert getattr(api, method)(url(lawyer_rule), {"min_hours": "1"}, format="json").status_code == 401
        for user in (coordinator, provider):
            response = getattr(api_as(user), method)(url(lawyer_rule), {"min_hours": "1"}, format="json")
            assert response.status_code == 403
        assert rules_now() == before

    @pytest.mark.parametrize("method", ["patch", "delete"])
    def test_a_regulator_of_another_region_gets_404(self, api_as, regulator, other_regulator, lawyer_rule, method):
        before = rules_now()

        response = getattr(api_as(other_regulator), method)(url(lawyer_rule), {"min_hours": "1"}, format="json")

        assert response.status_code == 404
        assert rules_now() == before

    def test_a_rule_of_the_parent_region_is_out_of_reach_too(self, api_as, regulator, regions):
        province = duty_rule(regions, YEAR, "province", min_cases=2, min_hours=0)

        assert api_as(regulator).delete(url(province)).status_code == 404
        assert DutyRule.objects.filter(pk=province.pk).exists()

    def test_a_missing_rule_is_404(self, api_as, regulator):
        assert api_as(regulator).delete("/api/v1/duty-rules/999999/").status_code == 404


@pytest.fixture
def used_rule(regions, regulator, provider_volunteer):
    """Last year's rule, with the year's reviews open (the rule is what opened them)."""
    rule = duty_rule(regions, YEAR - 1, min_hours=40, min_cases=0)
    services.reviews_open(year=YEAR - 1, region=regions["changzhou"], by=regulator)
    return rule


class TestInUse:
    def test_a_rule_an_open_review_recorded_cannot_be_corrected_or_deleted(self, api_as, regulator, used_rule):
        before = rules_now()

        patch = api_as(regulator).patch(url(used_rule), {"min_hours": "30"}, format="json")
        delete = api_as(regulator).delete(url(used_rule))

        assert patch.status_code == delete.status_code == 409
        assert patch.data["code"] == delete.data["code"] == "rule_in_use"
        assert rules_now() == before

    def test_a_rule_a_decided_review_recorded_cannot_be_corrected(self, api_as, regulator, used_rule):
        review = AnnualReview.objects.get()
        services.review_decide(review=review, decision="deficient", note="未履行", by=regulator)

        response = api_as(regulator).patch(url(used_rule), {"min_hours": "30"}, format="json")

        assert response.status_code == 409
        assert response.data["code"] == "rule_in_use"
        assert AnnualReview.objects.get().rule == used_rule

    def test_the_rules_list_says_whether_a_rule_is_in_use(self, api, used_rule, lawyer_rule):
        rows = {r["id"]: r for r in api.get("/api/v1/duty-rules/").data["results"]}

        assert rows[used_rule.pk]["in_use"] is True
        assert rows[lawyer_rule.pk]["in_use"] is False


def test_another_citys_rule_is_unaffected(api_as, regulator, suzhou_rule):
    assert api_as(regulator).patch(url(suzhou_rule), {"min_hours": "1"}, format="json").status_code == 404
    suzhou_rule.refresh_from_db()
    assert suzhou_rule.min_hours == 50
