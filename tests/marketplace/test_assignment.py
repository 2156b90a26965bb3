"""Assignment (指派): ranked candidates with reasons, assigning, and declines kept for regulators."""

from datetime import timedelta
from unittest import mock

import pytest

from marketplace.models import AidTask, Claim, ClaimStatus, TaskStatus
from marketplace.signals import quota_shortfall
from tests.factories import AidTaskFactory, ClaimFactory
from volunteers.models import VolunteerKind, VolunteerStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(legal_aid_center, regions, now):
    return AidTaskFactory(
        organization=legal_aid_center,
        region=regions["tianning"],
        category="labor_wages",
        starts_at=now + timedelta(days=7),
        seats=1,
        status=TaskStatus.OPEN,
    )


@pytest.fixture
def assigned(task, provider_volunteer, coordinator):
    AidTask.objects.filter(pk=task.pk).update(seats_taken=1, status=TaskStatus.FILLED)
    return ClaimFactory(
        task=task,
        volunteer=provider_volunteer,
        status=ClaimStatus.ACCEPTED,
        is_assignment=True,
        assigned_by=coordinator,
    )


def test_candidates_are_ranked_by_specialty_district_shortfall_and_load(
    api_as, coordinator, task, make_provider, regions, now
):
    best = make_provider(specialties=["labor_wages"], region=regions["tianning"])
    city = make_provider(specialties=["labor_wages"], region=regions["changzhou"])
    generalist = make_provider(specialties=["family"], region=regions["tianning"])
    busy = make_provider(specialties=["family"], region=regions["tianning"])
    ClaimFactory(volunteer=busy, status=ClaimStatus.ACCEPTED, task=AidTaskFactory(starts_at=now + timedelta(days=30)))
    make_provider(kind=VolunteerKind.NOTARY)  # not eligible by kind
    make_provider(status=VolunteerStatus.PENDING)  # not verified
    make_provider(region=regions["suzhou"])  # another city
    shortfalls = {best.pk: 10, city.pk: 50, generalist.pk: 0, busy.pk: 0}
    # The shortfall comes through the marketplace's hook, which the duties app answers.
    with mock.patch.object(
        quota_shortfall, "_answer", side_effect=lambda **kw: {k: shortfalls[k] for k in kw["volunteer_ids"]}
    ):
        response = api_as(coordinator).get(f"/api/v1/tasks/{task.pk}/candidates/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["volunteer"] for r in results] == [best.pk, city.pk, generalist.pk, busy.pk]
    assert [r["rank"] for r in results] == [1, 2, 3, 4]
    codes = {r["volunteer"]: [reason["code"] for reason in r["reasons"]] for r in results}
    assert codes[best.pk] == ["specialty", "same_district", "quota_shortfall", "live_tasks"]
    assert codes[city.pk] == ["specialty", "quota_shortfall", "live_tasks"]
    assert results[3]["live_tasks"] == 1


def test_candidates_use_the_duties_shortfall(api_as, coordinator, task, make_provider):
    make_provider(specialties=["labor_wages"])
    response = api_as(coordinator).get(f"/api/v1/tasks/{task.pk}/candidates/")
    assert response.status_code == 200
    assert all("shortfall" in r for r in response.json()["results"])


def test_candidates_matrix(api, api_as, outsider, provider, task, other_org, coordinator):
    assert api.get(f"/api/v1/tasks/{task.pk}/candidates/").status_code == 401
    assert api_as(outsider).get(f"/api/v1/tasks/{task.pk}/candidates/").status_code == 404
    assert api_as(provider).get(f"/api/v1/tasks/{task.pk}/candidates/").status_code == 404
    assert api_as(coordinator).post(f"/api/v1/tasks/{task.pk}/candidates/").status_code == 405
    union_task = AidTaskFactory(organization=other_org)
    response = api_as(outsider).get(f"/api/v1/tasks/{union_task.pk}/candidates/")
    assert response.status_code == 403 and response.json()["code"] == "not_legal_aid_center"


@pytest.mark.parametrize("page_size", [10, 100])
def test_candidates_run_a_fixed_number_of_queries(
    api_as, coordinator, task, make_provider, page_size, django_assert_max_num_queries
):
    for _ in range(25):
        make_provider()
    client = api_as(coordinator)
    with django_assert_max_num_queries(8):
        response = client.get(f"/api/v1/tasks/{task.pk}/candidates/?page_size={page_size}")
    assert len(response.json()["results"]) == min(page_size, 25)


def test_the_centre_assigns_a_provider(api_as, coordinator, task, provider_volunteer):
    response = api_as(coordinator).post(
        f"/api/v1/tasks/{task.pk}/assign/", {"volunteer": provider_volunteer.pk}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["status"] == "accepted" and response.json()["is_assignment"] is True
    task.refresh_from_db()
    assert task.status == TaskStatus.FILLED


def test_assign_matrix(
    api, api_as, outsider, provider, coordinator, task, provider_volunteer, make_provider, other_org
):
    body = {"volunteer": provider_volunteer.pk}
    assert api.post(f"/api/v1/tasks/{task.pk}/assign/", body, format="json").status_code == 401
    assert api_as(outsider).post(f"/api/v1/tasks/{task.pk}/assign/", body, format="json").status_code == 404
    assert api_as(provider).post(f"/api/v1/tasks/{task.pk}/assign/", body, format="json").status_code == 404
    bad = api_as(coordinator).post(f"/api/v1/tasks/{task.pk}/assign/", {"volunteer": 10**6}, format="json")
    assert bad.status_code == 400 and "volunteer" in bad.json()
    notary = make_provider(kind=VolunteerKind.NOTARY)
    refused = api_as(coordinator).post(f"/api/v1/tasks/{task.pk}/assign/", {"volunteer": notary.pk}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "not_eligible"
    union_task = AidTaskFactory(organization=other_org)
    response = api_as(outsider).post(f"/api/v1/tasks/{union_task.pk}/assign/", body, format="json")
    assert response.status_code == 403 and response.json()["code"] == "not_legal_aid_center"
    assert not Claim.objects.exists()
    api_as(coordinator).post(f"/api/v1/tasks/{task.pk}/assign/", body, format="json")
    again = api_as(coordinator).post(
        f"/api/v1/tasks/{task.pk}/assign/", {"volunteer": make_provider().pk}, format="json"
    )
    assert again.status_code == 409 and again.json()["code"] == "task_full"


def test_the_provider_declines_an_assignment_only_with_a_reason(api_as, provider, assigned, task):
    response = api_as(provider).post(f"/api/v1/claims/{assigned.pk}/decline/", {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    assigned.refresh_from_db()
    assert assigned.status == ClaimStatus.ACCEPTED
    response = api_as(provider).post(f"/api/v1/claims/{assigned.pk}/decline/", {"reason": "利益冲突"}, format="json")
    assert response.status_code == 200
    # The refusal waits for the centre's ruling; the provider keeps the case meanwhile.
    assert response.json()["status"] == "accepted"
    assert response.json()["refusal"]["reason"] == "利益冲突" and response.json()["refusal"]["ruling"] == "pending"
    task.refresh_from_db()
    assert (task.seats_taken, task.status) == (1, TaskStatus.FILLED)


def test_an_assignment_is_declined_not_withdrawn(api_as, provider, assigned):
    response = api_as(provider).post(f"/api/v1/claims/{assigned.pk}/withdraw/")
    assert response.status_code == 409 and response.json()["code"] == "assignment_decline_required"


def test_declined_assignments_are_listed_for_regulators_of_the_region(
    api, api_as, provider, assigned, regulator, other_regulator, coordinator
):
    api_as(provider).post(f"/api/v1/claims/{assigned.pk}/decline/", {"reason": "利益冲突"}, format="json")
    response = api_as(regulator).get("/api/v1/assignments/declined/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (row["id"], row["reason"], row["region"]) == (assigned.pk, "利益冲突", "320402")
    assert api_as(other_regulator).get("/api/v1/assignments/declined/").json()["results"] == []
    assert api_as(coordinator).get("/api/v1/assignments/declined/").status_code == 403
    assert api.get("/api/v1/assignments/declined/").status_code == 401
    assert api_as(regulator).post("/api/v1/assignments/declined/").status_code == 405


@pytest.mark.parametrize("page_size", [10, 100])
def test_the_declined_list_runs_a_fixed_number_of_queries(
    api_as, regulator, task, make_provider, page_size, django_assert_max_num_queries
):
    for _ in range(15):
        ClaimFactory(
            task=task,
            volunteer=make_provider(),
            status=ClaimStatus.DECLINED,
            is_assignment=True,
            declined_by_provider=True,
        )
    client = api_as(regulator)
    with django_assert_max_num_queries(5):
        response = client.get(f"/api/v1/assignments/declined/?page_size={page_size}")
    assert response.json()["count"] == 15
