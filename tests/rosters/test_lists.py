"""The roster lists read a fixed number of queries, whatever the page size."""

import pytest

from marketplace import services as market
from marketplace.rosters import services
from tests.factories import VolunteerFactory
from tests.rosters.conftest import days_ahead

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_station(station, make_shift, regions):
    for n in range(12):
        shift = make_shift(days_ahead(2 + n))
        lawyer = VolunteerFactory(region=regions["tianning"])
        claim = market.claim_create(task=shift.task, volunteer=lawyer, by=lawyer.user)
        other = VolunteerFactory(region=regions["tianning"])
        services.swap_request(claim=claim, to_volunteer=other, by=lawyer.user)
    return station


@pytest.mark.parametrize("path", ["/api/v1/rosters/shifts/", "/api/v1/shift-swaps/", "/api/v1/duty-stations/"])
def test_lists_read_the_same_queries_for_10_and_100(
    api_as, coordinator, busy_station, path, django_assert_max_num_queries
):
    client = api_as(coordinator)
    client.get(path)  # warm the roles
    with django_assert_max_num_queries(8):
        small = client.get(path, {"page_size": 10})
    with django_assert_max_num_queries(8):
        large = client.get(path, {"page_size": 100})
    assert small.status_code == large.status_code == 200
    assert len(large.json()["results"]) >= len(small.json()["results"])
