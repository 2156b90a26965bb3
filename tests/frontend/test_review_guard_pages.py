"""The regulator's pages guard the annual review as the API does: an early review says so and
why, decisions against the ledger need a note, the bulk decision is previewed first; quota rules
are corrected or deleted until a review used them."""

from datetime import date, datetime
from decimal import Decimal
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from duties import services
from duties.models import AnnualReview, DutyRule, ReviewStatus
from tests.duties.conftest import make_log
from tests.factories import AidTaskFactory, ClaimFactory, DutyRuleFactory, VolunteerFactory
from tests.frontend.conftest import rule_form

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
THIS_YEAR = timezone.localdate().year
LAST_YEAR = THIS_YEAR - 1
REVIEWS = "/regulator/reviews/"


def scope(year=LAST_YEAR):
    return {"year": year, "region": "320400"}


def reviews_now():
    return list(AnnualReview.objects.order_by("pk").values())


def rules_now():
    return list(DutyRule.objects.order_by("pk").values())


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("input", "textarea"):
            self.inputs.append(dict(attrs))


def inputs_named(body: str, name: str) -> list[dict]:
    parser = _Inputs()
    parser.feed(body)
    return [i for i in parser.inputs if i.get("name") == name]


@pytest.fixture
def rules(regions):
    """Changzhou lawyers owe 40 hours, last year and this year."""
    return [
        DutyRuleFactory(
            year=y, region=regions["changzhou"], volunteer_kind="lawyer", min_hours=Decimal(40), min_cases=0
        )
        for y in (LAST_YEAR, THIS_YEAR)
    ]


class TestOpening:
    def test_the_current_year_asks_for_the_early_flag_and_a_reason_a_finished_one_does_not(
        self, client_as, regulator, rules
    ):
        client = client_as(regulator)
        current = client.get(REVIEWS, scope(THIS_YEAR)).content.decode()
        finished = client.get(REVIEWS, scope()).content.decode()

        assert inputs_named(current, "early") and inputs_named(current, "reason")
        assert not inputs_named(finished, "early") and not inputs_named(finished, "reason")

    def test_the_current_year_without_early_opens_nothing_and_says_why(
        self, client_as, regulator, rules, provider_volunteer
    ):
        response = client_as(regulator).post(reverse("regulator-reviews-open"), scope(THIS_YEAR), follow=True)

        assert response.status_code == 200
        assert "has not ended" in response.content.decode()
        assert not AnnualReview.objects.exists()

    def test_early_without_a_reason_opens_nothing(self, client_as, regulator, rules, provider_volunteer):
        response = client_as(regulator).post(
            reverse("regulator-reviews-open"), {**scope(THIS_YEAR), "early": "on", "reason": " "}, follow=True
        )

        assert "Give the reason" in response.content.decode()
        assert not AnnualReview.objects.exists()

    def test_opening_early_records_the_reason_and_the_page_shows_it(
        self, client_as, regulator, rules, provider_volunteer
    ):
        client = client_as(regulator)
        reason = "律师转所，提前完成本年度考核"

        client.post(reverse("regulator-reviews-open"), {**scope(THIS_YEAR), "early": "on", "reason": reason})

        review = AnnualReview.objects.get()
        assert (review.opened_early, review.open_reason, review.opened_by) == (True, reason, regulator)
        assert reason in client.get(REVIEWS, scope(THIS_YEAR)).content.decode()

    def test_a_year_without_a_rule_opens_nothing_and_says_so(self, client_as, regulator, provider_volunteer):
        response = client_as(regulator).post(reverse("regulator-reviews-open"), scope(), follow=True)

        assert "No quota rule" in response.content.decode()
        assert not AnnualReview.objects.exists()


@pytest.fixture
def reviewed(regions, legal_aid_center, coordinator, regulator, provider_volunteer, rules):
    """Last year: the provider worked 22 of 40 hours (behind), a Zhonglou lawyer 46 (met)."""
    diligent = VolunteerFactory(region=regions["zhonglou"], user__first_name="赵勤勉")
    for volunteer, hours in ((provider_volunteer, 22), (diligent, 46)):
        claim = ClaimFactory(task=AidTaskFactory(organization=legal_aid_center), volunteer=volunteer)
        log = make_log(claim, on=date(LAST_YEAR, 6, 1), hours=str(hours))
        services.hours_confirm(log=log, by=coordinator, now=datetime(LAST_YEAR, 6, 2, 10, tzinfo=SHANGHAI))
    services.reviews_open(year=LAST_YEAR, region=regions["changzhou"], by=regulator)
    return {
        "behind": AnnualReview.objects.get(volunteer=provider_volunteer),
        "met": AnnualReview.objects.get(volunteer=diligent),
    }


class TestDeciding:
    def test_the_note_is_marked_required_where_every_decision_needs_one(self, client_as, regulator, reviewed):
        body = client_as(regulator).get(REVIEWS, scope()).content.decode()
        notes = {i["id"]: i for i in inputs_named(body, "note")}

        assert "required" in notes[f"n-{reviewed['behind'].pk}"]
        assert "required" not in notes[f"n-{reviewed['met'].pk}"]

    def test_compliant_against_the_ledger_without_a_note_is_refused(self, client_as, regulator, reviewed):
        before = reviews_now()

        response = client_as(regulator).post(
            reverse("regulator-review-decide", args=[reviewed["behind"].pk]),
            {"decision": "compliant", "note": ""},
            follow=True,
        )

        assert "does not meet the rule" in response.content.decode()
        assert reviews_now() == before

    def test_an_exemption_without_a_note_is_refused(self, client_as, regulator, reviewed):
        before = reviews_now()

        client_as(regulator).post(
            reverse("regulator-review-decide", args=[reviewed["met"].pk]), {"decision": "exempt", "note": ""}
        )

        assert reviews_now() == before


class TestBulkPreview:
    def test_the_reviews_page_leads_to_a_preview_not_to_a_decision(self, client_as, regulator, reviewed):
        body = client_as(regulator).get(REVIEWS, scope()).content.decode()

        assert f'<form method="get" action="{reverse("regulator-reviews-bulk")}"' in body

    def test_the_preview_lists_who_would_be_decided_and_changes_nothing(self, client_as, regulator, reviewed):
        before = reviews_now()

        response = client_as(regulator).get(reverse("regulator-reviews-bulk"), scope())

        assert response.status_code == 200
        body = response.content.decode()
        assert f'data-review-id="{reviewed["met"].pk}"' in body
        assert f'data-review-id="{reviewed["behind"].pk}"' not in body
        assert "赵勤勉" in body and "46.00 / 40.00" in body
        assert (
            inputs_named(body, "preview")[0]["value"]
            == services.reviews_decide_compliant(
                by=regulator, dry_run=True, **{"year": LAST_YEAR, "region": reviewed["met"].region.parent}
            ).preview
        )
        assert reviews_now() == before

    def test_confirming_the_preview_decides_it(self, client_as, regulator, reviewed):
        client = client_as(regulator)
        body = client.get(reverse("regulator-reviews-bulk"), scope()).content.decode()
        preview = inputs_named(body, "preview")[0]["value"]

        response = client.post(reverse("regulator-reviews-bulk"), {**scope(), "preview": preview}, follow=True)

        assert "1 review decided compliant." in response.content.decode()
        reviewed["met"].refresh_from_db()
        assert reviewed["met"].status == ReviewStatus.COMPLIANT

    def test_an_outdated_preview_decides_nothing_and_says_so(
        self, client_as, regulator, reviewed, legal_aid_center, coordinator, provider_volunteer
    ):
        client = client_as(regulator)
        body = client.get(reverse("regulator-reviews-bulk"), scope()).content.decode()
        preview = inputs_named(body, "preview")[0]["value"]
        claim = ClaimFactory(task=AidTaskFactory(organization=legal_aid_center), volunteer=provider_volunteer)
        services.hours_confirm(log=make_log(claim, on=date(LAST_YEAR, 7, 1), hours="20"), by=coordinator)
        before = reviews_now()

        response = client.post(reverse("regulator-reviews-bulk"), {**scope(), "preview": preview}, follow=True)

        assert "changed since the preview" in response.content.decode()
        assert reviews_now() == before

    def test_the_preview_is_for_regulators_only(self, client_as, coordinator, reviewed):
        assert client_as(coordinator).get(reverse("regulator-reviews-bulk"), scope()).status_code == 403


class TestRulePages:
    def test_each_unused_rule_offers_correct_and_delete_a_used_one_neither(
        self, client_as, regulator, rules, provider_volunteer, regions
    ):
        services.reviews_open(year=LAST_YEAR, region=regions["changzhou"], by=regulator)
        used, unused = rules

        body = client_as(regulator).get("/regulator/rules/").content.decode()

        assert reverse("regulator-rule-edit", args=[unused.pk]) in body
        assert reverse("regulator-rule-delete", args=[unused.pk]) in body
        assert reverse("regulator-rule-edit", args=[used.pk]) not in body
        assert reverse("regulator-rule-delete", args=[used.pk]) not in body

    def test_a_rule_is_corrected_on_its_page(self, client_as, regulator, rules):
        rule = rules[1]
        url = reverse("regulator-rule-edit", args=[rule.pk])
        client = client_as(regulator)
        assert client.get(url).status_code == 200

        response = client.post(url, rule_form(rule.year))

        assert response.status_code == 302
        rule.refresh_from_db()
        assert (rule.min_hours, rule.min_cases) == (Decimal(50), 2)

    def test_a_rule_of_nothing_is_refused_on_both_forms(self, client_as, regulator, rules):
        client = client_as(regulator)
        before = rules_now()
        nothing = rule_form(THIS_YEAR, volunteer_kind="notary", min_hours="0", min_cases="0")

        created = client.post("/regulator/rules/", nothing)
        corrected = client.post(reverse("regulator-rule-edit", args=[rules[1].pk]), nothing)

        assert created.status_code == corrected.status_code == 400
        assert "requires some hours or some cases" in created.content.decode()
        assert rules_now() == before

    def test_a_used_rule_refuses_a_correction_with_409(self, client_as, regulator, rules, provider_volunteer, regions):
        services.reviews_open(year=LAST_YEAR, region=regions["changzhou"], by=regulator)
        before = rules_now()
        body = rule_form(LAST_YEAR, min_hours="10", min_cases="0")

        response = client_as(regulator).post(reverse("regulator-rule-edit", args=[rules[0].pk]), body)

        assert response.status_code == 409
        assert rules_now() == before

    def test_a_rule_is_deleted_and_a_used_one_is_not(self, client_as, regulator, rules, provider_volunteer, regions):
        services.reviews_open(year=LAST_YEAR, region=regions["changzhou"], by=regulator)
        client = client_as(regulator)

        client.post(reverse("regulator-rule-delete", args=[rules[1].pk]))
        refused = client.post(reverse("regulator-rule-delete", args=[rules[0].pk]), follow=True)

        assert list(DutyRule.objects.values_list("pk", flat=True)) == [rules[0].pk]
        assert "can no longer change" in refused.content.decode()

    def test_another_regions_regulator_gets_404_and_others_403(
        self, client_as, rules, other_regulator, coordinator, provider
    ):
        edit, delete = (
            reverse("regulator-rule-edit", args=[rules[1].pk]),
            reverse("regulator-rule-delete", args=[rules[1].pk]),
        )
        before = rules_now()

        assert client_as(other_regulator).get(edit).status_code == 404
        assert client_as(other_regulator).post(delete).status_code == 404
        for user in (coordinator, provider):
            assert client_as(user).get(edit).status_code == 403
            assert client_as(user).post(delete).status_code == 403
        assert client_as(None).post(delete).status_code == 302
        assert rules_now() == before
