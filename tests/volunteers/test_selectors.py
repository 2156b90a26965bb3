"""The regulator's verification queue."""

import pytest

from tests.factories import VolunteerFactory
from volunteers.models import VolunteerStatus
from volunteers.selectors import volunteers_to_verify

pytestmark = pytest.mark.django_db


def test_the_queue_holds_the_jurisdictions_providers_of_a_status_in_the_order_they_registered(
    regulator, other_regulator, provider_volunteer, regions
):
    first = VolunteerFactory(region=regions["zhonglou"], status=VolunteerStatus.PENDING)
    second = VolunteerFactory(region=regions["changzhou"], status=VolunteerStatus.PENDING)
    # Suzhou's justice bureau verifies notaries (and grassroots workers), not lawyers.
    VolunteerFactory(region=regions["suzhou"], status=VolunteerStatus.PENDING, kind="notary")
    VolunteerFactory(region=regions["suzhou"], status=VolunteerStatus.PENDING)

    assert list(volunteers_to_verify(regulator, status=VolunteerStatus.PENDING)) == [first, second]
    assert list(volunteers_to_verify(regulator, status=None)) == [provider_volunteer, first, second]
    assert len(volunteers_to_verify(other_regulator, status=VolunteerStatus.PENDING)) == 1
    assert list(volunteers_to_verify(provider_volunteer.user, status=None)) == []
