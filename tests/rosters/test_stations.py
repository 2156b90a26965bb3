"""Stations: added by coordinators of a legal aid centre or a station organisation, within its
region; a station organisation's shifts are paid by the legal aid centre above it."""

import pytest
from django.utils import timezone

from marketplace.rosters.models import DutyStation, StationKind
from marketplace.rosters.services import paying_centre
from organizations.models import OrganizationKind, Role
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/duty-stations/"


def body(org, region, **overrides):
    return {
        "organization": org.pk,
        "name": "常州市看守所法律援助工作站",
        "kind": "detention_centre",
        "region": region.code,
    } | overrides


def test_the_centre_adds_a_station_anyone_reads(api, api_as, coordinator, legal_aid_center, regions):
    answer = api_as(coordinator).post(URL, body(legal_aid_center, regions["tianning"]), format="json")

    assert answer.status_code == 201, answer.json()
    assert answer.json()["kind"] == "detention_centre"
    assert api.get(URL).json()["count"] == 1
    assert api.get(f"{URL}{answer.json()['id']}/").status_code == 200


def test_a_trade_union_runs_no_station(api_as, outsider, other_org, regions):
    answer = api_as(outsider).post(URL, body(other_org, regions["zhonglou"]), format="json")
    assert answer.status_code == 403
    assert answer.json()["code"] == "not_station_operator"
    assert not DutyStation.objects.exists()


def test_a_region_outside_the_centres_is_400(api_as, coordinator, legal_aid_center, regions):
    answer = api_as(coordinator).post(URL, body(legal_aid_center, regions["suzhou"]), format="json")
    assert answer.status_code == 400
    assert "region" in answer.json()


def test_another_organisations_station_is_403_and_anonymous_401(api, api_as, provider, legal_aid_center, regions):
    assert api.post(URL, body(legal_aid_center, regions["tianning"]), format="json").status_code == 401
    assert api_as(provider).post(URL, body(legal_aid_center, regions["tianning"]), format="json").status_code == 403


def test_a_station_organisations_shifts_are_paid_by_the_centre_above_it(legal_aid_center, regions):
    community = OrganizationFactory(kind=OrganizationKind.COMMUNITY_STATION, region=regions["tianning"])
    user = UserFactory(username="station_coordinator")
    MembershipFactory(user=user, organization=community, role=Role.COORDINATOR)
    station = DutyStation.objects.create(
        organization=community,
        name="天宁区法院联络点",
        kind=StationKind.COURT,
        region=regions["tianning"],
        created_at=timezone.now(),
    )

    assert paying_centre(station) == legal_aid_center
