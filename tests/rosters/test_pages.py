"""The roster pages call the same services: the station posts shifts and records one served; a
lawyer hands a shift on."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace import services as market
from marketplace.rosters.models import DutyShift, ServedShift, ShiftSwap
from tests.factories import ClaimFactory
from tests.rosters.conftest import days_ahead

pytestmark = pytest.mark.django_db


def test_the_station_posts_shifts_from_its_page(client_as, coordinator, station):
    page = client_as(coordinator)
    assert page.get("/rosters/").status_code == 200
    answer = page.post(
        f"/rosters/stations/{station.pk}/",
        {
            "first_day": days_ahead(1).isoformat(),
            "last_day": days_ahead(7).isoformat(),
            "weekdays": ["0", "1", "2", "3", "4"],
            "half_days": ["morning"],
            "seats": "1",
        },
    )

    assert answer.status_code == 302
    assert DutyShift.objects.count() == 5


def test_a_bad_range_stays_on_the_form(client_as, coordinator, station):
    answer = client_as(coordinator).post(
        f"/rosters/stations/{station.pk}/",
        {
            "first_day": days_ahead(1).isoformat(),
            "last_day": days_ahead(200).isoformat(),
            "weekdays": ["0"],
            "half_days": ["morning"],
            "seats": "1",
        },
    )
    assert answer.status_code == 400
    assert not DutyShift.objects.exists()


def test_another_organisation_cannot_open_the_station(client_as, outsider, provider, station):
    assert client_as(outsider).get(f"/rosters/stations/{station.pk}/").status_code == 404
    assert client_as(provider).get("/rosters/").status_code == 403


def test_the_station_records_a_shift_served_on_its_page(client_as, coordinator, make_shift, provider_volunteer):
    shift = make_shift(timezone.localdate() - timedelta(days=1))
    claim = ClaimFactory(task=shift.task, volunteer=provider_volunteer)
    page = client_as(coordinator)
    assert claim.task.title in page.get(f"/rosters/stations/{shift.station_id}/").content.decode()

    answer = page.post(
        f"/rosters/claims/{claim.pk}/served/", {"help_given": ["advice", "bail_change"], "people_helped": "2"}
    )

    assert answer.status_code == 302
    assert ServedShift.objects.get(claim=claim).help_given == ["advice", "bail_change"]


def test_a_lawyer_hands_a_shift_on_from_their_page(client_as, provider, provider_volunteer, other_lawyer, make_shift):
    shift = make_shift(days_ahead(3))
    claim = market.claim_create(task=shift.task, volunteer=provider_volunteer, by=provider)
    page = client_as(provider)
    assert shift.task.title in page.get("/provider/shifts/").content.decode()

    answer = page.post(f"/provider/shifts/{claim.pk}/swap/", {"licence_number": other_lawyer.licence_number})

    assert answer.status_code == 302
    assert ShiftSwap.objects.get().to_volunteer == other_lawyer


def test_the_served_page_of_a_claim_that_is_no_shift_is_404(
    client_as, coordinator, legal_aid_center, provider_volunteer
):
    claim = ClaimFactory(task__organization=legal_aid_center, volunteer=provider_volunteer)
    assert client_as(coordinator).get(f"/rosters/claims/{claim.pk}/served/").status_code == 404
