"""GET /api/v1/tasks/?has_seats=true: only tasks with a seat left; the default lists filled ones too."""

import pytest

from marketplace.models import TaskStatus
from tests.factories import AidTaskFactory

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.json()
    return sorted(t["id"] for t in response.json()["results"])


@pytest.fixture
def free_and_full(legal_aid_center):
    free = AidTaskFactory(organization=legal_aid_center, seats=2, seats_taken=1)
    full = AidTaskFactory(organization=legal_aid_center, seats=2, seats_taken=2, status=TaskStatus.FILLED)
    return free, full


def test_has_seats_true_lists_only_tasks_with_a_seat_left(api, free_and_full):
    free, _full = free_and_full
    assert ids(api.get("/api/v1/tasks/?has_seats=true")) == [free.pk]


def test_the_api_default_and_has_seats_false_still_list_filled_tasks(api, free_and_full):
    both = sorted(t.pk for t in free_and_full)
    assert ids(api.get("/api/v1/tasks/")) == both
    assert ids(api.get("/api/v1/tasks/?has_seats=false")) == both


def test_has_seats_combines_with_the_other_filters(api, free_and_full, legal_aid_center):
    free, _full = free_and_full
    AidTaskFactory(organization=legal_aid_center, kind="duty_shift", seats=1, seats_taken=0)
    assert ids(api.get("/api/v1/tasks/?has_seats=true&kind=consultation")) == [free.pk]


def test_a_bad_has_seats_value_is_a_field_error(api, free_and_full):
    response = api.get("/api/v1/tasks/?has_seats=maybe")
    assert response.status_code == 400
    assert "has_seats" in response.json()


def test_the_schema_documents_has_seats(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    parameters = schema["paths"]["/api/v1/tasks/"]["get"]["parameters"]
    has_seats = next(p for p in parameters if p["name"] == "has_seats")
    assert has_seats["schema"]["type"] == "boolean"
    assert "seat" in has_seats["description"]
