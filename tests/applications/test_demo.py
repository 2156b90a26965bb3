"""The applications demo: a season across channels and stations, the clock in every state, law
firms naming handlers, a conflict and refusals; a second run changes nothing."""

from collections import Counter

import pytest
from django.utils import timezone

from marketplace.applications import demo, selectors
from marketplace.applications.models import Application, AssignmentRefusal, FirmAssignment, Objection
from marketplace.models import Claim
from marketplace.selectors import assignment_candidates
from organizations.models import Membership
from tests.applications.conftest import CHANNELS
from tests.conftest import seeded_twice

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Application.objects.values_list("number", "status", "decision_due", "assign_due", "assigned_at")),
        sorted(FirmAssignment.objects.values_list("task_id", "status", "handler_id")),
        sorted(AssignmentRefusal.objects.values_list("claim_id", "ruling")),
        sorted(Claim.objects.values_list("task_id", "volunteer_id", "status")),
        Membership.objects.count(),
    )


@pytest.mark.slow  # loads part of the demo, twice
def test_the_demo_season_covers_every_path_and_runs_twice_unchanged(demo_cast):
    now = demo_cast
    seeded_twice(demo, now, snapshot)

    applications = Application.objects.all()
    assert set(applications.values_list("channel", flat=True)) == CHANNELS
    statuses = Counter(applications.values_list("status", flat=True))
    assert {"received", "under_review", "materials_pending", "approved", "refused", "objection_pending"} <= set(
        statuses
    )
    today = timezone.localdate()
    overdue = selectors.with_timeliness(applications, today=today).filter(overdue=True)
    assert overdue.count() >= 4
    # The overdue filters (the API's, the desk's) ask the condition itself: the same rows.
    assert set(applications.filter(selectors.due_before(today))) == set(overdue)
    assert applications.filter(urgent=True).count() >= 2
    assert applications.filter(max_penalty="life").exists()
    assert applications.filter(decided_on_time=False).exists() and applications.filter(assigned_on_time=False).exists()
    assert set(Objection.objects.values_list("upheld", flat=True)) == {None, True, False}
    firms = Counter(FirmAssignment.objects.values_list("status", flat=True))
    assert firms["awaiting_handler"] >= 1 and firms["handler_named"] == 1
    assert set(AssignmentRefusal.objects.values_list("ruling", flat=True)) == {"pending", "rejected"}
    assert Membership.objects.filter(user__username="longcheng", organization__kind="law_firm").exists()
    conflicted = applications.get(summary__startswith="老人起诉")
    assert any(c.conflict for c in assignment_candidates(task=conflicted.case, now=now))
