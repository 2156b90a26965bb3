"""The annual review is guarded: a year is reviewed after it ends, only where a rule applies,
decisions against the ledger and exemptions say why, and the bulk decision can be previewed."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from duties import services
from duties.models import AnnualReview
from marketplace.core.errors import Conflict
from tests.duties.conftest import duty_rule, make_log
from tests.factories import AidTaskFactory, ClaimFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
THIS_YEAR = timezone.localdate().year
LAST_YEAR = THIS_YEAR - 1
SCOPE = {"year": LAST_YEAR, "region": "320400"}
OPEN = "/api/v1/reviews/open/"
BULK = "/api/v1/reviews/decide-compliant/"


def rule(regions, *, year=LAST_YEAR, kind="lawyer", hours=40, cases=0, region="changzhou"):
    return duty_rule(regions, year, region, kind=kind, min_hours=Decimal(hours), min_cases=cases)


def credit_hours(center, coordinator, volunteer, hours, year=LAST_YEAR):
    """Confirmed hours in the ledger of ``year`` (one log on 1 June)."""
    claim = ClaimFactory(task=AidTaskFactory(organization=center), volunteer=volunteer, status="accepted")
    log = make_log(claim, on=date(year, 6, 1), hours=str(hours))
    services.hours_confirm(log=log, by=coordinator, now=datetime(year, 6, 2, 10, tzinfo=SHANGHAI))


def review_of(volunteer, year=LAST_YEAR):
    return AnnualReview.objects.get(volunteer=volunteer, year=year)


def snapshot():
    return list(AnnualReview.objects.order_by("pk").values())


@pytest.fixture
def lawyer_rules(regions):
    """Changzhou lawyers owe 40 hours, last year and this year."""
    return rule(regions), rule(regions, year=THIS_YEAR)


class TestOpeningAYearThatHasNotEnded:
    def test_the_current_year_without_early_is_409_year_not_ended_and_opens_nothing(
        self, api_as, regulator, provider_volunteer, lawyer_rules
    ):
        response = api_as(regulator).post(OPEN, {**SCOPE, "year": THIS_YEAR}, format="json")

        assert response.status_code == 409
        assert response.data["code"] == "year_not_ended"
        assert not AnnualReview.objects.exists()

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            pytest.param({"early": True}, "reason", id="early-without-a-reason"),
            pytest.param({"early": True, "reason": "   "}, "reason", id="early-with-a-blank-reason"),
            pytest.param({"early": "perhaps", "reason": "x"}, "early", id="early-not-a-boolean"),
            # A year that has not begun stays 400, even when early.
            pytest.param({"year": THIS_YEAR + 1, "early": True, "reason": "x"}, "year", id="year-not-begun"),
        ],
    )
    def test_a_bad_request_to_open_is_400_on_its_field_and_opens_nothing(
        self, api_as, regulator, provider_volunteer, lawyer_rules, body, field
    ):
        response = api_as(regulator).post(OPEN, {**SCOPE, "year": THIS_YEAR, **body}, format="json")

        assert response.status_code == 400
        assert field in response.data
        assert not AnnualReview.objects.exists()

    def test_opening_early_with_a_reason_records_both_and_shows_them(
        self, api_as, regulator, provider, provider_volunteer, lawyer_rules
    ):
        body = {**SCOPE, "year": THIS_YEAR, "early": True, "reason": "执业证注销前的提前考核"}

        response = api_as(regulator).post(OPEN, body, format="json")

        assert response.status_code == 200, response.data
        assert response.data["opened"] == 1
        assert response.data["opened_early"] is True
        review = review_of(provider_volunteer, THIS_YEAR)
        assert (review.opened_early, review.open_reason, review.opened_by) == (True, body["reason"], regulator)
        shown = api_as(provider).get(f"/api/v1/reviews/{review.pk}/").data
        assert shown["opened_early"] is True
        assert shown["open_reason"] == body["reason"]
        assert shown["opened_by"] == regulator.pk

    def test_the_year_ends_at_midnight_in_shanghai(self, regulator, provider_volunteer, regions):
        rule(regions, year=2026)
        changzhou = regions["changzhou"]
        before = datetime(2026, 12, 31, 23, 59, tzinfo=SHANGHAI)
        after = datetime(2027, 1, 1, 0, 0, tzinfo=SHANGHAI)

        with pytest.raises(Conflict) as refused:
            services.reviews_open(year=2026, region=changzhou, by=regulator, now=before)
        opened = services.reviews_open(year=2026, region=changzhou, by=regulator, now=after)

        assert refused.value.code == "year_not_ended"
        assert opened["opened"] == 1
        assert review_of(provider_volunteer, 2026).opened_early is False

    def test_a_finished_year_opens_normally_and_is_not_marked_early(
        self, api_as, regulator, provider_volunteer, lawyer_rules
    ):
        response = api_as(regulator).post(OPEN, SCOPE, format="json")

        assert response.status_code == 200, response.data
        assert response.data["opened_early"] is False
        review = review_of(provider_volunteer)
        assert (review.opened_early, review.open_reason) == (False, "")

    def test_wrong_role_403_outside_the_jurisdiction_400(
        self, api_as, regulator, coordinator, provider_volunteer, lawyer_rules
    ):
        body = {**SCOPE, "year": THIS_YEAR, "early": True, "reason": "x"}

        assert api_as(coordinator).post(OPEN, body, format="json").status_code == 403
        outside = api_as(regulator).post(OPEN, {**body, "region": "320500"}, format="json")
        assert outside.status_code == 400 and "region" in outside.data
        assert not AnnualReview.objects.exists()


class TestReviewsOpenOnlyWhereARuleApplies:
    def test_providers_no_rule_applies_to_get_no_review(self, api_as, regulator, regions, provider_volunteer):
        rule(regions)
        student = VolunteerFactory(region=regions["zhonglou"], kind="law_student")
        notary = VolunteerFactory(region=regions["tianning"], kind="notary")

        response = api_as(regulator).post(OPEN, SCOPE, format="json")

        assert response.status_code == 200, response.data
        # The student is nobody's to assess (ASSESSED_BY): not counted; the notary has no rule.
        assert (response.data["opened"], response.data["without_rule"]) == (1, 1)
        assert review_of(provider_volunteer).rule.min_hours == 40
        assert not AnnualReview.objects.filter(volunteer__in=[student, notary]).exists()

    def test_a_year_without_any_rule_is_409_no_rule_and_opens_nothing(
        self, api_as, regulator, regions, provider_volunteer
    ):
        rule(regions)  # last year has a rule; the year before has none

        response = api_as(regulator).post(OPEN, {**SCOPE, "year": LAST_YEAR - 1}, format="json")

        assert response.status_code == 409
        assert response.data["code"] == "no_rule"
        assert not AnnualReview.objects.exists()

    def test_a_rule_of_another_city_only_is_no_rule_here(self, api_as, regulator, regions, provider_volunteer):
        rule(regions, region="suzhou")

        response = api_as(regulator).post(OPEN, SCOPE, format="json")

        assert response.status_code == 409
        assert response.data["code"] == "no_rule"
        assert not AnnualReview.objects.exists()

    def test_a_district_rule_opens_its_district_only(self, api_as, regulator, regions, provider_volunteer):
        rule(regions, region="tianning")
        VolunteerFactory(region=regions["zhonglou"])

        response = api_as(regulator).post(OPEN, SCOPE, format="json")

        assert (response.data["opened"], response.data["without_rule"]) == (1, 1)
        assert AnnualReview.objects.get().volunteer == provider_volunteer


@pytest.fixture
def reviewed(regions, legal_aid_center, coordinator, regulator, provider_volunteer):
    """Last year's reviews: the provider worked 22 of 40 hours, a Zhonglou lawyer 46."""
    rule(regions)
    diligent = VolunteerFactory(region=regions["zhonglou"], user__first_name="赵勤勉")
    credit_hours(legal_aid_center, coordinator, provider_volunteer, 22)
    credit_hours(legal_aid_center, coordinator, diligent, 46)
    services.reviews_open(year=LAST_YEAR, region=regions["changzhou"], by=regulator)
    return {"behind": review_of(provider_volunteer), "met": review_of(diligent), "diligent": diligent}


def decide(api_as, user, review, **body):
    return api_as(user).post(f"/api/v1/reviews/{review.pk}/decide/", body, format="json")


class TestDecisionsSayWhy:
    def test_every_exemption_needs_a_note(self, api_as, regulator, reviewed):
        for review in (reviewed["behind"], reviewed["met"]):
            response = decide(api_as, regulator, review, decision="exempt", note=" ")

            assert response.status_code == 400
            assert "note" in response.data
        assert not AnnualReview.objects.exclude(status="open").exists()

    def test_deficient_when_the_ledger_meets_the_rule_needs_a_note(self, api_as, regulator, reviewed):
        response = decide(api_as, regulator, reviewed["met"], decision="deficient")

        assert response.status_code == 400
        assert response.data["code"] == "against_ledger"
        assert "note" in response.data
        assert review_of(reviewed["diligent"]).status == "open"

    def test_compliant_when_the_ledger_does_not_meet_the_rule_needs_a_note(self, api_as, regulator, reviewed):
        before = snapshot()

        response = decide(api_as, regulator, reviewed["behind"], decision="compliant")

        assert response.status_code == 400
        assert response.data["code"] == "against_ledger"
        assert "note" in response.data
        assert snapshot() == before

    def test_with_a_note_a_decision_against_the_ledger_is_recorded(self, api_as, regulator, reviewed):
        note = "因公派援疆，经局务会研究视为达标"

        response = decide(api_as, regulator, reviewed["behind"], decision="compliant", note=note)

        assert response.status_code == 200, response.data
        assert (response.data["status"], response.data["note"]) == ("compliant", note)

    def test_a_decision_the_ledger_supports_needs_no_note(self, api_as, regulator, reviewed):
        response = decide(api_as, regulator, reviewed["met"], decision="compliant")

        assert response.status_code == 200, response.data
        assert response.data["hours"] == "46.00"

    def test_another_regions_regulator_gets_404_and_a_decided_review_409(
        self, api_as, regulator, other_regulator, reviewed
    ):
        assert decide(api_as, other_regulator, reviewed["met"], decision="compliant").status_code == 404
        decide(api_as, regulator, reviewed["met"], decision="compliant")

        again = decide(api_as, regulator, reviewed["met"], decision="exempt", note="x")

        assert again.status_code == 409
        assert again.data["code"] == "already_decided"


class TestBulkDecisionPreview:
    def test_a_dry_run_lists_what_would_be_decided_and_changes_nothing(self, api_as, regulator, reviewed):
        before = snapshot()

        response = api_as(regulator).post(BULK, {**SCOPE, "dry_run": True}, format="json")

        assert response.status_code == 200, response.data
        assert response.data["dry_run"] is True
        assert response.data["count"] == 1
        assert response.data["decided"] == 0
        assert response.data["reviews"] == [reviewed["met"].pk]
        assert len(response.data["preview"]) == 64
        (row,) = response.data["results"]
        assert row["volunteer"] == reviewed["diligent"].pk
        assert row["hours"] == "46.00"
        assert row["required_hours"] == "40.00"
        assert snapshot() == before

    def test_without_dry_run_the_same_list_is_decided(self, api_as, regulator, reviewed):
        response = api_as(regulator).post(BULK, SCOPE, format="json")

        assert response.status_code == 200, response.data
        assert (response.data["dry_run"], response.data["count"], response.data["decided"]) == (False, 1, 1)
        assert response.data["reviews"] == [reviewed["met"].pk]
        assert review_of(reviewed["diligent"]).status == "compliant"
        assert review_of(reviewed["behind"].volunteer).status == "open"

    def test_deciding_with_the_preview_decides_exactly_what_was_previewed(self, api_as, regulator, reviewed):
        preview = api_as(regulator).post(BULK, {**SCOPE, "dry_run": True}, format="json").data

        response = api_as(regulator).post(BULK, {**SCOPE, "preview": preview["preview"]}, format="json")

        assert response.status_code == 200, response.data
        assert response.data["reviews"] == preview["reviews"]
        assert response.data["preview"] == preview["preview"]

    def test_a_preview_that_no_longer_holds_is_409_and_nothing_is_decided(
        self, api_as, regulator, reviewed, legal_aid_center, coordinator, provider_volunteer
    ):
        preview = api_as(regulator).post(BULK, {**SCOPE, "dry_run": True}, format="json").data
        credit_hours(legal_aid_center, coordinator, provider_volunteer, 20)  # now 42 of 40: one more meets it
        before = snapshot()

        response = api_as(regulator).post(BULK, {**SCOPE, "preview": preview["preview"]}, format="json")

        assert response.status_code == 409
        assert response.data["code"] == "preview_outdated"
        assert snapshot() == before

    @pytest.mark.parametrize(("field", "value"), [("dry_run", "maybe"), ("preview", "zz"), ("preview", ["a" * 64])])
    def test_bad_input_is_400_naming_the_field(self, api_as, regulator, reviewed, field, value):
        before = snapshot()

        response = api_as(regulator).post(BULK, {**SCOPE, field: value}, format="json")

        assert response.status_code == 400
        assert field in response.data
        assert snapshot() == before

    def test_wrong_role_403_and_outside_the_jurisdiction_400(self, api_as, provider, regulator, reviewed):
        before = snapshot()

        assert api_as(provider).post(BULK, {**SCOPE, "dry_run": True}, format="json").status_code == 403
        outside = api_as(regulator).post(BULK, {**SCOPE, "region": "320500", "dry_run": True}, format="json")

        assert outside.status_code == 400 and "region" in outside.data
        assert snapshot() == before
