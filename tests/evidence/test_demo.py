"""The evidence demo: four departments with coordinator logins, requests in every state, idempotent."""

from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from marketplace.evidence import demo
from marketplace.evidence.models import EvidenceRequest
from marketplace.models import ClaimStatus, TaskKind, TaskStatus
from organizations import demo as organizations_demo
from organizations.models import Organization
from tests.factories import AidTaskFactory, ClaimFactory
from volunteers import demo as volunteers_demo
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


def cases_under_way(now):
    centre = Organization.objects.get(name="常州市法律援助中心")
    handlers = [Volunteer.objects.get(user__username=name) for name in ("lawyer01", "lawyer02")]
    for n, handler in enumerate(handlers * 2):
        task = AidTaskFactory(
            organization=centre,
            kind=TaskKind.CIVIL_REPRESENTATION,
            status=TaskStatus.FILLED,
            seats=1,
            seats_taken=1,
            starts_at=now - timezone.timedelta(days=60 + n),
            ends_at=now - timezone.timedelta(days=60 + n) + timezone.timedelta(hours=1),
            claim_deadline=None,
        )
        ClaimFactory(task=task, volunteer=handler, status=ClaimStatus.ACCEPTED, is_assignment=True)


@pytest.mark.slow  # loads part of the demo, twice
def test_the_demo_has_departments_and_requests_in_every_state_and_runs_twice_unchanged():
    now = timezone.now()
    organizations_demo.seed(now=now)
    volunteers_demo.seed(now=now)
    cases_under_way(now)

    demo.seed(now=now)
    rows = list(EvidenceRequest.objects.values_list("id", "status", "fee_waived", "answered_at"))
    demo.seed(now=now)

    assert list(EvidenceRequest.objects.values_list("id", "status", "fee_waived", "answered_at")) == rows
    assert Counter(status for _, status, _, _ in rows) == {"pending": 2, "provided": 2, "refused": 1}
    assert {fee for _, status, fee, _ in rows if status == "provided"} == {True, False}
    today = timezone.localdate(now)
    assert EvidenceRequest.objects.filter(status="pending", due__lt=today).exists()
    assert EvidenceRequest.objects.filter(handler__user__username="lawyer01").exists()
    for username in ("police", "archives", "housing", "arbitration"):
        user = User.objects.get(username=username)
        [membership] = user.memberships.all()
        assert membership.organization.kind == "government_department" and membership.role == "coordinator"
    assert {u for u, _ in demo.DEMO_LOGINS} == {"police", "archives", "housing", "arbitration"}
    assert Organization.objects.filter(kind="government_department").count() == 4
