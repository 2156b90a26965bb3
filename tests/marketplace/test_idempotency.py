"""Idempotency-Key on creating POSTs: a replay returns the first answer and creates nothing."""

import pytest

from marketplace.core.models import IdempotencyRecord
from marketplace.models import AidTask, Claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def body(task_payload):
    return task_payload(seats=1)  # "another body" below asks for 2


def test_the_same_key_and_body_replays_the_first_task_and_creates_nothing(api_as, coordinator, body):
    client = api_as(coordinator)
    first = client.post("/api/v1/tasks/", body, format="json", headers={"Idempotency-Key": "k1"})
    again = client.post("/api/v1/tasks/", body, format="json", headers={"Idempotency-Key": "k1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert AidTask.objects.count() == 1


def test_the_same_key_with_another_body_is_409_idempotency_mismatch(api_as, coordinator, body):
    client = api_as(coordinator)
    client.post("/api/v1/tasks/", body, format="json", headers={"Idempotency-Key": "k1"})
    other = client.post("/api/v1/tasks/", {**body, "seats": 2}, format="json", headers={"Idempotency-Key": "k1"})
    assert other.status_code == 409 and other.json()["code"] == "idempotency_mismatch"
    assert AidTask.objects.count() == 1


def test_without_a_key_every_post_creates(api_as, coordinator, body):
    client = api_as(coordinator)
    client.post("/api/v1/tasks/", body, format="json")
    client.post("/api/v1/tasks/", body, format="json")
    assert AidTask.objects.count() == 2


def test_keys_belong_to_their_user(api_as, coordinator, body, legal_aid_center):
    from organizations.models import Role
    from tests.factories import MembershipFactory, UserFactory

    colleague = UserFactory()
    MembershipFactory(user=colleague, organization=legal_aid_center, role=Role.COORDINATOR)
    api_as(coordinator).post("/api/v1/tasks/", body, format="json", headers={"Idempotency-Key": "k1"})
    api_as(colleague).post("/api/v1/tasks/", body, format="json", headers={"Idempotency-Key": "k1"})
    assert AidTask.objects.count() == 2


def test_a_failed_request_is_not_stored_and_the_key_may_be_retried(api_as, coordinator, body):
    client = api_as(coordinator)
    bad = client.post("/api/v1/tasks/", {**body, "seats": 0}, format="json", headers={"Idempotency-Key": "k1"})
    assert bad.status_code == 400 and not IdempotencyRecord.objects.exists()
    good = client.post("/api/v1/tasks/", body, format="json", headers={"Idempotency-Key": "k1"})
    assert good.status_code == 201


def test_a_claim_replays_instead_of_409_already_claimed(api_as, provider, open_task):
    client = api_as(provider)
    first = client.post(f"/api/v1/tasks/{open_task.pk}/claims/", headers={"Idempotency-Key": "c1"})
    again = client.post(f"/api/v1/tasks/{open_task.pk}/claims/", headers={"Idempotency-Key": "c1"})
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert Claim.objects.count() == 1


def test_a_key_reused_on_another_path_is_a_mismatch(api_as, provider, open_task, legal_aid_center):
    from tests.factories import AidTaskFactory

    other = AidTaskFactory(organization=legal_aid_center, region=open_task.region)
    client = api_as(provider)
    client.post(f"/api/v1/tasks/{open_task.pk}/claims/", headers={"Idempotency-Key": "c1"})
    response = client.post(f"/api/v1/tasks/{other.pk}/claims/", headers={"Idempotency-Key": "c1"})
    assert response.status_code == 409 and response.json()["code"] == "idempotency_mismatch"


def test_assign_honours_the_key(api_as, coordinator, open_task, provider_volunteer):
    client = api_as(coordinator)
    body = {"volunteer": provider_volunteer.pk}
    for _ in range(2):
        response = client.post(
            f"/api/v1/tasks/{open_task.pk}/assign/", body, format="json", headers={"Idempotency-Key": "a1"}
        )
        assert response.status_code == 201
    assert Claim.objects.count() == 1


def test_an_overlong_key_is_400(api_as, coordinator, body):
    response = api_as(coordinator).post("/api/v1/tasks/", body, format="json", headers={"Idempotency-Key": "x" * 256})
    assert response.status_code == 400 and "Idempotency-Key" in response.json()
    assert not AidTask.objects.exists()


def test_a_lost_race_on_the_key_rolls_back_and_replays_the_winner(api_as, coordinator, body, monkeypatch):
    """Two first requests with one key at once: the loser's insert of the record fails on the unique
    key; its task is rolled back and it answers with the winner's response."""
    from marketplace.core.api import idempotency

    client = api_as(coordinator)
    winner = client.post("/api/v1/tasks/", body, format="json", headers={"Idempotency-Key": "k1"})
    real_filter = IdempotencyRecord.objects.filter
    # The loser looked before the winner stored its record: it sees none.
    monkeypatch.setattr(
        idempotency.IdempotencyRecord.objects, "filter", lambda **kw: real_filter(pk__in=[]) if "key" in kw else None
    )
    loser = client.post("/api/v1/tasks/", body, format="json", headers={"Idempotency-Key": "k1"})
    assert loser.status_code == 201 and loser.json() == winner.json()
    assert AidTask.objects.count() == 1
