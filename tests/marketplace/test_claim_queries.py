"""Issue 15: a claim over the API sends at most 6 statements, events included.

Counted: every statement of the request (token, task, seat, overlap, insert) and of the
after-commit publishing (the coordinators of the task's organisation). Not counted: SAVEPOINT and
RELEASE, which exist only because the test runs inside a transaction (a request opens BEGIN and
COMMIT, which Django does not log as queries).
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from marketplace.models import ClaimStatus, TaskStatus
from tests.factories import AidTaskFactory, ClaimFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES_PER_CLAIM = 6


def claim_statements(client, task, django_capture_on_commit_callbacks):
    with (
        CaptureQueriesContext(connection) as captured,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(f"/api/v1/tasks/{task.pk}/claims/", {}, format="json")
    assert response.status_code == 201, response.content
    sql = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    return response.json(), sql


@pytest.fixture
def token_client(provider):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=provider).key}")
    return client


def test_an_accepted_claim_sends_at_most_six_statements(
    token_client, open_task, coordinator, django_capture_on_commit_callbacks
):
    body, sql = claim_statements(token_client, open_task, django_capture_on_commit_callbacks)
    assert body["status"] == ClaimStatus.ACCEPTED
    assert len(sql) <= MAX_QUERIES_PER_CLAIM, "\n".join(sql)
    # The overlap with the provider's own accepted claims is checked once.
    overlap = [q for q in sql if q.startswith("SELECT") and '"marketplace_claim"' in q and "starts_at" in q]
    assert len(overlap) == 1, "\n".join(sql)


def test_a_provider_with_accepted_claims_elsewhere_still_sends_at_most_six(
    token_client, open_task, legal_aid_center, regions, provider_volunteer, django_capture_on_commit_callbacks
):
    earlier = AidTaskFactory(
        organization=legal_aid_center,
        region=regions["tianning"],
        starts_at=open_task.starts_at - timedelta(days=1),
        status=TaskStatus.OPEN,
    )
    ClaimFactory(task=earlier, volunteer=provider_volunteer, status=ClaimStatus.ACCEPTED)
    body, sql = claim_statements(token_client, open_task, django_capture_on_commit_callbacks)
    assert body["status"] == ClaimStatus.ACCEPTED
    assert len(sql) <= MAX_QUERIES_PER_CLAIM, "\n".join(sql)


def test_a_waitlisted_claim_adds_only_the_task_lock(
    token_client, open_task, make_provider, django_capture_on_commit_callbacks
):
    """No seat: the failed seat UPDATE, then the task's row lock so that a concurrent withdrawal
    sees the waitlisted claim (services.claim_create): one statement more than an accepted claim,
    which has the task_changed event but no lock of its own."""
    for _ in range(open_task.seats):
        ClaimFactory(task=open_task, volunteer=make_provider(), status=ClaimStatus.ACCEPTED)
    open_task.seats_taken = open_task.seats
    open_task.status = TaskStatus.FILLED
    open_task.save()
    body, sql = claim_statements(token_client, open_task, django_capture_on_commit_callbacks)
    assert body["status"] == ClaimStatus.WAITLISTED
    assert len(sql) <= MAX_QUERIES_PER_CLAIM + 1, "\n".join(sql)
