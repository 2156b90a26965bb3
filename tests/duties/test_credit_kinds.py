"""What counts (Art. 22, DOMAIN "What counts as legal aid duty"): every ledger credit records its
credit kind, derived from the task's kind in one place; a rule counts the forms of legal aid
unless it says otherwise, and progress, the compliance list, reviews and the integrity check
count only what the provider's rule counts. Rows hashed before credit kinds keep verifying."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from duties import integrity, ledger, services
from duties.models import (
    DEFAULT_COUNTED_TEXT,
    LEGAL_AID_CREDIT_KINDS,
    AnnualReview,
    CreditKind,
    DutyEntry,
    DutyRule,
    credit_kind_for,
    credit_kinds_text,
)
from duties.selectors import compliance_rows, ledger_totals, progress_for
from marketplace.models import CASE_KINDS, ClaimStatus, TaskKind, TaskStatus
from tests.duties.conftest import NOW, SHANGHAI, YEAR, dated_task, duty_rule, make_case_claim, make_log
from tests.duties.test_ledger import raw
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

LAST_YEAR = YEAR - 1


def claim_on(organization, volunteer, kind, *, year=YEAR):
    start = datetime(year, 1, 5, 9, 0, tzinfo=SHANGHAI)
    task = dated_task(organization, kind, start, days=300, status=TaskStatus.OPEN, claim_deadline=None)
    return ClaimFactory(task=task, volunteer=volunteer, status=ClaimStatus.ACCEPTED)


def confirm(claim, coordinator, *, hours="4.00", on=None):
    log = make_log(claim, on=on or date(YEAR, 3, 2), hours=hours)
    services.hours_confirm(log=log, by=coordinator, now=NOW)
    return DutyEntry.objects.get(hour_log=log)


# --- the credit kind of each task kind ------------------------------------------------------


def test_every_task_kind_has_one_credit_kind_and_cases_are_case_handling():
    assert {kind: credit_kind_for(kind) for kind in CASE_KINDS} == dict.fromkeys(CASE_KINDS, CreditKind.CASE)
    assert credit_kind_for(TaskKind.DUTY_SHIFT) == CreditKind.DUTY_SHIFT
    assert credit_kind_for(TaskKind.OUTREACH) == CreditKind.OUTREACH
    assert credit_kind_for(TaskKind.COMMUNITY_MEDIATION) == CreditKind.COMMUNITY_MEDIATION
    assert {credit_kind_for(kind) for kind in TaskKind.values} <= set(CreditKind.values)


def test_public_legal_service_is_left_out_of_the_default():
    assert CreditKind.OUTREACH not in LEGAL_AID_CREDIT_KINDS
    assert CreditKind.COMMUNITY_MEDIATION not in LEGAL_AID_CREDIT_KINDS
    assert DutyRule().credit_kinds == DEFAULT_COUNTED_TEXT == ",case,consultation,document,duty_shift,"
    assert DutyRule().counted_kinds == ["case", "consultation", "document", "duty_shift"]


def test_each_credit_records_its_kind_and_a_reversal_the_kind_it_reverses(
    legal_aid_center, coordinator, provider_volunteer, regulator
):
    outreach = confirm(claim_on(legal_aid_center, provider_volunteer, TaskKind.OUTREACH), coordinator)
    consultation = confirm(claim_on(legal_aid_center, provider_volunteer, TaskKind.CONSULTATION), coordinator)
    case_hours = confirm(claim_on(legal_aid_center, provider_volunteer, TaskKind.STATE_COMPENSATION), coordinator)
    case = services.duty_credit_case(claim=make_case_claim(legal_aid_center, provider_volunteer), by=coordinator)
    reversal = services.entry_reverse(entry=outreach, reason="误记", by=regulator, now=NOW)

    assert [e.credit_kind for e in (outreach, consultation, case_hours, case, reversal)] == [
        "outreach",
        "consultation",
        "case",
        "case",
        "outreach",
    ]
    assert {e.hash_version for e in DutyEntry.objects.all()} == {ledger.LEDGER_HASH_VERSION}


# --- what counts ---------------------------------------------------------------------------


@pytest.fixture
def mixed_year(legal_aid_center, coordinator, provider_volunteer):
    """10 hours of consultation, 30 of public legal education, 5 of community mediation."""
    confirm(claim_on(legal_aid_center, provider_volunteer, TaskKind.CONSULTATION), coordinator, hours="10.00")
    outreach = claim_on(legal_aid_center, provider_volunteer, TaskKind.OUTREACH)
    for d in (2, 3, 4, 5):
        confirm(outreach, coordinator, hours="7.50", on=date(YEAR, 4, d))
    confirm(claim_on(legal_aid_center, provider_volunteer, TaskKind.COMMUNITY_MEDIATION), coordinator, hours="5.00")
    return provider_volunteer


def test_progress_leaves_public_legal_service_out_by_default(lawyer_rule, mixed_year):
    progress = progress_for(mixed_year, YEAR, NOW)

    assert progress.hours == Decimal("10.00")
    assert progress.status == "behind"


def test_a_rule_that_counts_outreach_counts_it(regions, mixed_year):
    duty_rule(
        regions,
        YEAR,
        min_hours=Decimal(40),
        min_cases=0,
        credit_kinds=credit_kinds_text([*LEGAL_AID_CREDIT_KINDS, CreditKind.OUTREACH]),
    )

    progress = progress_for(mixed_year, YEAR, NOW)

    assert progress.hours == Decimal("40.00")
    assert progress.status == "met"


def test_the_compliance_list_counts_what_each_rule_counts(regions, mixed_year, legal_aid_center, coordinator):
    from tests.factories import VolunteerFactory

    # The district's rule counts outreach; the city's (for the other provider) does not.
    duty_rule(regions, YEAR, min_hours=40, min_cases=0)
    duty_rule(
        regions,
        YEAR,
        "tianning",
        min_hours=40,
        min_cases=0,
        credit_kinds=credit_kinds_text([CreditKind.CONSULTATION, CreditKind.OUTREACH]),
    )
    elsewhere = VolunteerFactory(region=regions["zhonglou"])
    outreach = claim_on(legal_aid_center, elsewhere, TaskKind.OUTREACH)
    confirm(outreach, coordinator, hours="8.00")
    confirm(claim_on(legal_aid_center, elsewhere, TaskKind.DUTY_SHIFT), coordinator, hours="4.00")

    rows = {row.volunteer_id: row for row in compliance_rows(region=regions["changzhou"], year=YEAR, now=NOW)}

    assert rows[mixed_year.pk].hours == Decimal("40.00") and rows[mixed_year.pk].progress_status == "met"
    assert rows[elsewhere.pk].hours == Decimal("4.00")
    for volunteer in (mixed_year, elsewhere):
        assert rows[volunteer.pk].hours == progress_for(volunteer, YEAR, NOW).hours


def test_cases_count_only_where_the_rule_counts_case_handling(
    regions, legal_aid_center, coordinator, provider_volunteer
):
    rule = duty_rule(regions, YEAR, min_hours=10, min_cases=0, credit_kinds=credit_kinds_text([CreditKind.DUTY_SHIFT]))
    services.duty_credit_case(claim=make_case_claim(legal_aid_center, provider_volunteer), by=coordinator)

    assert progress_for(provider_volunteer, YEAR, NOW).cases == 0
    assert ledger_totals(volunteer_id=provider_volunteer.pk, year=YEAR, rule=rule) == (Decimal("0.00"), 0)
    assert ledger_totals(volunteer_id=provider_volunteer.pk, year=YEAR, rule=None) == (Decimal("0.00"), 1)


def test_a_review_records_what_the_rule_counts_and_the_integrity_check_agrees(
    regions, legal_aid_center, coordinator, provider_volunteer, regulator
):
    duty_rule(regions, LAST_YEAR, min_hours=5, min_cases=0)
    at = datetime(LAST_YEAR, 6, 3, 10, tzinfo=SHANGHAI)
    for kind, hours in ((TaskKind.CONSULTATION, "6.00"), (TaskKind.OUTREACH, "7.00")):
        log = make_log(claim_on(legal_aid_center, provider_volunteer, kind, year=LAST_YEAR), on=date(LAST_YEAR, 6, 2))
        log.hours = Decimal(hours)
        log.save()
        services.hours_confirm(log=log, by=coordinator, now=at)
    services.reviews_open(year=LAST_YEAR, region=regions["changzhou"], by=regulator, now=NOW)
    review = AnnualReview.objects.get(volunteer=provider_volunteer, year=LAST_YEAR)

    review = services.review_decide(review=review, decision="compliant", by=regulator, now=NOW)

    assert (review.hours, review.cases) == (Decimal("6.00"), 0)
    assert list(integrity.review_problems()) == []


# --- the rule says what it counts ----------------------------------------------------------


def rule_body(regions, **fields) -> dict:
    """A rule for Changzhou lawyers as the API takes it: 50 hours or 2 cases, then ``fields``."""
    return {
        "year": YEAR,
        "region": regions["changzhou"].code,
        "volunteer_kind": "lawyer",
        "min_hours": "50.00",
        "min_cases": 2,
        **fields,
    }


def test_a_rule_is_created_with_its_credit_kinds(api_as, regulator, regions):
    body = rule_body(regions, credit_kinds=["duty_shift", "case", "outreach"])

    response = api_as(regulator).post("/api/v1/duty-rules/", body, format="json")

    assert response.status_code == 201, response.data
    assert response.data["credit_kinds"] == ["case", "duty_shift", "outreach"]
    assert DutyRule.objects.get().credit_kinds == ",case,duty_shift,outreach,"
    listed = api_as(regulator).get("/api/v1/duty-rules/").json()["results"][0]
    assert listed["credit_kinds"] == ["case", "duty_shift", "outreach"]


def test_a_rule_without_credit_kinds_counts_the_forms_of_legal_aid(api_as, regulator, regions):
    response = api_as(regulator).post("/api/v1/duty-rules/", rule_body(regions), format="json")

    assert response.status_code == 201, response.data
    assert response.data["credit_kinds"] == ["case", "consultation", "document", "duty_shift"]


@pytest.mark.parametrize(
    ("credit_kinds", "code"),
    [([], "required"), (["case", "gardening"], "invalid_choice"), (["consultation"], "cases_not_counted")],
)
def test_bad_credit_kinds_are_400_and_nothing_is_written(api_as, regulator, regions, credit_kinds, code):
    body = rule_body(regions, credit_kinds=credit_kinds)

    response = api_as(regulator).post("/api/v1/duty-rules/", body, format="json")

    assert response.status_code == 400, response.data
    assert "credit_kinds" in response.data
    assert code in str(response.data["credit_kinds"]) or response.data.get("code") == code
    assert not DutyRule.objects.exists()


def test_a_rule_is_corrected_to_count_outreach(api_as, regulator, lawyer_rule):
    response = api_as(regulator).patch(
        f"/api/v1/duty-rules/{lawyer_rule.pk}/", {"credit_kinds": ["case", "outreach"]}, format="json"
    )

    assert response.status_code == 200, response.data
    lawyer_rule.refresh_from_db()
    assert lawyer_rule.counted_kinds == ["case", "outreach"]


def test_the_ledger_api_says_each_entrys_credit_kind(
    api_as, provider, legal_aid_center, coordinator, provider_volunteer
):
    confirm(claim_on(legal_aid_center, provider_volunteer, TaskKind.OUTREACH), coordinator)

    response = api_as(provider).get("/api/v1/ledger/")

    assert response.status_code == 200
    assert [e["credit_kind"] for e in response.json()["results"]] == ["outreach"]


# --- the hash covers the credit kind; older rows keep verifying -----------------------------


def append_version_1(claim, *, hours: str, credit_kind: str) -> DutyEntry:
    """A row as the ledger held it before credit kinds: hashed without one (version 1), its
    credit kind filled in afterwards (as the migration does)."""
    prev = ledger.GENESIS if not DutyEntry.objects.exists() else DutyEntry.objects.order_by("-id").first().hash
    entry = DutyEntry(
        volunteer_id=claim.volunteer_id,
        year=YEAR,
        occurred_on=date(YEAR, 2, 1),
        kind="hours",
        hours=Decimal(hours),
        claim=claim,
        created_at=datetime(YEAR, 2, 1, 12, tzinfo=SHANGHAI),
        credit_kind="",
        hash_version=1,
        prev_hash=prev,
    )
    entry.hash = ledger.chain_hash(ledger.entry_content(entry), prev)
    entry.save()
    if credit_kind:
        raw("UPDATE duties_dutyentry SET credit_kind = %s WHERE id = %s", [credit_kind, entry.pk])
    return entry


def test_an_old_chain_keeps_verifying_with_its_credit_kinds_filled_in_and_new_rows_after_it(
    legal_aid_center, coordinator, provider_volunteer
):
    claim = claim_on(legal_aid_center, provider_volunteer, TaskKind.CONSULTATION)
    old = [append_version_1(claim, hours="2.00", credit_kind="consultation") for _ in range(3)]
    new = confirm(claim, coordinator)

    result = ledger.verify()

    assert result.ok, result.problem
    assert result.checked == 4 and result.head == new.hash
    assert new.prev_hash == old[-1].hash and new.hash_version == 2


def test_changing_a_new_rows_credit_kind_breaks_the_chain(legal_aid_center, coordinator, provider_volunteer):
    entry = confirm(claim_on(legal_aid_center, provider_volunteer, TaskKind.OUTREACH), coordinator)

    raw("UPDATE duties_dutyentry SET credit_kind = 'consultation' WHERE id = %s", [entry.pk])

    result = ledger.verify()
    assert (result.problem.entry_id, result.problem.problem) == (entry.pk, "changed")


def test_passing_a_new_row_off_as_an_old_one_breaks_the_chain(legal_aid_center, coordinator, provider_volunteer):
    entry = confirm(claim_on(legal_aid_center, provider_volunteer, TaskKind.OUTREACH), coordinator)

    raw("UPDATE duties_dutyentry SET hash_version = 1, credit_kind = 'consultation' WHERE id = %s", [entry.pk])

    result = ledger.verify()
    assert (result.problem.entry_id, result.problem.problem) == (entry.pk, "changed")


def test_an_old_rows_credit_kind_must_agree_with_its_task(legal_aid_center, coordinator, provider_volunteer):
    claim = claim_on(legal_aid_center, provider_volunteer, TaskKind.OUTREACH)
    honest = append_version_1(claim, hours="2.00", credit_kind="outreach")
    forged = append_version_1(claim, hours="3.00", credit_kind="consultation")

    problems = list(integrity.legacy_credit_kind_problems())

    assert ledger.verify().ok  # the hash of a version 1 row does not cover its credit kind...
    assert [p.subject for p in problems] == [f"entry {forged.pk}"]  # ...its task does
    assert honest.pk != forged.pk
