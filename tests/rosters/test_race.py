"""Two swaps handing shifts of the same half-day to the same lawyer, approved at once by two
coordinators: the lawyer gets one, never both (the receiver's row lock and the overlap check
under it), on SQLite and on PostgreSQL. Real threads, each with its own connection; the control
shows the same race giving the lawyer both shifts without the receiver's lock."""

import time
from collections import Counter

import pytest

from marketplace import services as market
from marketplace.models import Claim, ClaimStatus
from marketplace.rosters import services
from tests.conftest import code_or, run_all
from tests.factories import VolunteerFactory, member
from tests.rosters.conftest import days_ahead

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def race(make_shift, regions, legal_aid_center) -> tuple[Counter, object]:
    """Two swaps of two morning shifts of one day, both to ``receiver``; both approved at once by
    two coordinators. Returns the outcomes counted and the receiver."""
    receiver = VolunteerFactory(region=regions["tianning"], user__username="receiver")
    day = days_ahead(6)
    swaps, deciders = [], []
    for n in range(2):
        shift = make_shift(day, "morning")
        holder = VolunteerFactory(region=regions["tianning"], user__username=f"holder{n}")
        claim = market.claim_create(task=shift.task, volunteer=holder, by=holder.user)
        swaps.append(services.swap_request(claim=claim, to_volunteer=receiver, by=holder.user))
        deciders.append(member(legal_aid_center, username=f"decider{n}"))

    def approve(swap_and_decider):
        swap, by = swap_and_decider
        services.swap_approve(swap=swap, by=by)

    outcomes, _elapsed = run_all(list(zip(swaps, deciders, strict=True)), code_or("approved", approve))
    return outcomes, receiver


def test_a_lawyer_receives_one_of_two_shifts_of_the_same_half_day(station, make_shift, regions, legal_aid_center):
    outcomes, receiver = race(make_shift, regions, legal_aid_center)

    assert outcomes == Counter({"approved": 1, "not_eligible": 1})
    assert Claim.objects.filter(volunteer=receiver, status=ClaimStatus.ACCEPTED).count() == 1


@pytest.mark.postgres("the control needs row locks that can be left out (SQLite serialises every writer)")
def test_control_without_the_receivers_lock_both_swaps_go_through(
    station, make_shift, regions, legal_aid_center, monkeypatch
):
    checked = services.claim_problem

    def slow_check(**kwargs):
        answer = checked(**kwargs)
        time.sleep(0.5)  # both approvals have checked before either writes
        return answer

    monkeypatch.setattr(services, "_lock_provider", lambda volunteer_id: None)
    monkeypatch.setattr(services, "claim_problem", slow_check)

    outcomes, receiver = race(make_shift, regions, legal_aid_center)

    assert outcomes == Counter({"approved": 2})
    assert Claim.objects.filter(volunteer=receiver, status=ClaimStatus.ACCEPTED).count() == 2
