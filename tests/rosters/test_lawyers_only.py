"""Duty lawyers are lawyers only (Art. 14, 30): whatever a shift's eligible_kinds says, a notary
neither claims nor is assigned one; the board does not offer it; a shift task for notaries is 400.
A shift blocks only its own half-day, and a case is never blocked."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace import services as market
from marketplace.core.errors import Forbidden
from marketplace.models import Claim, ClaimStatus, TaskKind
from marketplace.selectors import assignment_candidates
from tests.factories import AidTaskFactory
from tests.rosters.conftest import days_ahead

pytestmark = pytest.mark.django_db


def test_a_notary_claiming_a_shift_open_to_notaries_is_refused_with_lawyers_only(api_as, notary, make_shift):
    shift = make_shift(days_ahead(3), eligible_kinds=["lawyer", "notary"])

    answer = api_as(notary.user).post(f"/api/v1/tasks/{shift.task_id}/claims/")

    assert answer.status_code == 403
    assert answer.json()["code"] == "lawyers_only"
    assert not Claim.objects.exists()


def test_a_notary_is_never_assigned_a_shift(coordinator, notary, make_shift):
    shift = make_shift(days_ahead(3), eligible_kinds=[])

    with pytest.raises(Forbidden) as refused:
        market.task_assign(task=shift.task, volunteer=notary, by=coordinator)

    assert refused.value.code == "lawyers_only"
    assert not Claim.objects.exists()
    assert notary not in [c.volunteer for c in assignment_candidates(task=shift.task, now=timezone.now())]


def test_the_board_offers_shifts_to_lawyers_only(api_as, notary, provider, make_shift):
    shift = make_shift(days_ahead(3), eligible_kinds=[])

    def eligible(user):
        return [t["id"] for t in api_as(user).get("/api/v1/tasks/", {"eligible": "true"}).json()["results"]]

    assert shift.task_id in eligible(provider)
    assert shift.task_id not in eligible(notary.user)


def test_a_duty_shift_task_for_notaries_is_400(api_as, coordinator, task_payload):
    payload = task_payload(kind="duty_shift", eligible_kinds=["notary"])

    answer = api_as(coordinator).post("/api/v1/tasks/", payload, format="json")

    assert answer.status_code == 400
    assert answer.json()["code"] == "lawyers_only"


def test_a_duty_shift_task_without_kinds_is_for_lawyers(api_as, coordinator, task_payload):
    answer = api_as(coordinator).post("/api/v1/tasks/", task_payload(kind="duty_shift"), format="json")

    assert answer.status_code == 201
    assert answer.json()["eligible_kinds"] == ["lawyer"]


def test_a_morning_and_an_afternoon_shift_the_same_day_are_both_held(provider_volunteer, provider, make_shift):
    day = days_ahead(4)
    morning, afternoon = make_shift(day, "morning"), make_shift(day, "afternoon")

    first = market.claim_create(task=morning.task, volunteer=provider_volunteer, by=provider)
    second = market.claim_create(task=afternoon.task, volunteer=provider_volunteer, by=provider)

    assert (first.status, second.status) == (ClaimStatus.ACCEPTED, ClaimStatus.ACCEPTED)


def test_a_shift_blocks_its_own_half_day_elsewhere(provider_volunteer, provider, make_shift, station):
    day = days_ahead(4)
    market.claim_create(task=make_shift(day, "morning").task, volunteer=provider_volunteer, by=provider)
    session = AidTaskFactory(
        organization=station.organization,
        kind=TaskKind.CONSULTATION,
        region=station.region,
        starts_at=make_shift(day, "morning").task.starts_at + timedelta(hours=1),
        claim_deadline=None,
    )

    with pytest.raises(Forbidden) as refused:
        market.claim_create(task=session, volunteer=provider_volunteer, by=provider)

    assert refused.value.code == "not_eligible"


def test_a_case_is_never_blocked_by_a_shift(coordinator, provider_volunteer, provider, make_shift, legal_aid_center):
    shift = make_shift(days_ahead(4), "morning")
    market.claim_create(task=shift.task, volunteer=provider_volunteer, by=provider)
    case = AidTaskFactory(
        organization=legal_aid_center,
        kind=TaskKind.CIVIL_REPRESENTATION,
        region=shift.task.region,
        starts_at=shift.task.starts_at - timedelta(days=1),
        ends_at=shift.task.ends_at + timedelta(days=90),
        seats=1,
        estimated_hours=Decimal("20"),
        eligible_kinds=["lawyer"],
    )

    assert provider_volunteer in [c.volunteer for c in assignment_candidates(task=case, now=timezone.now())]
    claim = market.task_assign(task=case, volunteer=provider_volunteer, by=coordinator)
    assert claim.status == ClaimStatus.ACCEPTED
