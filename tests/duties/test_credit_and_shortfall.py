from decimal import Decimal

import pytest

from duties import selectors, services
from duties.models import DutyEntry, EntryKind
from marketplace.core.errors import Conflict
from marketplace.models import ClaimStatus, TaskKind
from tests.duties.conftest import YEAR, make_case_claim
from tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db


def test_completing_a_case_claim_credits_one_case(case_claim, coordinator, midyear_now):
    entry = services.duty_credit_case(claim=case_claim, by=coordinator, now=midyear_now)

    assert entry.kind == EntryKind.CASE
    assert entry.cases == 1
    assert entry.hours == 0
    assert entry.volunteer_id == case_claim.volunteer_id
    assert entry.year == YEAR


def test_crediting_the_same_claim_twice_returns_the_first_entry(case_claim, coordinator, midyear_now):
    first = services.duty_credit_case(claim=case_claim, by=coordinator, now=midyear_now)
    second = services.duty_credit_case(claim=case_claim, by=coordinator, now=midyear_now)

    assert first.pk == second.pk
    assert DutyEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("claim_fields", "code"),
    [
        pytest.param({"status": ClaimStatus.ACCEPTED}, "claim_not_completed", id="not-completed"),
        pytest.param({"kind": TaskKind.CONSULTATION}, "not_a_case", id="consultation"),
    ],
)
def test_a_claim_that_is_not_a_completed_case_credits_nothing(
    legal_aid_center, provider_volunteer, coordinator, midyear_now, claim_fields, code
):
    claim = make_case_claim(legal_aid_center, provider_volunteer, **claim_fields)

    with pytest.raises(Conflict) as err:
        services.duty_credit_case(claim=claim, by=coordinator, now=midyear_now)

    assert err.value.code == code
    assert DutyEntry.objects.count() == 0


def test_case_entries_chain_to_each_other(legal_aid_center, provider_volunteer, coordinator, midyear_now):
    a = services.duty_credit_case(
        claim=make_case_claim(legal_aid_center, provider_volunteer), by=coordinator, now=midyear_now
    )
    b = services.duty_credit_case(
        claim=make_case_claim(legal_aid_center, provider_volunteer), by=coordinator, now=midyear_now
    )

    assert a.prev_hash == "0" * 64
    assert b.prev_hash == a.hash


def test_shortfall_is_the_hours_missing_and_zero_when_met(
    lawyer_rule, legal_aid_center, provider_volunteer, regions, coordinator, midyear_now
):
    met = VolunteerFactory(region=regions["zhonglou"])
    for _ in range(2):
        services.duty_credit_case(claim=make_case_claim(legal_aid_center, met), by=coordinator, now=midyear_now)
    student = VolunteerFactory(region=regions["zhonglou"], kind="law_student", licence_number="")

    shortfall = selectors.shortfall_by_volunteer(volunteer_ids=[provider_volunteer.pk, met.pk, student.pk], year=YEAR)

    assert shortfall == {provider_volunteer.pk: Decimal("50.00"), met.pk: Decimal("0.00"), student.pk: Decimal("0.00")}


def test_shortfall_takes_one_query_whatever_the_number_of_providers(lawyer_rule, regions, django_assert_num_queries):
    few = [VolunteerFactory(region=regions["tianning"]).pk for _ in range(2)]
    many = few + [VolunteerFactory(region=regions["tianning"]).pk for _ in range(20)]

    with django_assert_num_queries(1):
        selectors.shortfall_by_volunteer(volunteer_ids=few, year=YEAR)
    with django_assert_num_queries(1):
        result = selectors.shortfall_by_volunteer(volunteer_ids=many, year=YEAR)
    assert len(result) == 22


def test_progress_of_a_provider_without_entries_mid_year_is_behind(lawyer_rule, provider_volunteer, midyear_now):
    progress = selectors.progress_for(provider_volunteer, YEAR, midyear_now)

    assert progress.status == "behind"
    assert progress.rule == lawyer_rule
    assert progress.required_hours == Decimal("50.00")
    assert progress.required_cases == 2


def test_progress_with_one_case_mid_year_is_on_track(
    lawyer_rule, legal_aid_center, provider_volunteer, coordinator, midyear_now
):
    services.duty_credit_case(
        claim=make_case_claim(legal_aid_center, provider_volunteer), by=coordinator, now=midyear_now
    )

    assert selectors.progress_for(provider_volunteer, YEAR, midyear_now).status == "on_track"


def test_progress_without_a_rule_is_exempt(provider_volunteer, midyear_now):
    progress = selectors.progress_for(provider_volunteer, YEAR, midyear_now)

    assert progress.status == "exempt"
    assert progress.exempt_reason == "no_rule"
    assert progress.rule is None
