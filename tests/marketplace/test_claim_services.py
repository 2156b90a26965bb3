from datetime import timedelta

import pytest

from marketplace.core.errors import Conflict, Forbidden
from marketplace.models import AidTask, Claim, ClaimStatus, TaskStatus
from marketplace.services import (
    NotEligible,
    claim_accept,
    claim_create,
    claim_decline,
    claim_withdraw,
)
from tests.factories import AidTaskFactory, ClaimFactory
from volunteers.models import VolunteerKind, VolunteerStatus

pytestmark = pytest.mark.django_db


def claim(task, volunteer, now):
    return claim_create(task=task, volunteer=volunteer, by=volunteer.user, now=now)


def test_claims_are_accepted_while_seats_remain_then_waitlisted(open_task, make_provider, now):
    first, second, third = make_provider(), make_provider(), make_provider()
    assert claim(open_task, first, now).status == ClaimStatus.ACCEPTED
    assert claim(open_task, second, now).status == ClaimStatus.ACCEPTED
    assert claim(open_task, third, now).status == ClaimStatus.WAITLISTED
    open_task.refresh_from_db()
    assert (open_task.seats_taken, open_task.status) == (2, TaskStatus.FILLED)


def test_a_task_requiring_approval_gets_requested_claims(open_task, make_provider, now):
    AidTask.objects.filter(pk=open_task.pk).update(requires_approval=True)
    open_task.refresh_from_db()
    assert claim(open_task, make_provider(), now).status == ClaimStatus.REQUESTED
    open_task.refresh_from_db()
    assert open_task.seats_taken == 0


def test_withdrawing_an_accepted_claim_promotes_the_oldest_waitlisted_and_reopens_seats(open_task, make_provider, now):
    a, b, c, d = (make_provider() for _ in range(4))
    first = claim(open_task, a, now)
    claim(open_task, b, now)
    oldest_waiting = claim(open_task, c, now)
    claim(open_task, d, now)
    claim_withdraw(claim=first, reason="ill", by=a.user, now=now)
    oldest_waiting.refresh_from_db()
    open_task.refresh_from_db()
    assert oldest_waiting.status == ClaimStatus.ACCEPTED
    assert open_task.seats_taken == 2 and open_task.status == TaskStatus.FILLED
    assert Claim.objects.get(volunteer=d).status == ClaimStatus.WAITLISTED


def test_a_filled_task_opens_again_when_a_seat_frees_without_waitlist(open_task, make_provider, now):
    a, b = make_provider(), make_provider()
    first = claim(open_task, a, now)
    claim(open_task, b, now)
    claim_withdraw(claim=first, by=a.user, now=now)
    open_task.refresh_from_db()
    assert (open_task.status, open_task.seats_taken) == (TaskStatus.OPEN, 1)


def test_one_live_claim_per_provider_and_task(open_task, provider_volunteer, now):
    claim(open_task, provider_volunteer, now)
    with pytest.raises(Conflict) as err:
        claim(open_task, provider_volunteer, now)
    assert err.value.code == "already_claimed"
    assert Claim.objects.count() == 1


def test_a_withdrawn_provider_may_claim_again(open_task, provider_volunteer, now):
    first = claim(open_task, provider_volunteer, now)
    claim_withdraw(claim=first, by=provider_volunteer.user, now=now)
    assert claim(open_task, provider_volunteer, now).status == ClaimStatus.ACCEPTED


@pytest.mark.parametrize("status", [TaskStatus.DRAFT, TaskStatus.CANCELLED, TaskStatus.COMPLETED])
def test_a_task_not_open_refuses_claims_with_task_closed(open_task, provider_volunteer, now, status):
    AidTask.objects.filter(pk=open_task.pk).update(status=status)
    with pytest.raises(Conflict) as err:
        claim(open_task, provider_volunteer, now)
    assert err.value.code == "task_closed"
    assert not Claim.objects.exists()


def test_an_unverified_provider_is_not_eligible_and_told_why(open_task, make_provider, now):
    pending = make_provider(status=VolunteerStatus.PENDING)
    with pytest.raises(NotEligible) as err:
        claim(open_task, pending, now)
    assert err.value.code == "not_eligible" and "verified" in err.value.detail


def test_a_provider_of_another_kind_is_not_eligible(open_task, make_provider, now):
    notary = make_provider(kind=VolunteerKind.NOTARY)
    with pytest.raises(NotEligible) as err:
        claim(open_task, notary, now)
    assert "your profile is Notary" in err.value.detail


def test_a_provider_from_another_city_is_not_eligible_unless_remote(open_task, make_provider, regions, now):
    suzhou = make_provider(region=regions["suzhou"])
    with pytest.raises(NotEligible) as err:
        claim(open_task, suzhou, now)
    assert "苏州市" in err.value.detail
    AidTask.objects.filter(pk=open_task.pk).update(is_remote=True)
    open_task.refresh_from_db()
    assert claim(open_task, suzhou, now).status == ClaimStatus.ACCEPTED


def test_a_city_level_provider_may_claim_a_district_task(open_task, make_provider, regions, now):
    city = make_provider(region=regions["changzhou"])
    assert claim(open_task, city, now).status == ClaimStatus.ACCEPTED


def test_claims_after_the_deadline_are_not_eligible(open_task, provider_volunteer, now):
    with pytest.raises(NotEligible) as err:
        claim(open_task, provider_volunteer, open_task.claim_deadline + timedelta(minutes=1))
    assert "deadline" in err.value.detail


def test_an_overlapping_accepted_duty_makes_a_provider_not_eligible(open_task, provider_volunteer, now):
    other = AidTaskFactory(
        organization=open_task.organization,
        region=open_task.region,
        starts_at=open_task.starts_at + timedelta(hours=1),
        ends_at=open_task.ends_at + timedelta(hours=1),
    )
    ClaimFactory(task=other, volunteer=provider_volunteer, status=ClaimStatus.ACCEPTED)
    with pytest.raises(NotEligible) as err:
        claim(open_task, provider_volunteer, now)
    assert other.title in err.value.detail


def test_back_to_back_duties_are_allowed(open_task, provider_volunteer, now):
    before = AidTaskFactory(
        organization=open_task.organization,
        region=open_task.region,
        starts_at=open_task.starts_at - timedelta(hours=2),
        ends_at=open_task.starts_at,
    )
    ClaimFactory(task=before, volunteer=provider_volunteer, status=ClaimStatus.ACCEPTED)
    assert claim(open_task, provider_volunteer, now).status == ClaimStatus.ACCEPTED


def test_a_user_without_provider_profile_is_not_eligible(open_task, stranger, now):
    with pytest.raises(NotEligible) as err:
        claim_create(task=open_task, volunteer=None, by=stranger, now=now)
    assert "provider profile" in err.value.detail


def test_the_coordinator_accepts_a_requested_claim_while_a_seat_is_free(open_task, make_provider, coordinator, now):
    AidTask.objects.filter(pk=open_task.pk).update(requires_approval=True, seats=1)
    open_task.refresh_from_db()
    first, second = claim(open_task, make_provider(), now), claim(open_task, make_provider(), now)
    claim_accept(claim=first, by=coordinator, now=now)
    with pytest.raises(Conflict) as err:
        claim_accept(claim=second, by=coordinator, now=now)
    assert err.value.code == "task_full"
    open_task.refresh_from_db()
    assert (open_task.seats_taken, open_task.status) == (1, TaskStatus.FILLED)
    claim_decline(claim=second, reason="full", by=coordinator, now=now)
    second.refresh_from_db()
    assert second.status == ClaimStatus.DECLINED and second.reason == "full"


def test_accepting_an_accepted_claim_is_a_conflict(open_task, provider_volunteer, coordinator, now):
    accepted = claim(open_task, provider_volunteer, now)
    with pytest.raises(Conflict) as err:
        claim_accept(claim=accepted, by=coordinator, now=now)
    assert err.value.code == "claim_not_pending"


def test_only_the_coordinator_of_the_task_accepts(open_task, make_provider, outsider, now):
    AidTask.objects.filter(pk=open_task.pk).update(requires_approval=True)
    open_task.refresh_from_db()
    requested = claim(open_task, make_provider(), now)
    with pytest.raises(Forbidden):
        claim_accept(claim=requested, by=outsider, now=now)
    requested.refresh_from_db()
    assert requested.status == ClaimStatus.REQUESTED


def test_withdrawing_someone_elses_claim_is_forbidden(open_task, provider_volunteer, make_provider, now):
    theirs = claim(open_task, provider_volunteer, now)
    intruder = make_provider()
    with pytest.raises(Forbidden):
        claim_withdraw(claim=theirs, by=intruder.user, now=now)
    theirs.refresh_from_db()
    assert theirs.status == ClaimStatus.ACCEPTED


def test_withdrawing_twice_is_a_conflict(open_task, provider_volunteer, now):
    mine = claim(open_task, provider_volunteer, now)
    claim_withdraw(claim=mine, by=provider_volunteer.user, now=now)
    with pytest.raises(Conflict) as err:
        claim_withdraw(claim=mine, by=provider_volunteer.user, now=now)
    assert err.value.code == "claim_closed"


def test_a_task_without_deadline_takes_claims_until_it_starts(open_task, provider_volunteer, now):
    AidTask.objects.filter(pk=open_task.pk).update(claim_deadline=None)
    open_task.refresh_from_db()
    with pytest.raises(NotEligible) as err:
        claim(open_task, provider_volunteer, open_task.starts_at)
    assert "started" in err.value.detail
    assert claim(open_task, provider_volunteer, open_task.starts_at - timedelta(minutes=1)).status == "accepted"


def test_a_refused_second_claim_gives_back_the_seat_it_took(open_task, provider_volunteer, now):
    claim(open_task, provider_volunteer, now)
    with pytest.raises(Conflict) as err:
        claim(open_task, provider_volunteer, now)
    assert err.value.code == "already_claimed"
    open_task.refresh_from_db()
    assert (open_task.seats_taken, open_task.status) == (1, TaskStatus.OPEN)


def test_a_second_claim_while_waitlisted_is_already_claimed(open_task, make_provider, now):
    for _ in range(open_task.seats):
        claim(open_task, make_provider(), now)
    waiting = make_provider()
    assert claim(open_task, waiting, now).status == ClaimStatus.WAITLISTED
    with pytest.raises(Conflict) as err:
        claim(open_task, waiting, now)
    assert err.value.code == "already_claimed"
    assert Claim.objects.filter(volunteer=waiting).count() == 1


def test_a_completed_claim_on_the_task_counts_as_live(open_task, provider_volunteer, now):
    ClaimFactory(task=open_task, volunteer=provider_volunteer, status=ClaimStatus.COMPLETED)
    with pytest.raises(Conflict) as err:
        claim(open_task, provider_volunteer, now)
    assert err.value.code == "already_claimed"
    open_task.refresh_from_db()
    assert open_task.seats_taken == 0


def test_a_seat_freed_after_the_caller_read_the_task_full_is_taken(open_task, make_provider, now):
    first = claim(open_task, make_provider(), now)
    claim(open_task, make_provider(), now)
    stale = AidTask.objects.get(pk=open_task.pk)  # read as filled
    claim_withdraw(claim=first, by=first.volunteer.user, now=now)
    assert claim(stale, make_provider(), now).status == ClaimStatus.ACCEPTED
    open_task.refresh_from_db()
    assert (open_task.seats_taken, open_task.status) == (2, TaskStatus.FILLED)
