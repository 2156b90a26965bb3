"""The task endpoints of API.md, each with its matrix."""

from datetime import timedelta

import pytest

from marketplace.models import AidTask, Claim, ClaimStatus, TaskStatus
from tests.factories import AidTaskFactory, ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def body(task_payload, now):
    """Every field a task takes."""
    return task_payload(
        summary="Wage arrears",
        location="天宁区茶山街道",
        is_remote=False,
        claim_deadline=(now + timedelta(days=4)).isoformat(),
        eligible_kinds=["lawyer", "law_student"],
        requires_approval=False,
        confidential={"name": "李四", "phone": "13800000000"},
    )


@pytest.fixture
def draft(legal_aid_center, regions):
    return AidTaskFactory(organization=legal_aid_center, region=regions["tianning"], status=TaskStatus.DRAFT)


def snapshot():
    return list(AidTask.objects.order_by("pk").values()), list(Claim.objects.order_by("pk").values())


# --- POST /tasks/ ------------------------------------------------------------------------------


def test_a_coordinator_creates_a_draft_task(api_as, coordinator, body):
    response = api_as(coordinator).post("/api/v1/tasks/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "draft" and data["seats_left"] == 2 and data["has_confidential"] is True
    assert data["confidential"] is None  # the create answer is not a reveal
    assert data["estimated_hours"] == "3.00"


def test_creating_with_publish_opens_the_task(api_as, coordinator, body):
    response = api_as(coordinator).post("/api/v1/tasks/", {**body, "publish": True}, format="json")
    assert response.json()["status"] == "open"


def test_creating_anonymously_is_401(api, body):
    response = api.post("/api/v1/tasks/", body, format="json")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("who", ["provider", "outsider"])
def test_creating_for_an_organisation_one_does_not_coordinate_is_403(api_as, body, who, request):
    response = api_as(request.getfixturevalue(who)).post("/api/v1/tasks/", body, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert not AidTask.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "astrology"}, "kind"),
        ({"seats": 0}, "seats"),
        ({"estimated_hours": "abc"}, "estimated_hours"),
        ({"estimated_hours": "0"}, "estimated_hours"),
        ({"eligible_kinds": ["wizard"]}, "eligible_kinds"),
        ({"region": "999999"}, "region"),
        ({"organization": 999999}, "organization"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"confidential": "a string"}, "confidential"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_creates_nothing(api_as, coordinator, body, change, field):
    response = api_as(coordinator).post("/api/v1/tasks/", {**body, **change}, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not AidTask.objects.exists()


def test_reversed_dates_are_400_on_ends_at(api_as, coordinator, body):
    response = api_as(coordinator).post(
        "/api/v1/tasks/", {**body, "ends_at": body["starts_at"], "starts_at": body["ends_at"]}, format="json"
    )
    assert response.status_code == 400 and "ends_at" in response.json()
    assert not AidTask.objects.exists()


def test_a_deadline_after_the_start_is_400(api_as, coordinator, body):
    response = api_as(coordinator).post("/api/v1/tasks/", {**body, "claim_deadline": body["ends_at"]}, format="json")
    assert response.status_code == 400 and "claim_deadline" in response.json()


@pytest.mark.parametrize("method", ["put", "delete"])
def test_put_and_delete_are_405(api_as, coordinator, open_task, method):
    response = getattr(api_as(coordinator), method)(f"/api/v1/tasks/{open_task.pk}/", {}, format="json")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"


# --- GET /tasks/{id}/ --------------------------------------------------------------------------


def test_anyone_reads_an_open_task_without_its_confidential_details(api, open_task):
    response = api.get(f"/api/v1/tasks/{open_task.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert (data["seats_taken"], data["seats_left"], data["status"], data["confidential"]) == (0, 2, "open", None)


@pytest.mark.parametrize("who", [None, "outsider", "provider", "regulator"])
def test_a_draft_is_404_outside_its_organisation(api, api_as, draft, who, request):
    client = api if who is None else api_as(request.getfixturevalue(who))
    response = client.get(f"/api/v1/tasks/{draft.pk}/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_coordinator_reads_its_draft(api_as, coordinator, draft):
    assert api_as(coordinator).get(f"/api/v1/tasks/{draft.pk}/").status_code == 200


@pytest.mark.parametrize("pk", ["0", "abc", str(2**64), "-1"])
def test_ids_that_cannot_exist_are_404(api, pk):
    assert api.get(f"/api/v1/tasks/{pk}/").status_code == 404


# --- PATCH /tasks/{id}/ ------------------------------------------------------------------------


def test_the_coordinator_edits_a_task(api_as, coordinator, open_task):
    response = api_as(coordinator).patch(f"/api/v1/tasks/{open_task.pk}/", {"seats": 5}, format="json")
    assert response.status_code == 200 and response.json()["seats_left"] == 5


def test_editing_anonymously_is_401(api, open_task):
    assert api.patch(f"/api/v1/tasks/{open_task.pk}/", {"seats": 5}, format="json").status_code == 401


@pytest.mark.parametrize("who", ["outsider", "provider", "regulator"])
def test_editing_another_organisations_task_is_404(api_as, open_task, who, request):
    before = snapshot()
    response = api_as(request.getfixturevalue(who)).patch(f"/api/v1/tasks/{open_task.pk}/", {"seats": 5}, format="json")
    assert response.status_code == 404
    assert snapshot() == before


def test_editing_with_bad_input_is_400(api_as, coordinator, open_task):
    before = snapshot()
    response = api_as(coordinator).patch(f"/api/v1/tasks/{open_task.pk}/", {"seats": "many"}, format="json")
    assert response.status_code == 400 and "seats" in response.json()
    response = api_as(coordinator).patch(
        f"/api/v1/tasks/{open_task.pk}/", {"ends_at": open_task.starts_at.isoformat()}, format="json"
    )
    assert response.status_code == 400 and "ends_at" in response.json()
    assert snapshot() == before


def test_fewer_seats_than_accepted_claims_is_409(api_as, coordinator, open_task):
    ClaimFactory.create_batch(2, task=open_task, status=ClaimStatus.ACCEPTED)
    AidTask.objects.filter(pk=open_task.pk).update(seats_taken=2, status=TaskStatus.FILLED)
    before = snapshot()
    response = api_as(coordinator).patch(f"/api/v1/tasks/{open_task.pk}/", {"seats": 1}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "seats_below_accepted"
    assert snapshot() == before


def test_editing_a_cancelled_task_is_409(api_as, coordinator, open_task):
    AidTask.objects.filter(pk=open_task.pk).update(status=TaskStatus.CANCELLED)
    response = api_as(coordinator).patch(f"/api/v1/tasks/{open_task.pk}/", {"title": "x"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "task_closed"


# --- publish / cancel / complete ---------------------------------------------------------------


def test_the_coordinator_publishes_a_draft(api_as, coordinator, draft):
    response = api_as(coordinator).post(f"/api/v1/tasks/{draft.pk}/publish/")
    assert response.status_code == 200 and response.json()["status"] == "open"


def test_publishing_an_open_task_is_409(api_as, coordinator, open_task):
    response = api_as(coordinator).post(f"/api/v1/tasks/{open_task.pk}/publish/")
    assert response.status_code == 409 and response.json()["code"] == "task_not_draft"


@pytest.mark.parametrize("action", ["publish", "cancel", "complete"])
def test_state_changes_are_401_anonymous_404_for_others_405_on_get(api, api_as, outsider, draft, action):
    before = snapshot()
    assert api.post(f"/api/v1/tasks/{draft.pk}/{action}/", {"reason": "x"}, format="json").status_code == 401
    response = api_as(outsider).post(f"/api/v1/tasks/{draft.pk}/{action}/", {"reason": "x"}, format="json")
    assert response.status_code == 404
    assert api_as(outsider).get(f"/api/v1/tasks/{draft.pk}/{action}/").status_code == 405
    assert snapshot() == before


def test_the_coordinator_cancels_with_a_reason(api_as, coordinator, open_task):
    ClaimFactory(task=open_task, status=ClaimStatus.ACCEPTED)
    response = api_as(coordinator).post(f"/api/v1/tasks/{open_task.pk}/cancel/", {"reason": "暴雨"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert response.json()["cancel_reason"] == "暴雨"
    assert Claim.objects.get().status == ClaimStatus.CANCELLED


def test_cancelling_without_a_reason_is_400(api_as, coordinator, open_task):
    response = api_as(coordinator).post(f"/api/v1/tasks/{open_task.pk}/cancel/", {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    open_task.refresh_from_db()
    assert open_task.status == TaskStatus.OPEN


def test_completing_a_started_task(api_as, coordinator, open_task):
    AidTask.objects.filter(pk=open_task.pk).update(
        starts_at=open_task.starts_at - timedelta(days=8),
        ends_at=open_task.ends_at - timedelta(days=8),
        claim_deadline=None,
    )
    response = api_as(coordinator).post(f"/api/v1/tasks/{open_task.pk}/complete/")
    assert response.status_code == 200 and response.json()["status"] == "completed"


def test_completing_a_draft_is_409(api_as, coordinator, draft):
    response = api_as(coordinator).post(f"/api/v1/tasks/{draft.pk}/complete/")
    assert response.status_code == 409 and response.json()["code"] == "task_not_open"


@pytest.mark.parametrize(
    "change",
    [
        {"organization": 2**70},
        {"region": "x" * 1000},
        {"seats": 2**40},
        {"estimated_hours": "1e400"},
        {"starts_at": "0001-01-01T00:00:00+14:00"},
        {"eligible_kinds": "lawyer"},
        {"title": "nul\x00byte"},
    ],
)
def test_hostile_input_is_400_never_500(api_as, coordinator, body, change):
    response = api_as(coordinator).post("/api/v1/tasks/", {**body, **change}, format="json")
    assert response.status_code == 400
    assert set(change) <= set(response.json())
    assert not AidTask.objects.exists()


def test_a_body_that_is_not_an_object_is_400(api_as, coordinator):
    response = api_as(coordinator).post("/api/v1/tasks/", [1, 2], format="json")
    assert response.status_code == 400
