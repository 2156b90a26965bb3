"""A lawyer hands an accepted shift to another lawyer; the station approves or refuses; on
approval the claim moves, never oversold, never onto a busy or non-lawyer receiver."""

import pytest

from marketplace import services as market
from marketplace.models import Claim, ClaimStatus
from marketplace.rosters.models import ShiftSwap, SwapStatus
from organizations.models import Role
from tests.factories import MembershipFactory
from tests.rosters.conftest import days_ahead

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(make_shift, provider_volunteer, provider):
    shift = make_shift(days_ahead(5), "afternoon")
    claim = market.claim_create(task=shift.task, volunteer=provider_volunteer, by=provider)
    return shift, claim


def ask(api_as, user, claim, licence, **extra):
    return api_as(user).post(f"/api/v1/claims/{claim.pk}/swap/", {"licence_number": licence, **extra}, format="json")


def test_the_station_approves_and_the_claim_moves(api_as, provider, coordinator, held, other_lawyer):
    shift, claim = held
    asked = ask(api_as, provider, claim, other_lawyer.licence_number, reason="出差")
    assert asked.status_code == 201, asked.json()
    assert asked.json()["status"] == "pending"

    approved = api_as(coordinator).post(f"/api/v1/shift-swaps/{asked.json()['id']}/approve/")

    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.WITHDRAWN
    assert claim.reason == f"经工作站同意，已交由{other_lawyer.display_name}值班。"  # asked in English
    moved = Claim.objects.get(pk=approved.json()["new_claim"])
    assert (moved.volunteer, moved.status, moved.task_id) == (other_lawyer, ClaimStatus.ACCEPTED, shift.task_id)
    shift.task.refresh_from_db()
    assert shift.task.seats_taken == 1


def test_a_notary_cannot_receive_a_shift(api_as, provider, held, notary):
    answer = ask(api_as, provider, held[1], notary.licence_number)

    assert answer.status_code == 400
    assert answer.json()["code"] == "lawyers_only"
    assert not ShiftSwap.objects.exists()


@pytest.mark.parametrize("licence", ["", "no-such-licence"])
def test_an_unknown_lawyer_is_a_field_error(api_as, provider, held, licence):
    answer = ask(api_as, provider, held[1], licence)
    assert answer.status_code == 400
    assert not ShiftSwap.objects.exists()


def test_nobody_swaps_another_lawyers_shift(api_as, held, other_lawyer):
    answer = ask(api_as, other_lawyer.user, held[1], other_lawyer.licence_number)
    assert answer.status_code == 404  # the claim is not theirs to see


def test_anonymous_is_401(api, held, other_lawyer):
    assert api.post(f"/api/v1/claims/{held[1].pk}/swap/", {"licence_number": "x"}).status_code == 401


def test_one_swap_at_a_time_per_shift(api_as, provider, held, other_lawyer):
    ask(api_as, provider, held[1], other_lawyer.licence_number)
    again = ask(api_as, provider, held[1], other_lawyer.licence_number)
    assert again.status_code == 409
    assert again.json()["code"] == "swap_pending"


def approve_matrix_swap(api_as, provider, held, other_lawyer):
    return ShiftSwap.objects.get(pk=ask(api_as, provider, held[1], other_lawyer.licence_number).json()["id"])


def test_the_asking_lawyer_may_not_approve(api_as, provider, held, other_lawyer):
    swap = approve_matrix_swap(api_as, provider, held, other_lawyer)
    answer = api_as(provider).post(f"/api/v1/shift-swaps/{swap.pk}/approve/")
    assert answer.status_code == 403
    swap.refresh_from_db()
    assert swap.status == SwapStatus.PENDING


def test_a_coordinator_who_is_the_receiving_lawyer_may_not_approve(
    api_as, provider, held, other_lawyer, legal_aid_center
):
    MembershipFactory(user=other_lawyer.user, organization=legal_aid_center, role=Role.COORDINATOR)
    swap = approve_matrix_swap(api_as, provider, held, other_lawyer)

    answer = api_as(other_lawyer.user).post(f"/api/v1/shift-swaps/{swap.pk}/approve/")

    assert answer.status_code == 403
    assert answer.json()["code"] == "own_record"


def test_another_organisation_gets_404(api_as, provider, outsider, held, other_lawyer):
    swap = approve_matrix_swap(api_as, provider, held, other_lawyer)
    assert api_as(outsider).post(f"/api/v1/shift-swaps/{swap.pk}/approve/").status_code == 404


def test_a_decided_swap_is_409(api_as, provider, coordinator, held, other_lawyer):
    swap = approve_matrix_swap(api_as, provider, held, other_lawyer)
    api_as(coordinator).post(f"/api/v1/shift-swaps/{swap.pk}/approve/")
    again = api_as(coordinator).post(f"/api/v1/shift-swaps/{swap.pk}/approve/")
    assert again.status_code == 409
    assert again.json()["code"] == "swap_not_pending"


def test_a_receiver_busy_that_half_day_is_409_and_nothing_moves(
    api_as, provider, coordinator, held, other_lawyer, make_shift
):
    shift, claim = held
    swap = approve_matrix_swap(api_as, provider, held, other_lawyer)
    elsewhere = make_shift(shift.date, "afternoon")
    market.claim_create(task=elsewhere.task, volunteer=other_lawyer, by=other_lawyer.user)

    answer = api_as(coordinator).post(f"/api/v1/shift-swaps/{swap.pk}/approve/")

    assert answer.status_code == 409
    assert answer.json()["code"] == "not_eligible"
    claim.refresh_from_db()
    swap.refresh_from_db()
    assert (claim.status, swap.status) == (ClaimStatus.ACCEPTED, SwapStatus.PENDING)
    assert not Claim.objects.filter(task=shift.task, volunteer=other_lawyer).exists()


def test_refusing_needs_a_reason_and_keeps_the_shift(api_as, provider, coordinator, held, other_lawyer):
    swap = approve_matrix_swap(api_as, provider, held, other_lawyer)
    assert api_as(coordinator).post(f"/api/v1/shift-swaps/{swap.pk}/refuse/", {}).status_code == 400

    answer = api_as(coordinator).post(f"/api/v1/shift-swaps/{swap.pk}/refuse/", {"reason": "人手不足"})

    assert answer.json()["status"] == "refused"
    held[1].refresh_from_db()
    assert held[1].status == ClaimStatus.ACCEPTED


def test_either_lawyer_withdraws_a_pending_swap(api_as, provider, held, other_lawyer):
    swap = approve_matrix_swap(api_as, provider, held, other_lawyer)
    answer = api_as(other_lawyer.user).post(f"/api/v1/shift-swaps/{swap.pk}/cancel/")
    assert answer.json()["status"] == "cancelled"
