"""Reads of the coordinator's desk and of hour logs for the pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from duties.models import HourLogStatus
from duties.selectors import desk_tasks, hour_logs_of_claim, hour_logs_on_task, hours_to_confirm
from marketplace.models import ClaimStatus, TaskStatus
from tests.factories import AidTaskFactory, ClaimFactory, HourLogFactory

pytestmark = pytest.mark.django_db


def test_the_desk_lists_tasks_to_do_with_what_waits_on_each(coordinator, outsider, legal_aid_center):
    now = timezone.now()
    later = AidTaskFactory(organization=legal_aid_center, starts_at=now + timedelta(days=9))
    sooner = AidTaskFactory(organization=legal_aid_center, starts_at=now + timedelta(days=2), status=TaskStatus.DRAFT)
    done = AidTaskFactory(organization=legal_aid_center, status=TaskStatus.COMPLETED)
    for status in (ClaimStatus.REQUESTED, ClaimStatus.REQUESTED, ClaimStatus.WAITLISTED):
        ClaimFactory(task=later, status=status)
    accepted = ClaimFactory(task=later)
    HourLogFactory(claim=accepted)
    HourLogFactory(claim=accepted, status=HourLogStatus.CONFIRMED)

    tasks = list(desk_tasks(coordinator, status=None))

    assert tasks == [sooner, later]
    assert [(t.pending_claims, t.pending_hours) for t in tasks] == [(0, 0), (2, 1)]
    assert list(desk_tasks(coordinator, status=TaskStatus.COMPLETED)) == [done]
    assert list(desk_tasks(outsider, status=None)) == []


def test_finished_tasks_on_the_desk_are_the_latest_first(coordinator, legal_aid_center):
    now = timezone.now()
    older, newer = (
        AidTaskFactory(organization=legal_aid_center, status=TaskStatus.COMPLETED, starts_at=now - timedelta(days=d))
        for d in (300, 3)
    )
    to_do = [AidTaskFactory(organization=legal_aid_center, starts_at=now + timedelta(days=d)) for d in (9, 2)]

    assert list(desk_tasks(coordinator, status=TaskStatus.COMPLETED)) == [newer, older]
    assert list(desk_tasks(coordinator, status=TaskStatus.OPEN)) == to_do[::-1]  # to do: the first to start first


def test_hour_logs_of_a_task_by_status_then_the_latest_day(coordinator, outsider, legal_aid_center):
    claim = ClaimFactory(task__organization=legal_aid_center)
    day = timezone.localdate(claim.task.starts_at)
    confirmed = HourLogFactory(claim=claim, date=day + timedelta(days=1), status=HourLogStatus.CONFIRMED)
    older = HourLogFactory(claim=claim, date=day)
    newer = HourLogFactory(claim=claim, date=day + timedelta(days=1))
    HourLogFactory(claim__task__organization=legal_aid_center)  # another task's

    assert list(hour_logs_on_task(coordinator, claim.task)) == [confirmed, newer, older]
    assert list(hour_logs_of_claim(claim.volunteer.user, claim)) == [newer, confirmed, older]
    assert list(hour_logs_on_task(outsider, claim.task)) == []
    assert list(hour_logs_of_claim(outsider, claim)) == []


def test_hours_to_confirm_are_the_pending_logs_of_the_organisations_the_earliest_day_first(
    coordinator, legal_aid_center, other_org
):
    claim = ClaimFactory(task__organization=legal_aid_center)
    day = timezone.localdate(claim.task.starts_at)
    later = HourLogFactory(claim=claim, date=day + timedelta(days=1))
    sooner = HourLogFactory(claim=claim, date=day)
    HourLogFactory(claim=claim, date=day, status=HourLogStatus.DECLINED)
    HourLogFactory(claim__task__organization=other_org)

    assert list(hours_to_confirm(coordinator, organization_ids={legal_aid_center.pk})) == [sooner, later]
    assert list(hours_to_confirm(coordinator, organization_ids={other_org.pk})) == []
