from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import translation

from duties.models import DutyEntry
from marketplace.core.crypto import decrypt_json
from marketplace.core.errors import Conflict, Forbidden, Invalid
from marketplace.models import AidTask, Claim, ClaimStatus, TaskKind, TaskStatus
from marketplace.services import claim_create, task_cancel, task_complete, task_create, task_publish, task_update
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def test_a_coordinator_posts_a_draft_with_encrypted_confidential_details(legal_aid_center, coordinator, values, now):
    task = task_create(
        organization=legal_aid_center, values=values, confidential={"name": "张三"}, by=coordinator, now=now
    )
    assert task.status == TaskStatus.DRAFT
    assert "张三" not in task.confidential_ciphertext
    assert decrypt_json(task.confidential_ciphertext) == {"name": "张三"}
    assert " 欠薪 " in task.search_text and " wage " in task.search_text


def test_posting_with_publish_opens_the_task(legal_aid_center, coordinator, values, now):
    task = task_create(organization=legal_aid_center, values=values, publish=True, by=coordinator, now=now)
    assert task.status == TaskStatus.OPEN


def test_only_coordinators_of_the_organisation_post(legal_aid_center, outsider, values, now):
    with pytest.raises(Forbidden):
        task_create(organization=legal_aid_center, values=values, by=outsider, now=now)
    assert not AidTask.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_at": "starts"}, "ends_at"),
        ({"claim_deadline": "after"}, "claim_deadline"),
        ({"seats": 0}, "seats"),
        ({"estimated_hours": Decimal("0")}, "estimated_hours"),
        ({"eligible_kinds": ["wizard"]}, "eligible_kinds"),
        ({"region": "suzhou"}, "region"),
    ],
)
def test_bad_task_values_name_the_field_and_create_nothing(
    legal_aid_center, coordinator, values, regions, now, change, field
):
    bad = dict(values, **change)
    if change.get("ends_at") == "starts":
        bad["ends_at"] = values["starts_at"]
    if change.get("claim_deadline") == "after":
        bad["claim_deadline"] = values["starts_at"] + timedelta(minutes=1)
    if change.get("region") == "suzhou":
        bad["region"] = regions["suzhou"]
    with pytest.raises(Invalid) as err:
        task_create(organization=legal_aid_center, values=bad, by=coordinator, now=now)
    assert err.value.field == field
    assert not AidTask.objects.exists()


def test_seats_cannot_drop_below_accepted_claims(open_task, coordinator, make_provider, now):
    claim_create(task=open_task, volunteer=(p := make_provider()), by=p.user, now=now)
    claim_create(task=open_task, volunteer=(q := make_provider()), by=q.user, now=now)
    with pytest.raises(Conflict) as err:
        task_update(task=open_task, changes={"seats": 1}, by=coordinator, now=now)
    assert err.value.code == "seats_below_accepted"
    open_task.refresh_from_db()
    assert open_task.seats == 2


def test_more_seats_promote_the_waitlist_and_reopen(open_task, coordinator, make_provider, now):
    providers = [make_provider() for _ in range(3)]
    claims = [claim_create(task=open_task, volunteer=p, by=p.user, now=now) for p in providers]
    assert claims[2].status == ClaimStatus.WAITLISTED
    task = task_update(task=open_task, changes={"seats": 4, "title": "Wage arrears 欠薪"}, by=coordinator, now=now)
    claims[2].refresh_from_db()
    assert claims[2].status == ClaimStatus.ACCEPTED
    assert (task.seats_taken, task.status) == (3, TaskStatus.OPEN)
    assert " arrears " in task.search_text


def test_publishing_twice_is_a_conflict(open_task, coordinator, now):
    with pytest.raises(Conflict) as err:
        task_publish(task=open_task, by=coordinator, now=now)
    assert err.value.code == "task_not_draft"


def test_cancelling_cancels_live_claims_and_tells_their_providers(
    open_task, coordinator, make_provider, now, django_capture_on_commit_callbacks
):
    providers = [make_provider() for _ in range(3)]
    for p in providers:
        claim_create(task=open_task, volunteer=p, by=p.user, now=now)
    with (
        mock.patch("marketplace.core.events._deliver") as deliver,
        django_capture_on_commit_callbacks(execute=True),
    ):
        task = task_cancel(task=open_task, reason="场地取消", by=coordinator, now=now)
    assert task.status == TaskStatus.CANCELLED and task.seats_taken == 0
    assert set(Claim.objects.values_list("status", flat=True)) == {ClaimStatus.CANCELLED}
    sent = [(group, call.args[1]) for call in deliver.call_args_list for group in call.args[0]]
    groups = {group for group, event in sent if event["type"] == "claim.changed"}
    assert {f"user.{p.user_id}" for p in providers} <= groups
    assert ("board", {"type": "task.changed", "task": {"id": task.pk, "status": "cancelled", "seats_left": 2}}) in sent


def test_cancelling_needs_a_reason(open_task, coordinator, now):
    with pytest.raises(Invalid) as err:
        task_cancel(task=open_task, reason=" ", by=coordinator, now=now)
    assert err.value.field == "reason"


def test_a_cancelled_task_cannot_be_edited_or_cancelled_again(open_task, coordinator, now):
    task_cancel(task=open_task, reason="x", by=coordinator, now=now)
    with pytest.raises(Conflict):
        task_update(task=open_task, changes={"title": "y"}, by=coordinator, now=now)
    with pytest.raises(Conflict):
        task_cancel(task=open_task, reason="x", by=coordinator, now=now)


def test_completing_completes_accepted_claims_and_cancels_the_waitlist(open_task, coordinator, make_provider, now):
    providers = [make_provider() for _ in range(3)]
    for p in providers:
        claim_create(task=open_task, volunteer=p, by=p.user, now=now)
    with translation.override("en"):  # the coordinator's page speaks English; the record does not
        task_complete(task=open_task, by=coordinator, now=open_task.starts_at + timedelta(hours=3))
    assert sorted(Claim.objects.values_list("status", flat=True)) == ["cancelled", "completed", "completed"]
    assert Claim.objects.get(status="cancelled").reason == "该任务已完成。"
    assert not DutyEntry.objects.exists()  # a consultation is not a case


def test_a_case_task_is_not_completed_by_the_plain_action_and_credits_nothing(
    open_task, coordinator, provider_volunteer, now
):
    """A case completes only when the centre accepts its closing (marketplace.cases)."""
    AidTask.objects.filter(pk=open_task.pk).update(kind=TaskKind.CIVIL_REPRESENTATION)
    open_task.refresh_from_db()
    ClaimFactory(task=open_task, volunteer=provider_volunteer, status=ClaimStatus.ACCEPTED)
    with pytest.raises(Conflict) as err:
        task_complete(task=open_task, by=coordinator, now=open_task.starts_at + timedelta(hours=1))
    assert err.value.code == "use_closing"
    assert AidTask.objects.get(pk=open_task.pk).status == TaskStatus.OPEN
    assert not DutyEntry.objects.exists()


def test_a_task_cannot_be_completed_before_it_starts(open_task, coordinator, now):
    with pytest.raises(Conflict) as err:
        task_complete(task=open_task, by=coordinator, now=now)
    assert err.value.code == "task_not_started"
