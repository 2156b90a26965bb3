"""Pricing a subsidy line from the schedule version in force, and proving it (办案补贴, Art. 52)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from duties.subsidies import services
from duties.subsidies.models import SubsidyKind, SubsidyLine, SubsidyStatus
from marketplace.core.errors import Conflict, OwnRecord
from marketplace.models import TaskKind
from tests.factories import this_year

pytestmark = pytest.mark.django_db


def civil_schedule(region, amount: str, *, by, duty_half_day: str = "250.00", multipliers=("1.2", "1", "0.8", "0")):
    """A schedule of this year for ``region`` with one rate: civil representation at ``amount``
    (yuan); ``multipliers`` for excellent, good, pass and fail; no travel supplement."""
    return services.subsidy_schedule_create(
        year=this_year(),
        region=region,
        rates=[services.RateInput("civil_representation", "", Decimal(amount))],
        duty_half_day=Decimal(duty_half_day),
        travel_supplement=Decimal("0.00"),
        multipliers=dict(zip(("excellent", "good", "pass", "fail"), map(Decimal, multipliers), strict=True)),
        by=by,
    )


def test_an_accepted_closing_is_priced_from_the_schedule_with_its_quality_multiplier(schedule, close_case):
    task = close_case(quality="excellent")
    line = SubsidyLine.objects.get(task=task)
    assert line.status == SubsidyStatus.PRICED
    assert line.schedule_id == schedule.pk
    assert line.grade == "excellent"
    assert line.amount == Decimal("2400.00")  # 2000 x 1.2


def test_a_criminal_case_is_priced_by_its_stage(schedule, close_case):
    task = close_case(kind=TaskKind.CRIMINAL_DEFENSE, stage="trial", quality="pass")
    line = SubsidyLine.objects.get(task=task)
    assert (line.stage, line.amount) == ("trial", Decimal("2000.00"))  # 2500 x 0.8


def test_a_failed_case_is_priced_at_zero(schedule, close_case):
    line = SubsidyLine.objects.get(task=close_case(quality="fail"))
    assert (line.status, line.amount) == (SubsidyStatus.PRICED, Decimal("0.00"))


def test_without_a_schedule_the_line_stays_unpriced_and_flagged(close_case):
    line = SubsidyLine.objects.get(task=close_case())
    assert (line.status, line.amount, line.schedule_id) == (SubsidyStatus.UNPRICED, None, None)


def test_a_criminal_case_without_a_stage_rate_stays_unpriced(schedule, close_case):
    line = SubsidyLine.objects.get(task=close_case(kind=TaskKind.CRIMINAL_DEFENSE, stage=""))
    assert line.status == SubsidyStatus.UNPRICED


def test_the_most_specific_region_and_latest_version_prices_the_line(schedule, regulator, regions, close_case):
    district = civil_schedule(regions["tianning"], "3000.00", by=regulator)
    corrected = civil_schedule(regions["tianning"], "2800.00", by=regulator)
    assert (district.version, corrected.version) == (1, 2)
    line = SubsidyLine.objects.get(task=close_case(quality="good"))  # the provider's case is in 天宁区
    assert (line.schedule_id, line.amount) == (corrected.pk, Decimal("2800.00"))


def test_recompute_proves_the_amount_from_the_version_the_line_keeps(schedule, regulator, regions, close_case):
    line = SubsidyLine.objects.get(task=close_case(quality="excellent"))
    # A correction afterwards does not change what the line's own version says.
    civil_schedule(
        regions["changzhou"], "9999.00", by=regulator, duty_half_day="1.00", multipliers=("2", "1", "1", "0")
    )
    proof = services.subsidy_recompute(line=line)
    assert (proof.recomputed, proof.matches) == (Decimal("2400.00"), True)
    SubsidyLine.objects.filter(pk=line.pk).update(amount=Decimal("2500.00"))  # tampered
    line.refresh_from_db()
    assert services.subsidy_recompute(line=line).matches is False


def test_a_served_shift_gets_a_duty_shift_line_once(schedule, legal_aid_center, provider_volunteer, regions):
    def serve():
        return services.subsidy_line_for_shift(
            organization=legal_aid_center,
            volunteer=provider_volunteer,
            region=regions["tianning"],
            served_on=date(schedule.year, 3, 2),
            reference="shift:42",
            half_days=2,
            travel=True,
        )

    line = serve()
    assert (line.kind, line.status, line.amount) == (SubsidyKind.DUTY_SHIFT, SubsidyStatus.PRICED, Decimal("500.00"))
    assert serve().pk == line.pk
    assert services.subsidy_recompute(line=line).matches


def test_the_payee_is_the_law_firm_unless_a_setting_pays_individuals(
    schedule, firm_provider, law_firm, close_case, settings
):
    line = SubsidyLine.objects.get(task=close_case())
    assert line.payee_org_id == law_firm.pk
    settings.SUBSIDY_PAY_INDIVIDUALS = True
    line = SubsidyLine.objects.get(task=close_case())
    assert line.payee_org_id is None


@pytest.fixture
def paid_line(schedule, close_case, second_coordinator):
    line = SubsidyLine.objects.get(task=close_case(quality="good"))
    batch = services.subsidy_batch_create(organization=line.organization, line_ids=[line.pk], by=second_coordinator)
    services.subsidy_batch_paid(batch=batch, by=second_coordinator)
    line.refresh_from_db()
    return line


def test_a_paid_line_is_reversed_not_changed(paid_line, second_coordinator):
    assert paid_line.status == SubsidyStatus.PAID
    with pytest.raises(Conflict) as refused:
        services.subsidy_reprice(line=paid_line, by=second_coordinator)
    assert refused.value.code == "line_paid"
    reversal = services.subsidy_reverse(line=paid_line, reason="结案材料不实", by=second_coordinator)
    assert (reversal.amount, reversal.reverses_id, reversal.status) == (Decimal("-2000.00"), paid_line.pk, "priced")
    assert services.subsidy_recompute(line=reversal).matches
    # The reversal is the paid line again: the same case, provider, payee, inputs and schedule.
    same = ("task_id", "volunteer_id", "kind", "organization_id", "region_id", "year", "case_kind", "stage")
    same += ("grade", "half_days", "travel", "reference", "schedule_id", "payee_org_id")
    assert [getattr(reversal, f) for f in same] == [getattr(paid_line, f) for f in same]
    assert (reversal.reason, reversal.batch_id) == ("结案材料不实", None)
    paid_line.refresh_from_db()
    assert (paid_line.amount, paid_line.status) == (Decimal("2000.00"), SubsidyStatus.PAID)
    with pytest.raises(Conflict) as again:
        services.subsidy_reverse(line=paid_line, reason="再次", by=second_coordinator)
    assert again.value.code == "already_reversed"


def test_nobody_batches_a_line_that_pays_themself(schedule, close_case, provider_volunteer, legal_aid_center):
    from tests.factories import MembershipFactory

    MembershipFactory(user=provider_volunteer.user, organization=legal_aid_center, role="coordinator")
    line = SubsidyLine.objects.get(task=close_case())
    with pytest.raises(OwnRecord):
        services.subsidy_batch_create(organization=legal_aid_center, line_ids=[line.pk], by=provider_volunteer.user)
    line.refresh_from_db()
    assert (line.status, line.batch_id) == (SubsidyStatus.PRICED, None)


@pytest.mark.postgres("the paid-line trigger exists on PostgreSQL only")
def test_the_database_refuses_to_update_a_paid_line(paid_line):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE subsidies_subsidyline SET amount = 1 WHERE id = %s", [paid_line.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        SubsidyLine.objects.filter(pk=paid_line.pk).update(status="priced")
    paid_line.refresh_from_db()
    assert (paid_line.amount, paid_line.status) == (Decimal("2000.00"), "paid")
