"""The complaints demo: a handful in every state, handled by the justice bureaus; idempotent."""

from collections import Counter

import pytest
from django.utils import timezone

from duties.complaints import demo
from duties.complaints.models import Complaint
from marketplace.models import TaskKind
from organizations.models import Organization, Region
from tests.conftest import seeded_twice
from tests.factories import held_case
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


@pytest.mark.slow  # loads part of the demo, twice
def test_the_demo_has_complaints_in_every_state_and_runs_twice_unchanged(demo_cast):
    now = demo_cast
    centre = Organization.objects.get(name="常州市法律援助中心")
    for username in ("lawyer01", "lawyer02", "lawyer01"):
        held_case(
            Volunteer.objects.get(user__username=username),
            organization=centre,
            kind=TaskKind.CIVIL_REPRESENTATION,
            region=Region.objects.get(code="320402"),
        )

    rows = seeded_twice(demo, now, lambda: list(Complaint.objects.values_list("id", "status", "finding")))

    assert Counter(status for _, status, _ in rows) == {"received": 2, "investigating": 1, "resolved": 2}
    assert Complaint.objects.filter(status="received", due__lt=timezone.localdate(now)).exists()
    assert set(Complaint.objects.filter(status="resolved").values_list("resolved_by_org__name", flat=True)) == {
        "常州市司法局",
        "常州市天宁区司法局",
    }
    assert Complaint.objects.filter(task__isnull=True).exists() and Complaint.objects.filter(volunteer__isnull=True)
