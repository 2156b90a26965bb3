"""Decided reviews, the ledger and the seat counts hold together, and tampering is caught.

Tampering is plain SQL with triggers off (as someone with database access would do it): on
SQLite there is no trigger to turn off, on PostgreSQL the session's replica mode skips them.
"""

from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from duties import services
from duties.models import AnnualReview, DutyEntry
from marketplace.models import AidTask, ClaimStatus
from tests.duties.conftest import duty_rule, make_log
from tests.duties.test_ledger import raw
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
LAST_YEAR = 2025
NOW = datetime(2026, 7, 2, 10, 0, tzinfo=SHANGHAI)

postgres_only = pytest.mark.postgres(reason="the trigger exists on PostgreSQL only")


def take_seats(task):
    """Factories write claims without taking their seats; count them as the services would."""
    held = task.claims.filter(status__in=[ClaimStatus.ACCEPTED, ClaimStatus.COMPLETED]).count()
    AidTask.objects.filter(pk=task.pk).update(seats_taken=held)


@pytest.fixture
def decided(regions, regulator, coordinator, claim, justice_bureau):
    """Last year's review of the provider, decided compliant on 7 confirmed hours."""
    take_seats(claim.task)
    duty_rule(regions, LAST_YEAR, min_hours=Decimal(5), min_cases=2)
    for d in (1, 2):
        log = make_log(claim, on=date(LAST_YEAR, 6, d), hours="3.50")
        services.hours_confirm(log=log, by=coordinator, now=datetime(LAST_YEAR, 6, 3, 10, tzinfo=SHANGHAI))
    services.reviews_open(year=LAST_YEAR, region=regions["changzhou"], by=regulator, now=NOW)
    review = AnnualReview.objects.get(volunteer=claim.volunteer, year=LAST_YEAR)
    return services.review_decide(review=review, decision="compliant", note="7 小时，已达标", by=regulator, now=NOW)


def check() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("check_integrity", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def check_fails() -> str:
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("check_integrity", stdout=StringIO(), stderr=err)
    return err.getvalue() + str(failure.value)


class TestCheckIntegrity:
    def test_consistent_data_passes(self, decided):
        out, err = check()

        assert decided.hours == Decimal("7.00")
        assert "intact" in out.lower() and not err

    def test_an_empty_database_passes(self, db):
        assert "intact" in check()[0].lower()

    def test_changed_review_totals_are_named(self, decided):
        raw("UPDATE duties_annualreview SET hours = 70, cases = 3 WHERE id = %s", [decided.pk])

        report = check_fails()

        assert f"review {decided.pk}" in report
        assert "hours" in report and "70.00" in report and "7.00" in report
        assert "cases" in report

    def test_a_changed_chain_head_is_named(self, decided):
        raw("UPDATE duties_annualreview SET ledger_head_hash = %s WHERE id = %s", ["f" * 64, decided.pk])

        report = check_fails()

        assert f"review {decided.pk}" in report and "chain head" in report

    def test_a_later_reversal_does_not_count_against_the_recorded_totals(self, decided, regulator):
        entry = DutyEntry.objects.filter(volunteer=decided.volunteer).first()
        services.entry_reverse(entry=entry, reason="重复登记", by=regulator, now=NOW)

        assert "intact" in check()[0].lower()

    def test_seats_taken_that_disagree_with_the_claims_are_named(self, claim):
        task = claim.task
        ClaimFactory(task=task, status=ClaimStatus.COMPLETED)
        ClaimFactory(task=task, status=ClaimStatus.WAITLISTED)
        AidTask.objects.filter(pk=task.pk).update(seats_taken=1)

        report = check_fails()

        assert f"task {task.pk}" in report and "seats_taken 1" in report and "2 accepted or completed" in report

    def test_a_changed_ledger_entry_is_named(self, decided):
        entry = DutyEntry.objects.first()
        raw("UPDATE duties_dutyentry SET hours = 9.25 WHERE id = %s", [entry.pk])

        report = check_fails()

        assert f"entry {entry.pk}" in report

    def test_every_problem_is_named_at_once(self, decided, claim):
        raw("UPDATE duties_annualreview SET hours = 70 WHERE id = %s", [decided.pk])
        AidTask.objects.filter(pk=claim.task_id).update(seats_taken=0)

        report = check_fails()

        assert f"review {decided.pk}" in report and f"task {claim.task_id}" in report
        assert "2 problems" in report

    def test_verify_ledger_still_checks_the_chain_alone(self, decided):
        out = StringIO()
        call_command("verify_ledger", stdout=out)

        assert "Ledger intact" in out.getvalue()


@pytest.mark.slow  # loads the whole demo
def test_the_demo_data_passes_check_integrity(db):
    call_command("seed_demo", stdout=StringIO())

    out, err = check()

    assert "intact" in out.lower() and not err


class TestDecidedReviewTrigger:
    pytestmark = postgres_only

    def _refused(self, sql, params):
        with (
            pytest.raises(DatabaseError, match=r"duties_annualreview \d+: a (decided review|certificate)"),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(sql, params)

    def test_an_update_of_a_decided_reviews_totals_is_refused(self, decided):
        self._refused("UPDATE duties_annualreview SET hours = 70 WHERE id = %s", [decided.pk])
        self._refused("UPDATE duties_annualreview SET ledger_head_hash = 'x' WHERE id = %s", [decided.pk])
        self._refused("UPDATE duties_annualreview SET status = 'open' WHERE id = %s", [decided.pk])
        self._refused("DELETE FROM duties_annualreview WHERE id = %s", [decided.pk])

        decided.refresh_from_db()
        assert (decided.hours, decided.status) == (Decimal("7.00"), "compliant")

    def test_revocation_is_the_one_change_allowed_and_only_once(self, decided, regulator):
        services.certificate_revoke(review=decided, reason="以虚假材料取得", by=regulator, now=NOW)

        self._refused("UPDATE duties_annualreview SET certificate_revoked_at = NULL WHERE id = %s", [decided.pk])
        # The reason is written with the revocation and frozen after it (0006).
        self._refused("UPDATE duties_annualreview SET certificate_revoke_reason = 'x' WHERE id = %s", [decided.pk])
        self._refused("UPDATE duties_annualreview SET certificate_number = 'x' WHERE id = %s", [decided.pk])
        decided.refresh_from_db()
        assert decided.certificate_revoked_at == NOW
        assert decided.certificate_revoke_reason == "以虚假材料取得"

    def test_an_open_review_still_changes_freely(self, regions, regulator, provider_volunteer):
        duty_rule(regions, LAST_YEAR, min_hours=5, min_cases=0)
        services.reviews_open(year=LAST_YEAR, region=regions["changzhou"], by=regulator, now=NOW)

        with connection.cursor() as c:
            c.execute("UPDATE duties_annualreview SET note = 'x' WHERE year = %s", [LAST_YEAR])

        assert AnnualReview.objects.get().note == "x"
