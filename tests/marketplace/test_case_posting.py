"""Only legal aid centres post cases: a station registers the matter as an application instead.
And the board's time filters refuse a time the database cannot hold (400, never a 500)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.models import AidTask
from tests.conftest import CASE_KINDS
from tests.factories import AidTaskFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", CASE_KINDS)
def test_a_station_posting_a_case_is_refused_with_a_code(api_as, outsider, other_org, task_payload, regions, kind):
    body = task_payload(organization=other_org.pk, region=regions["zhonglou"].code, kind=kind)
    response = api_as(outsider).post("/api/v1/tasks/", body, format="json")
    assert response.status_code == 403 and response.json()["code"] == "cases_for_centres"
    assert not AidTask.objects.exists()


def test_a_station_still_posts_sessions_and_a_centre_posts_cases(
    api_as, outsider, other_org, coordinator, task_payload, regions
):
    body = task_payload(organization=other_org.pk, region=regions["zhonglou"].code, kind="consultation")
    assert api_as(outsider).post("/api/v1/tasks/", body, format="json").status_code == 201
    assert (
        api_as(coordinator).post("/api/v1/tasks/", task_payload(kind="civil_representation"), format="json").status_code
        == 201
    )


def test_a_station_cannot_turn_a_task_into_a_case(api_as, outsider, other_org):
    task = AidTaskFactory(organization=other_org, kind="consultation")
    response = api_as(outsider).patch(f"/api/v1/tasks/{task.pk}/", {"kind": "civil_representation"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "cases_for_centres"
    task.refresh_from_db()
    assert task.kind == "consultation"
    # A case it posted before the rule keeps its kind through other edits.
    legacy = AidTaskFactory(organization=other_org, kind="civil_representation")
    response = api_as(outsider).patch(f"/api/v1/tasks/{legacy.pk}/", {"title": "改名"}, format="json")
    assert response.status_code == 200


def test_the_page_refuses_a_station_s_case_beside_the_kind(client_as, outsider, other_org):
    start = timezone.localtime() + timedelta(days=5)
    data = {
        "organization": other_org.pk,
        "title": "离婚诉讼代理",
        "kind": "civil_representation",
        "category": "family",
        "beneficiary_group": "women",
        "region": "320404",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "seats": "1",
        "estimated_hours": "3",
        "eligible_kinds": ["lawyer"],
    }
    response = client_as(outsider).post("/desk/tasks/new/", data)
    assert response.status_code == 403
    assert "Only legal aid centres post cases" in response.content.decode()
    assert not AidTask.objects.exists()
    data["kind"] = "consultation"
    assert client_as(outsider).post("/desk/tasks/new/", data).status_code == 302


@pytest.mark.parametrize("name", ["starts_after", "starts_before"])
@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_the_board_s_time_filters_refuse_a_time_out_of_range(api, name, value):
    response = api.get("/api/v1/tasks/", {name: value})
    assert response.status_code == 400 and name in response.json()


def test_the_board_s_time_filters_take_the_extremes_that_exist(api):
    AidTaskFactory()
    assert api.get("/api/v1/tasks/", {"starts_after": "0001-01-01T00:00:00Z"}).json()["count"] == 1
    assert api.get("/api/v1/tasks/", {"starts_before": "9999-12-31T00:00:00Z"}).json()["count"] == 1
