"""Never oversold: 50 providers race for a 5-seat task, on SQLite and on PostgreSQL.

Real threads, each with its own database connection (closed at the end), on a real (transactional)
database. The control tests show the same race oversells, or fails, without the guard, so the
passing tests prove the guard and not a lucky schedule.
"""

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from marketplace import services
from marketplace.models import AidTask, Claim, ClaimStatus, TaskStatus
from tests.conftest import run_all
from tests.factories import AidTaskFactory, UserFactory, VolunteerFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PROVIDERS = 50
SEATS = 5
on_postgresql = pytest.mark.postgres(reason="needs PostgreSQL (row locks)")
on_sqlite = pytest.mark.sqlite(reason="about SQLite's transaction modes")


@pytest.fixture
def race(legal_aid_center, regions):
    now = timezone.now()
    task = AidTaskFactory(
        organization=legal_aid_center,
        region=regions["tianning"],
        starts_at=now + timedelta(days=3),
        seats=SEATS,
        status=TaskStatus.OPEN,
    )
    volunteers = [
        VolunteerFactory(user=UserFactory(username=f"racer{i}"), region=regions["tianning"]) for i in range(PROVIDERS)
    ]
    return task, volunteers


def report(name, counts, task, elapsed):
    accepted = Claim.objects.filter(task=task, status=ClaimStatus.ACCEPTED).count()
    task.refresh_from_db()
    print(
        f"\n[race] {connection.vendor} {name}: outcomes={dict(counts)} accepted_in_db={accepted} "
        f"seats_taken={task.seats_taken}/{task.seats} status={task.status} in {elapsed:.2f}s"
    )
    return accepted


def race_the_service(race, name):
    """Every provider of ``race`` claims its task through the service at once: the claims'
    statuses counted and the claims accepted in the database (the race reported as ``name``)."""
    task, volunteers = race

    def claim(volunteer):
        return services.claim_create(task=task, volunteer=volunteer, by=volunteer.user).status

    counts, elapsed = run_all(volunteers, claim)
    return counts, report(name, counts, task, elapsed)


def test_fifty_providers_racing_through_the_api_get_exactly_five_seats(race):
    task, volunteers = race

    def attempt(volunteer):
        client = APIClient()
        client.force_authenticate(volunteer.user)
        response = client.post(f"/api/v1/tasks/{task.pk}/claims/")
        if response.status_code == 201:
            return response.json()["status"]
        return str(response.status_code)

    counts, elapsed = run_all(volunteers, attempt)
    accepted = report("API", counts, task, elapsed)
    assert counts["accepted"] == SEATS == accepted
    assert counts["waitlisted"] + counts["409"] == PROVIDERS - SEATS
    assert not [k for k in counts if k.startswith("5") or k.startswith("error")]
    assert (task.seats_taken, task.status) == (SEATS, TaskStatus.FILLED)


def test_fifty_providers_racing_through_the_service_get_exactly_five_seats(race):
    task, _volunteers = race
    counts, accepted = race_the_service(race, "service")
    assert counts == Counter({"accepted": SEATS, "waitlisted": PROVIDERS - SEATS})
    assert accepted == task.seats_taken == SEATS


def test_control_an_unguarded_check_then_insert_oversells(race):
    """The seat check without lock or transaction: every thread reads the seats before any
    writes (the barrier stands in for an unlucky schedule) and all of them take a seat."""
    task, volunteers = race
    read_barrier = threading.Barrier(len(volunteers))

    def attempt(volunteer):
        seen = AidTask.objects.get(pk=task.pk)
        read_barrier.wait(timeout=60)
        if seen.seats_taken < seen.seats:
            Claim.objects.create(task=task, volunteer=volunteer, status=ClaimStatus.ACCEPTED)
            AidTask.objects.filter(pk=task.pk).update(seats_taken=seen.seats_taken + 1)
            return "accepted"
        return "waitlisted"

    counts, elapsed = run_all(volunteers, attempt)
    accepted = report("control, unguarded", counts, task, elapsed)
    assert accepted > SEATS  # oversold: the race is real


def _unguarded_take_seat(window: float):
    """``services._take_seat`` as a read, a pause (widening the window), then a write of what was
    read: the check-then-act the conditional UPDATE replaces."""

    def take_seat(task, *, now, provider=None):
        seats_taken, seats, status = AidTask.objects.values_list("seats_taken", "seats", "status").get(pk=task.pk)
        time.sleep(window)
        if status not in (TaskStatus.OPEN, TaskStatus.FILLED) or seats_taken >= seats:
            return False
        task.seats_taken, task.seats = seats_taken + 1, seats
        task.status = TaskStatus.FILLED if task.seats_taken >= seats else TaskStatus.OPEN
        AidTask.objects.filter(pk=task.pk).update(seats_taken=task.seats_taken, status=task.status)
        return True

    return take_seat


@on_postgresql
def test_control_on_postgresql_the_service_without_its_conditional_update_oversells(race, monkeypatch):
    monkeypatch.setattr(services, "_take_seat", _unguarded_take_seat(0.2))

    _counts, accepted = race_the_service(race, "control, service with check-then-write seats")
    assert accepted > SEATS


@on_sqlite
def test_on_sqlite_immediate_transactions_alone_hold_the_line_without_the_conditional_update(race, monkeypatch):
    """BEGIN IMMEDIATE serialises whole transactions there, so even check-then-write is safe."""
    monkeypatch.setattr(services, "_take_seat", _unguarded_take_seat(0.01))

    counts, accepted = race_the_service(race, "IMMEDIATE, check-then-write seats")
    assert counts == Counter({"accepted": SEATS, "waitlisted": PROVIDERS - SEATS})
    assert accepted == SEATS


@on_sqlite
def test_control_on_sqlite_deferred_transactions_break_check_then_write(race, monkeypatch):
    """With DEFERRED transactions each claim reads under a snapshot and then tries to write; all
    but the first writer find the snapshot stale and fail ("database is locked"): a 5xx per loser.
    IMMEDIATE transactions (or the conditional UPDATE, a write from the first statement) are what
    turn those failures into an orderly queue."""
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "transaction_mode", "DEFERRED")
    monkeypatch.setattr(services, "_take_seat", _unguarded_take_seat(0.2))

    counts, _accepted = race_the_service(race, "control, DEFERRED transactions")
    errors = sum(n for k, n in counts.items() if k.startswith("error"))
    assert errors > 0 or counts["accepted"] > SEATS


@on_sqlite
def test_on_sqlite_the_conditional_update_holds_the_line_even_in_deferred_transactions(race, monkeypatch):
    task, _volunteers = race
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "transaction_mode", "DEFERRED")

    counts, accepted = race_the_service(race, "DEFERRED, conditional UPDATE")
    assert counts["accepted"] == SEATS == accepted
    assert task.seats_taken == SEATS


# --- a provider racing themself on two overlapping tasks ----------------------------------------

ROUNDS = 8


@pytest.fixture
def overlapping_pairs(legal_aid_center, regions):
    """ROUNDS pairs of overlapping tasks, each pair for its own provider."""
    now = timezone.now()
    pairs = []
    for i in range(ROUNDS):
        starts = now + timedelta(days=3 + i)
        pair = [
            AidTaskFactory(
                organization=legal_aid_center,
                region=regions["tianning"],
                starts_at=starts + timedelta(minutes=30 * j),
                ends_at=starts + timedelta(hours=2, minutes=30 * j),
                seats=SEATS,
                status=TaskStatus.OPEN,
            )
            for j in range(2)
        ]
        volunteer = VolunteerFactory(user=UserFactory(username=f"twin{i}"), region=regions["tianning"])
        pairs.append((volunteer, pair))
    return pairs


def race_twins(pairs):
    """Each provider claims both tasks of its pair at once; the accepted claims per provider."""
    jobs = [(volunteer, task) for volunteer, pair in pairs for task in pair]

    def attempt(job):
        volunteer, task = job
        try:
            return services.claim_create(task=task, volunteer=volunteer, by=volunteer.user).status
        except services.NotEligible:
            return "not_eligible"

    counts, _elapsed = run_all(jobs, attempt)
    per_provider = Counter(
        Claim.objects.filter(status=ClaimStatus.ACCEPTED, volunteer__user__username__startswith="twin").values_list(
            "volunteer_id", flat=True
        )
    )
    print(f"\n[race] {connection.vendor} twins: outcomes={dict(counts)} accepted per provider={dict(per_provider)}")
    return counts, per_provider


def _slow_overlap_check(window: float):
    from marketplace.selectors import overlap_problem

    def check(**kwargs):
        found = overlap_problem(**kwargs)
        time.sleep(window)
        return found

    return check


def test_a_provider_claiming_two_overlapping_tasks_at_once_gets_at_most_one(overlapping_pairs, monkeypatch):
    monkeypatch.setattr(services, "overlap_problem", _slow_overlap_check(0.2))
    counts, per_provider = race_twins(overlapping_pairs)
    assert max(per_provider.values()) == 1
    assert counts == Counter({"accepted": ROUNDS, "not_eligible": ROUNDS})


@on_postgresql
def test_control_on_postgresql_without_the_provider_lock_a_provider_gets_both(overlapping_pairs, monkeypatch):
    """The seat's UPDATE takes the provider's lock with it (``_take_seat(provider=...)``); the
    same statement without it, and no separate lock either, lets both claims through."""
    take_seat = services._take_seat
    monkeypatch.setattr(services, "overlap_problem", _slow_overlap_check(0.2))
    monkeypatch.setattr(services, "_take_seat", lambda task, *, now, provider=None: take_seat(task, now=now))
    monkeypatch.setattr(services, "_lock_provider", lambda volunteer_id: None)
    _counts, per_provider = race_twins(overlapping_pairs)
    assert max(per_provider.values()) == 2


def test_outside_any_outer_transaction_a_second_claim_is_a_conflict_and_gives_back_its_seat(race):
    """No SAVEPOINT: the unique index's violation rolls back the whole claim, seat included (on
    PostgreSQL the failed INSERT aborts the transaction, which is then rolled back, not reused)."""
    task, volunteers = race
    services.claim_create(task=task, volunteer=volunteers[0], by=volunteers[0].user)
    with pytest.raises(services.Conflict) as err:
        services.claim_create(task=task, volunteer=volunteers[0], by=volunteers[0].user)
    assert err.value.code == "already_claimed"
    task.refresh_from_db()
    assert task.seats_taken == 1
    assert services.claim_create(task=task, volunteer=volunteers[1], by=volunteers[1].user).status == "accepted"
