"""The aided person's details: encrypted at rest, shown to few, never logged, every reveal recorded."""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.core.crypto import encrypt_json
from marketplace.models import AidTask, ClaimStatus, ConfidentialAccess
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

SECRET = {"name": "张秘密", "phone": "13912345678", "id_number": "320402199001011234", "address": "天宁区某路1号"}


@pytest.fixture
def task(open_task):
    AidTask.objects.filter(pk=open_task.pk).update(confidential_ciphertext=encrypt_json(SECRET))
    open_task.refresh_from_db()
    return open_task


@pytest.fixture
def accepted(task, provider_volunteer):
    return ClaimFactory(task=task, volunteer=provider_volunteer, status=ClaimStatus.ACCEPTED)


def test_the_details_are_encrypted_at_rest(api_as, coordinator, task_payload):
    body = task_payload(confidential=SECRET)
    assert api_as(coordinator).post("/api/v1/tasks/", body, format="json").status_code == 201
    with connection.cursor() as cursor:
        cursor.execute("SELECT confidential_ciphertext FROM marketplace_aidtask")
        [(stored,)] = cursor.fetchall()
    assert stored and all(value not in stored for value in SECRET.values())


def test_the_posting_organisation_sees_them_and_the_reveal_is_recorded(api_as, coordinator, task):
    response = api_as(coordinator).get(f"/api/v1/tasks/{task.pk}/")
    assert response.json()["confidential"]["name"] == "张秘密"
    access = ConfidentialAccess.objects.get()
    assert (access.user, access.task, access.via) == (coordinator, task, "task_detail")


@pytest.mark.parametrize("who", [None, "outsider", "regulator", "stranger"])
def test_others_never_see_them(api, api_as, task, who, request):
    client = api if who is None else api_as(request.getfixturevalue(who))
    response = client.get(f"/api/v1/tasks/{task.pk}/")
    assert response.status_code == 200 and response.json()["confidential"] is None
    assert "张秘密" not in response.content.decode()
    assert not ConfidentialAccess.objects.exists()


def test_an_accepted_provider_sees_them_only_after_confirming_no_conflict(api_as, provider, accepted, task):
    assert api_as(provider).get(f"/api/v1/tasks/{task.pk}/").json()["confidential"] is None
    response = api_as(provider).post(f"/api/v1/claims/{accepted.pk}/confirm-no-conflict/")
    assert response.status_code == 200
    assert response.json()["confidential"]["phone"] == "13912345678"
    assert response.json()["claim"]["no_conflict_confirmed_at"] is not None
    assert api_as(provider).get(f"/api/v1/tasks/{task.pk}/").json()["confidential"]["name"] == "张秘密"
    assert list(ConfidentialAccess.objects.order_by("id").values_list("via", flat=True)) == [
        "confirm_no_conflict",
        "task_detail",
    ]


def test_a_waitlisted_provider_cannot_reveal(api_as, task, make_provider):
    waiting = ClaimFactory(task=task, volunteer=make_provider(), status=ClaimStatus.WAITLISTED)
    response = api_as(waiting.volunteer.user).post(f"/api/v1/claims/{waiting.pk}/confirm-no-conflict/")
    assert response.status_code == 409
    assert not ConfidentialAccess.objects.exists()


def test_the_organisation_reviews_the_reveals(api_as, coordinator, outsider, provider, accepted, task, api):
    api_as(provider).post(f"/api/v1/claims/{accepted.pk}/confirm-no-conflict/")
    response = api_as(coordinator).get(f"/api/v1/tasks/{task.pk}/reveals/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (row["username"], row["via"]) == ("provider", "confirm_no_conflict")
    assert api_as(outsider).get(f"/api/v1/tasks/{task.pk}/reveals/").status_code == 404
    assert api_as(provider).get(f"/api/v1/tasks/{task.pk}/reveals/").status_code == 404
    assert api.get(f"/api/v1/tasks/{task.pk}/reveals/").status_code == 401


def test_the_details_are_never_logged(api_as, coordinator, provider, accepted, task, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    with CaptureQueriesContext(connection):  # makes Django log every SQL statement with its parameters
        api_as(coordinator).get(f"/api/v1/tasks/{task.pk}/")
        api_as(provider).post(f"/api/v1/claims/{accepted.pk}/confirm-no-conflict/")
        api_as(coordinator).patch(f"/api/v1/tasks/{task.pk}/", {"confidential": {"name": "李新名"}}, format="json")
        api_as(coordinator).patch(f"/api/v1/tasks/{task.pk}/", {"confidential": {"name": ["bad"]}}, format="json")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "marketplace_aidtask" in logged  # SQL logging did run
    for value in [*SECRET.values(), "李新名"]:
        assert value not in logged


@pytest.mark.parametrize("page_size", [10, 100])
def test_the_reveal_list_runs_a_fixed_number_of_queries(
    api_as, coordinator, task, page_size, django_assert_max_num_queries, now
):
    from tests.factories import UserFactory

    ConfidentialAccess.objects.bulk_create(
        [ConfidentialAccess(task=task, user=UserFactory(), accessed_at=now, via="task_detail") for _ in range(15)]
    )
    client = api_as(coordinator)
    with django_assert_max_num_queries(5):
        response = client.get(f"/api/v1/tasks/{task.pk}/reveals/?page_size={page_size}")
    assert len(response.json()["results"]) == min(page_size, 15)
