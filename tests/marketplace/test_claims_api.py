"""The claim endpoints of API.md, each with its matrix."""

import pytest

from marketplace.models import AidTask, Claim, ClaimStatus, TaskStatus
from tests.factories import AidTaskFactory, ClaimFactory, UserFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


def snapshot():
    return list(AidTask.objects.order_by("pk").values()), list(Claim.objects.order_by("pk").values())


@pytest.fixture
def accepted(open_task, provider_volunteer):
    AidTask.objects.filter(pk=open_task.pk).update(seats_taken=1)
    return ClaimFactory(task=open_task, volunteer=provider_volunteer, status=ClaimStatus.ACCEPTED)


@pytest.fixture
def requested(open_task, make_provider):
    return ClaimFactory(task=open_task, volunteer=make_provider(), status=ClaimStatus.REQUESTED)


# --- POST /tasks/{id}/claims/ ------------------------------------------------------------------


def test_a_verified_provider_claims_an_open_task(api_as, provider, open_task):
    response = api_as(provider).post(f"/api/v1/tasks/{open_task.pk}/claims/")
    assert response.status_code == 201
    assert response.json()["status"] == "accepted" and response.json()["task"] == open_task.pk


def test_claiming_anonymously_is_401(api, open_task):
    assert api.post(f"/api/v1/tasks/{open_task.pk}/claims/").status_code == 401


def test_claiming_without_a_provider_profile_is_403_not_eligible_with_a_reason(api_as, stranger, open_task):
    response = api_as(stranger).post(f"/api/v1/tasks/{open_task.pk}/claims/")
    assert response.status_code == 403 and response.json()["code"] == "not_eligible"
    assert "provider" in response.json()["detail"]
    assert not Claim.objects.exists()


def test_claiming_a_draft_is_404(api_as, provider, legal_aid_center):
    draft = AidTaskFactory(organization=legal_aid_center, status=TaskStatus.DRAFT)
    assert api_as(provider).post(f"/api/v1/tasks/{draft.pk}/claims/").status_code == 404


def test_claiming_a_cancelled_task_is_409_task_closed(api_as, provider, open_task):
    AidTask.objects.filter(pk=open_task.pk).update(status=TaskStatus.CANCELLED)
    response = api_as(provider).post(f"/api/v1/tasks/{open_task.pk}/claims/")
    assert response.status_code == 409 and response.json()["code"] == "task_closed"
    assert not Claim.objects.exists()


def test_claiming_twice_is_409_already_claimed(api_as, provider, open_task):
    api_as(provider).post(f"/api/v1/tasks/{open_task.pk}/claims/")
    response = api_as(provider).post(f"/api/v1/tasks/{open_task.pk}/claims/")
    assert response.status_code == 409 and response.json()["code"] == "already_claimed"
    assert Claim.objects.count() == 1


def test_get_on_the_claim_action_is_405(api_as, provider, open_task):
    assert api_as(provider).get(f"/api/v1/tasks/{open_task.pk}/claims/").status_code == 405


# --- GET /claims/ ------------------------------------------------------------------------------


def test_the_provider_lists_its_own_claims_and_the_coordinator_its_organisations(
    api_as, provider, coordinator, outsider, accepted, other_org
):
    elsewhere = ClaimFactory(task=AidTaskFactory(organization=other_org))
    assert [c["id"] for c in api_as(provider).get("/api/v1/claims/").json()["results"]] == [accepted.pk]
    assert [c["id"] for c in api_as(coordinator).get("/api/v1/claims/").json()["results"]] == [accepted.pk]
    assert [c["id"] for c in api_as(outsider).get("/api/v1/claims/").json()["results"]] == [elsewhere.pk]


def test_listing_claims_anonymously_is_401(api):
    assert api.get("/api/v1/claims/").status_code == 401


def test_claims_filter_by_status_task_and_volunteer(api_as, coordinator, accepted, requested, open_task):
    client = api_as(coordinator)
    assert [c["id"] for c in client.get("/api/v1/claims/?status=requested").json()["results"]] == [requested.pk]
    assert client.get(f"/api/v1/claims/?task={open_task.pk}").json()["count"] == 2
    vol = f"/api/v1/claims/?volunteer={accepted.volunteer_id}"
    assert [c["id"] for c in client.get(vol).json()["results"]] == [accepted.pk]
    assert client.get(f"/api/v1/claims/?task={2**70}").json()["count"] == 0
    assert client.get("/api/v1/claims/?status=bogus").status_code == 400


@pytest.mark.parametrize("page_size", [10, 100])
def test_the_claim_list_runs_a_fixed_number_of_queries(
    api_as, coordinator, open_task, page_size, django_assert_max_num_queries
):
    for _ in range(30):
        ClaimFactory(task=open_task, status=ClaimStatus.WAITLISTED)
    client = api_as(coordinator)
    with django_assert_max_num_queries(4):
        response = client.get(f"/api/v1/claims/?page_size={page_size}")
    assert len(response.json()["results"]) == min(page_size, 30)


def test_another_organisations_claim_is_404(api_as, outsider, accepted):
    assert api_as(outsider).get(f"/api/v1/claims/{accepted.pk}/").status_code == 404


# --- accept / decline --------------------------------------------------------------------------


def test_the_coordinator_accepts_a_requested_claim(api_as, coordinator, requested):
    response = api_as(coordinator).post(f"/api/v1/claims/{requested.pk}/accept/")
    assert response.status_code == 200 and response.json()["status"] == "accepted"


def test_accept_matrix(api, api_as, outsider, provider, requested, accepted, coordinator):
    before = snapshot()
    assert api.post(f"/api/v1/claims/{requested.pk}/accept/").status_code == 401
    assert api_as(outsider).post(f"/api/v1/claims/{requested.pk}/accept/").status_code == 404
    # The provider sees its own claim but may not accept it.
    response = api_as(provider).post(f"/api/v1/claims/{accepted.pk}/accept/")
    assert response.status_code == 403
    response = api_as(coordinator).post(f"/api/v1/claims/{accepted.pk}/accept/")
    assert response.status_code == 409 and response.json()["code"] == "claim_not_pending"
    assert api_as(coordinator).get(f"/api/v1/claims/{requested.pk}/accept/").status_code == 405
    assert snapshot() == before


def test_the_coordinator_declines_with_a_reason(api_as, coordinator, requested):
    response = api_as(coordinator).post(
        f"/api/v1/claims/{requested.pk}/decline/", {"reason": "经验不符"}, format="json"
    )
    assert response.status_code == 200 and response.json()["reason"] == "经验不符"


def test_decline_matrix(api, api_as, outsider, provider, requested, accepted, coordinator):
    before = snapshot()
    assert api.post(f"/api/v1/claims/{requested.pk}/decline/").status_code == 401
    assert api_as(outsider).post(f"/api/v1/claims/{requested.pk}/decline/").status_code == 404
    response = api_as(provider).post(f"/api/v1/claims/{accepted.pk}/decline/", {"reason": "x"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "not_assignment"
    response = api_as(coordinator).post(f"/api/v1/claims/{accepted.pk}/decline/")
    assert response.status_code == 409
    response = api_as(coordinator).post(f"/api/v1/claims/{requested.pk}/decline/", {"reason": "x" * 501}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    assert snapshot() == before


# --- withdraw ----------------------------------------------------------------------------------


def test_the_provider_withdraws_and_the_waitlist_is_promoted(api_as, provider, accepted, open_task):
    AidTask.objects.filter(pk=open_task.pk).update(seats=1, status=TaskStatus.FILLED)
    waiting = ClaimFactory(task=open_task, status=ClaimStatus.WAITLISTED)
    response = api_as(provider).post(f"/api/v1/claims/{accepted.pk}/withdraw/", {"reason": "生病"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    waiting.refresh_from_db()
    assert waiting.status == ClaimStatus.ACCEPTED


def test_withdraw_matrix(api, api_as, outsider, coordinator, accepted, provider, regions):
    before = snapshot()
    assert api.post(f"/api/v1/claims/{accepted.pk}/withdraw/").status_code == 401
    assert api_as(outsider).post(f"/api/v1/claims/{accepted.pk}/withdraw/").status_code == 404
    someone = VolunteerFactory(user=UserFactory(), region=regions["tianning"]).user
    assert api_as(someone).post(f"/api/v1/claims/{accepted.pk}/withdraw/").status_code == 404
    assert api_as(coordinator).post(f"/api/v1/claims/{accepted.pk}/withdraw/").status_code == 403
    assert api_as(provider).get(f"/api/v1/claims/{accepted.pk}/withdraw/").status_code == 405
    bad = api_as(provider).post(f"/api/v1/claims/{accepted.pk}/withdraw/", {"reason": ["x"]}, format="json")
    assert bad.status_code == 400 and "reason" in bad.json()
    assert snapshot() == before
    api_as(provider).post(f"/api/v1/claims/{accepted.pk}/withdraw/")
    response = api_as(provider).post(f"/api/v1/claims/{accepted.pk}/withdraw/")
    assert response.status_code == 409 and response.json()["code"] == "claim_closed"


# --- confirm-no-conflict -----------------------------------------------------------------------


def test_confirm_no_conflict_matrix(api, api_as, outsider, coordinator, accepted, requested, provider):
    assert api.post(f"/api/v1/claims/{accepted.pk}/confirm-no-conflict/").status_code == 401
    assert api_as(outsider).post(f"/api/v1/claims/{accepted.pk}/confirm-no-conflict/").status_code == 404
    assert api_as(coordinator).post(f"/api/v1/claims/{accepted.pk}/confirm-no-conflict/").status_code == 403
    assert api_as(provider).get(f"/api/v1/claims/{accepted.pk}/confirm-no-conflict/").status_code == 405
    response = api_as(requested.volunteer.user).post(f"/api/v1/claims/{requested.pk}/confirm-no-conflict/")
    assert response.status_code == 409 and response.json()["code"] == "claim_not_accepted"
    accepted.refresh_from_db()
    assert accepted.no_conflict_confirmed_at is None
