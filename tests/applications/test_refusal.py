"""A handler refuses an assignment only with a reason; the centre rules on the refusal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.applications.models import Application, AssignmentRefusal, RefusalRuling
from marketplace.models import AidTask, Claim, ClaimStatus, TaskStatus
from organizations.models import Role
from tests.factories import MembershipFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(api_as, coordinator, approve, make_lawyer):
    """An approved matter whose case the centre assigned to a lawyer: (application id, claim)."""
    lawyer = make_lawyer()
    pk, case = approve()
    response = api_as(coordinator).post(f"/api/v1/tasks/{case}/assign/", {"volunteer": lawyer.pk}, format="json")
    assert response.status_code == 201, response.content
    return pk, Claim.objects.get(pk=response.json()["id"])


def refuse(client, claim, reason="与对方当事人存在利益冲突"):
    return client.post(f"/api/v1/claims/{claim.pk}/decline/", {"reason": reason}, format="json")


def rule(client, claim, accepted):
    return client.post(f"/api/v1/claims/{claim.pk}/decline/ruling/", {"accepted": accepted}, format="json")


def test_the_handler_refuses_only_with_a_reason_and_keeps_the_case_until_the_ruling(api_as, assigned):
    _, claim = assigned
    handler = api_as(claim.volunteer.user)
    for body in ({}, {"reason": "   "}):
        response = handler.post(f"/api/v1/claims/{claim.pk}/decline/", body, format="json")
        assert response.status_code == 400 and "reason" in response.json()
    assert not AssignmentRefusal.objects.exists()
    response = refuse(handler, claim)
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert response.json()["refusal"]["ruling"] == "pending"
    assert AidTask.objects.get(pk=claim.task_id).seats_taken == 1
    again = refuse(handler, claim, "另一个理由")
    assert again.status_code == 409 and again.json()["code"] == "refusal_recorded"


def test_an_accepted_refusal_frees_the_case_whose_assignment_stays_due_from_the_approval(
    api_as, coordinator, assigned, make_lawyer, regulator
):
    pk, claim = assigned
    due = Application.objects.get(pk=pk).assign_due
    refuse(api_as(claim.volunteer.user), claim)
    response = rule(api_as(coordinator), claim, True)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["declined_by_provider"], body["refusal"]["ruling"]) == ("declined", True, "accepted")
    task = AidTask.objects.get(pk=claim.task_id)
    assert (task.seats_taken, task.status) == (0, TaskStatus.OPEN)
    application = Application.objects.get(pk=pk)
    assert application.assign_due == due
    # Still within its three days: not overdue; a day past them, it is (the clock ran on).
    assert api_as(coordinator).get("/api/v1/applications/?overdue=true").json()["count"] == 0
    Application.objects.filter(pk=pk).update(assign_due=timezone.localdate() - timedelta(days=1))
    assert api_as(coordinator).get("/api/v1/applications/?overdue=true").json()["count"] == 1
    reassigned = api_as(coordinator).post(
        f"/api/v1/tasks/{claim.task_id}/assign/", {"volunteer": make_lawyer().pk}, format="json"
    )
    assert reassigned.status_code == 201
    [row] = api_as(regulator).get("/api/v1/assignments/declined/").json()["results"]
    assert (row["id"], row["ruling"], row["reason"]) == (claim.pk, "accepted", "与对方当事人存在利益冲突")


def test_a_rejected_refusal_keeps_the_handler_and_is_recorded_against_them(
    api_as, coordinator, assigned, regulator, client_as
):
    _, claim = assigned
    refuse(api_as(claim.volunteer.user), claim, "工作太忙")
    response = rule(api_as(coordinator), claim, False)
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["refusal"]["ruling"]) == ("accepted", "rejected")
    assert AidTask.objects.get(pk=claim.task_id).seats_taken == 1
    [row] = api_as(regulator).get("/api/v1/assignments/declined/").json()["results"]
    assert (row["ruling"], row["reason"]) == ("rejected", "工作太忙")
    page = client_as(regulator).get("/regulator/declined/").content.decode()
    assert "工作太忙" in page and "Rejected: no good reason" in page
    again = rule(api_as(coordinator), claim, True)
    assert again.status_code == 409 and again.json()["code"] == "no_refusal_pending"


def test_ruling_matrix(api, api_as, coordinator, assigned, outsider, regulator, legal_aid_center):
    _, claim = assigned
    url = f"/api/v1/claims/{claim.pk}/decline/ruling/"
    nothing = rule(api_as(coordinator), claim, True)
    assert nothing.status_code == 409 and nothing.json()["code"] == "no_refusal_pending"
    refuse(api_as(claim.volunteer.user), claim)
    viewer = member(legal_aid_center, Role.VIEWER)
    assert api.post(url, {"accepted": True}, format="json").status_code == 401
    for user in (outsider, regulator, viewer):
        assert rule(api_as(user), claim, True).status_code == 404
    handler = rule(api_as(claim.volunteer.user), claim, True)
    assert handler.status_code == 403
    for body in ({}, {"accepted": "maybe"}):
        bad = api_as(coordinator).post(url, body, format="json")
        assert bad.status_code == 400 and "accepted" in bad.json()
    assert api_as(coordinator).get(url).status_code == 405
    refusal = AssignmentRefusal.objects.get()
    assert refusal.ruling == RefusalRuling.PENDING and refusal.ruled_by is None
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.ACCEPTED


def test_the_coordinator_never_rules_on_their_own_refusal(api_as, coordinator, approve, make_lawyer):
    own = make_lawyer(user=UserFactory())
    second = member(coordinator.memberships.get().organization)
    MembershipFactory(user=own.user, organization=coordinator.memberships.get().organization, role=Role.COORDINATOR)
    _, case = approve()
    claim_id = api_as(second).post(f"/api/v1/tasks/{case}/assign/", {"volunteer": own.pk}, format="json").json()["id"]
    claim = Claim.objects.get(pk=claim_id)
    refuse(api_as(own.user), claim)
    response = rule(api_as(own.user), claim, True)
    assert response.status_code == 403 and response.json()["code"] == "own_record"
    assert rule(api_as(second), claim, True).status_code == 200
