"""Reads of claims for the pages: each starts from what the caller may see."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.models import ClaimStatus
from marketplace.selectors import ProviderClaims, claims_of_provider, claims_on_task, listed_candidate, live_claim_on
from tests.factories import AidTaskFactory, ClaimFactory, RegionFactory

pytestmark = pytest.mark.django_db


def test_the_claims_on_a_task_in_the_order_they_were_made(coordinator, outsider, open_task, make_provider):
    first = ClaimFactory(task=open_task, volunteer=make_provider())
    second = ClaimFactory(task=open_task, volunteer=make_provider(), status=ClaimStatus.WITHDRAWN)
    ClaimFactory(volunteer=first.volunteer)  # another task's

    assert list(claims_on_task(coordinator, open_task)) == [first, second]
    assert list(claims_on_task(outsider, open_task)) == []


def test_a_providers_live_claim_on_a_task(provider, provider_volunteer, open_task):
    assert live_claim_on(provider, open_task, provider_volunteer) is None
    ClaimFactory(task=open_task, volunteer=provider_volunteer, status=ClaimStatus.WITHDRAWN)
    assert live_claim_on(provider, open_task, provider_volunteer) is None

    live = ClaimFactory(task=open_task, volunteer=provider_volunteer, status=ClaimStatus.WAITLISTED)

    assert live_claim_on(provider, open_task, provider_volunteer) == live


def test_a_providers_claims_live_by_start_and_past_latest_first(provider, stranger, provider_volunteer):
    now = timezone.now()
    later = ClaimFactory(volunteer=provider_volunteer, task=AidTaskFactory(starts_at=now + timedelta(days=9)))
    sooner = ClaimFactory(
        volunteer=provider_volunteer,
        task=AidTaskFactory(starts_at=now + timedelta(days=2)),
        status=ClaimStatus.REQUESTED,
    )
    done, withdrawn, declined = (
        ClaimFactory(volunteer=provider_volunteer, status=status)
        for status in (ClaimStatus.COMPLETED, ClaimStatus.WITHDRAWN, ClaimStatus.DECLINED)
    )

    claims = claims_of_provider(provider, provider_volunteer, past_limit=2)

    assert isinstance(claims, ProviderClaims)
    assert claims.live == [sooner, later]
    assert claims.past == [declined, withdrawn]
    assert done not in claims.past  # the oldest change is past the limit
    assert claims_of_provider(stranger, provider_volunteer, past_limit=2) == ProviderClaims(live=[], past=[])


def test_the_posted_provider_is_taken_only_from_the_listed_candidates(open_task, provider_volunteer, make_provider):
    now = timezone.now()
    elsewhere = make_provider(region=RegionFactory(code="110101", name="东城区", path="110000/110101/"))

    assert listed_candidate(task=open_task, volunteer_id=str(provider_volunteer.pk), now=now) == provider_volunteer
    assert listed_candidate(task=open_task, volunteer_id=str(elsewhere.pk), now=now) is None
    assert listed_candidate(task=open_task, volunteer_id="not a number", now=now) is None
