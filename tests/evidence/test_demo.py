"""The evidence demo: four departments with coordinator logins, requests in every state, idempotent."""

from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from marketplace.evidence import demo
from marketplace.evidence.models import EvidenceRequest
from marketplace.models import TaskKind
from organizations.models import Organization
from tests.conftest import seeded_twice
from tests.factories import held_case
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


def cases_under_way(now):
    centre = Organization.objects.get(name="常州市法律援助中心")
    handlers = [Volunteer.objects.get(user__username=name) for name in ("lawyer01", "lawyer02")]
    for n, handler in enumerate(handlers * 2):
        held_case(
            handler,
            is_assignment=True,
            organization=centre,
            kind=TaskKind.CIVIL_REPRESENTATION,
            starts_at=now - timezone.timedelta(days=60 + n),
            ends_at=now - timezone.timedelta(days=60 + n) + timezone.timedelta(hours=1),
            claim_deadline=None,
        )


@pytest.mark.slow  # loads part of the demo, twice
def test_the_demo_has_departments_and_requests_in_every_state_and_runs_twice_unchanged(demo_cast):
    now = demo_cast
    cases_under_way(now)

    rows = seeded_twice(
        demo, now, lambda: list(EvidenceRequest.objects.values_list("id", "status", "fee_waived", "answered_at"))
    )

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
