"""Answers that carry the aided person's details are never stored by a browser or a proxy."""

import pytest
from django.urls import reverse

from marketplace.core.crypto import encrypt_json
from marketplace.models import AidTask, ClaimStatus
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(open_task):
    AidTask.objects.filter(pk=open_task.pk).update(confidential_ciphertext=encrypt_json({"name": "张秘密"}))
    open_task.refresh_from_db()
    return open_task


@pytest.fixture
def accepted(task, provider_volunteer):
    return ClaimFactory(task=task, volunteer=provider_volunteer, status=ClaimStatus.ACCEPTED)


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_the_task_detail_with_the_details_is_no_store(api_as, coordinator, task):
    response = api_as(coordinator).get(f"/api/v1/tasks/{task.pk}/")

    assert response.json()["confidential"]["name"] == "张秘密"
    assert no_store(response)


def test_the_task_detail_without_the_details_may_be_cached(api, task):
    response = api.get(f"/api/v1/tasks/{task.pk}/")

    assert response.json()["confidential"] is None
    assert not no_store(response)


def test_confirming_no_conflict_answers_no_store(api_as, provider, accepted):
    response = api_as(provider).post(f"/api/v1/claims/{accepted.pk}/confirm-no-conflict/")

    assert response.status_code == 200 and response.json()["confidential"]["name"] == "张秘密"
    assert no_store(response)


def test_the_list_of_reveals_is_no_store(api_as, coordinator, task):
    response = api_as(coordinator).get(f"/api/v1/tasks/{task.pk}/reveals/")

    assert response.status_code == 200
    assert no_store(response)


def test_the_page_showing_the_details_is_no_store(client, provider, accepted):
    client.force_login(provider)

    response = client.post(reverse("provider-claim-no-conflict", args=[accepted.pk]))

    assert response.status_code == 200 and "张秘密" in response.content.decode()
    assert no_store(response)
