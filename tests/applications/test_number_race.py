"""Application numbers never repeat: registrations racing at one centre, on SQLite and PostgreSQL.

Real threads, each with its own connection, on a transactional database. The control shows that
without the centre's row lock the same race hands out one number twice (the unique constraint
then refuses the second), so the passing test proves the lock and not a lucky schedule.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.applications import services
from marketplace.applications.models import Application
from tests.applications.conftest import APPLICANT
from tests.conftest import run_all, unlocked_give_number

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

RACERS = 12
on_postgresql = pytest.mark.postgres(reason="needs PostgreSQL (row locks)")


def register_all(centre, coordinator, region):
    values = {
        "channel": "walk_in",
        "received_at": timezone.now() - timedelta(minutes=5),
        "matter_kind": "consultation",
        "category": "other",
        "beneficiary_group": "general",
        "region": region,
        "summary": "咨询",
        "hardship_basis": "hardship_certified",
    }

    def attempt(_):
        services.application_register(organization=centre, values=values, applicant=APPLICANT, by=coordinator)
        return "registered"

    outcomes, _elapsed = run_all(range(RACERS), attempt)
    return outcomes


def test_racing_registrations_get_consecutive_unique_numbers(legal_aid_center, coordinator, regions):
    outcomes = register_all(legal_aid_center, coordinator, regions["tianning"])

    assert outcomes == {"registered": RACERS}
    sequences = sorted(Application.objects.values_list("number_sequence", flat=True))
    assert sequences == list(range(1, RACERS + 1))


@on_postgresql
def test_control_without_the_centre_lock_a_number_is_handed_out_twice(
    legal_aid_center, coordinator, regions, monkeypatch
):
    monkeypatch.setattr(services, "_give_number", unlocked_give_number(Application, "常援申"))

    outcomes = register_all(legal_aid_center, coordinator, regions["tianning"])

    assert outcomes["error:IntegrityError"] > 0
    assert Application.objects.count() < RACERS
