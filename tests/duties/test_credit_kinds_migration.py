"""The migration that brings credit kinds (duties 0008) on a ledger written before it: every row
gets its credit kind from its task, the chain and the recorded chain heads still verify, a rule
under which a review was decided keeps counting what it counted then, and new rows chain on."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from duties import integrity, ledger, services
from duties.models import AnnualReview, DutyEntry, DutyRule, HourLog
from marketplace.models import ClaimStatus, TaskKind, TaskStatus
from tests.duties.conftest import duty_rule
from tests.factories import AidTaskFactory, ClaimFactory, VolunteerFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SHANGHAI = ZoneInfo("Asia/Shanghai")
BEFORE = ("duties", "0007_volunteer_service_record")


def old_row(model, *, claim, volunteer_id, kind, hours="0", cases=0, reverses=None, prev, at):
    """A row as the append service wrote it before credit kinds (hash of the version 1 content)."""
    values = {
        "volunteer_id": volunteer_id,
        "year": at.year,
        "occurred_on": at.date(),
        "kind": kind,
        "hours": Decimal(hours),
        "cases": cases,
        "hour_log_id": None,
        "claim_id": claim.pk if claim else None,
        "reverses_id": reverses.pk if reverses else None,
        "reason": "更正" if reverses else "",
        "created_by_id": None,
        "created_at": at,
        "credit_kind": "",
        "hash_version": 1,
    }
    digest = ledger.chain_hash(ledger.content_of(values), prev)
    del values["credit_kind"], values["hash_version"]
    return model.objects.create(**values, prev_hash=prev, hash=digest)


def test_old_rows_get_their_credit_kinds_and_the_chain_still_verifies(
    regions, legal_aid_center, coordinator, provider_volunteer, regulator
):
    year = 2025
    start = datetime(year, 1, 5, 9, tzinfo=SHANGHAI)
    claims = {
        kind: ClaimFactory(
            task=AidTaskFactory(
                organization=legal_aid_center,
                kind=kind,
                starts_at=start,
                ends_at=start.replace(month=12),
                claim_deadline=None,
                status=TaskStatus.COMPLETED,
            ),
            volunteer=provider_volunteer,
            status=ClaimStatus.COMPLETED,
        )
        for kind in (TaskKind.CONSULTATION, TaskKind.OUTREACH, TaskKind.MEDIATION_ARBITRATION)
    }
    decided_rule = duty_rule(regions, year, min_hours=5)
    other = VolunteerFactory(region=regions["tianning"])
    open_rule = duty_rule(regions, year + 1, min_hours=5)

    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old_apps = executor.loader.project_state([BEFORE]).apps
    Entry, Review = old_apps.get_model("duties", "DutyEntry"), old_apps.get_model("duties", "AnnualReview")
    at = datetime(year, 6, 1, 10, tzinfo=SHANGHAI)
    rows = []
    prev = ledger.GENESIS
    for kind, hours, cases in (
        (TaskKind.CONSULTATION, "6.00", 0),
        (TaskKind.OUTREACH, "7.00", 0),
        (TaskKind.MEDIATION_ARBITRATION, "0", 1),
    ):
        entry_kind = "case" if cases else "hours"
        row = old_row(
            Entry,
            claim=claims[kind],
            volunteer_id=provider_volunteer.pk,
            kind=entry_kind,
            hours=hours,
            cases=cases,
            prev=prev,
            at=at,
        )
        rows.append(row)
        prev = row.hash
    # A regulator's reversal, which has no claim of its own.
    reversal = old_row(
        Entry,
        claim=None,
        volunteer_id=provider_volunteer.pk,
        kind="reversal",
        hours="-7.00",
        reverses=rows[1],
        prev=prev,
        at=at,
    )
    rows.append(reversal)
    # Decided then on everything the ledger held: 6 + 7 - 7 hours, 1 case.
    Review.objects.create(
        volunteer_id=provider_volunteer.pk,
        year=year,
        region_id=provider_volunteer.region_id,
        status="compliant",
        rule_id=decided_rule.pk,
        hours=Decimal("6.00"),
        cases=1,
        ledger_head_hash=reversal.hash,
        opened_at=at,
        decided_at=at,
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert list(DutyEntry.objects.order_by("id").values_list("credit_kind", "hash_version")) == [
        ("consultation", 1),
        ("outreach", 1),
        ("case", 1),
        ("outreach", 1),
    ]
    assert ledger.verify().ok
    assert list(integrity.legacy_credit_kind_problems()) == []
    assert list(integrity.review_problems()) == []
    # The decided rule counts what it counted when the review was decided; the other, legal aid.
    assert "outreach" in DutyRule.objects.get(pk=decided_rule.pk).counted_kinds
    assert DutyRule.objects.get(pk=open_rule.pk).counted_kinds == ["case", "consultation", "document", "duty_shift"]
    assert AnnualReview.objects.get().hours == Decimal("6.00")

    # New rows chain on from the old head, hashed with their credit kind.
    claim = ClaimFactory(
        task=AidTaskFactory(organization=legal_aid_center, kind=TaskKind.OUTREACH, claim_deadline=None),
        volunteer=other,
        status=ClaimStatus.COMPLETED,
    )
    log = HourLog.objects.create(claim=claim, volunteer=other, date=date(2026, 3, 2), hours=Decimal("2.00"))
    services.hours_confirm(log=log, by=coordinator)
    entry = DutyEntry.objects.get(hour_log=log)
    assert (entry.prev_hash, entry.credit_kind, entry.hash_version) == (reversal.hash, "outreach", 2)
    result = ledger.verify()
    assert result.ok and result.checked == 5
