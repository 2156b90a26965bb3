"""``application.changed`` reaches the coordinators of the station and of the centre, after commit."""

import pytest

from marketplace.core.consumers import user_group
from tests.applications.conftest import APPLICANT

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    delivered = []
    monkeypatch.setattr(
        "marketplace.core.events._deliver", lambda groups, event: delivered.extend((group, event) for group in groups)
    )
    return delivered


def test_a_forwarded_application_is_announced_to_the_station_and_the_centre(
    api_as, register, station, station_coordinator, coordinator, sent, django_capture_on_commit_callbacks
):
    pk = register(station_coordinator, organization=station.pk).json()["id"]
    sent.clear()

    with django_capture_on_commit_callbacks(execute=True):
        api_as(station_coordinator).post(f"/api/v1/applications/{pk}/forward/")

    groups = sorted(group for group, _ in sent)
    assert groups == sorted([user_group(station_coordinator.pk), user_group(coordinator.pk)])
    event = sent[0][1]
    assert event["type"] == "application.changed"
    assert event["application"]["id"] == pk and event["application"]["status"] == "under_review"
    assert APPLICANT["name"] not in str(sent)


def test_a_refused_request_announces_nothing(
    api_as, station_coordinator, registered, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api_as(station_coordinator).post(
            f"/api/v1/applications/{registered}/decide/", {"decision": "approve"}
        )
    assert response.status_code == 404
    assert callbacks == [] and sent == []
