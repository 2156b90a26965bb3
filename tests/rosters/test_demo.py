"""The demo's duty rosters: real half-day shifts at stations, held only by lawyers, the past ones
served with their help recorded and their hours credited; nothing blocks a lawyer for months."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from duties.models import HourLogStatus
from marketplace.models import AidTask, Claim, TaskKind
from marketplace.rosters.models import DutyShift, ServedShift, ShiftSwap
from marketplace.rosters.selectors import uncovered_shifts


@pytest.mark.slow  # loads the whole demo, twice
@pytest.mark.django_db
def test_the_demo_rosters_hold_only_lawyers_in_half_days_and_run_twice_unchanged():
    call_command("seed_demo", stdout=io.StringIO())
    counts = (DutyShift.objects.count(), ServedShift.objects.count(), ShiftSwap.objects.count(), Claim.objects.count())
    call_command("seed_demo", stdout=io.StringIO())

    assert (
        DutyShift.objects.count(),
        ServedShift.objects.count(),
        ShiftSwap.objects.count(),
        Claim.objects.count(),
    ) == counts
    assert not Claim.objects.filter(task__kind=TaskKind.DUTY_SHIFT).exclude(volunteer__kind="lawyer").exists()
    longest = max(t.ends_at - t.starts_at for t in AidTask.objects.filter(kind=TaskKind.DUTY_SHIFT))
    assert longest <= timedelta(hours=4)
    served = ServedShift.objects.select_related("claim")
    assert served.count() > 100
    assert all(s.claim.hour_logs.filter(status=HourLogStatus.CONFIRMED).exists() for s in served[:50])
    assert DutyShift.objects.filter(date__gt=timezone.localdate()).exists()
    assert uncovered_shifts(now=timezone.now()).exists()
    assert ShiftSwap.objects.filter(status="pending").count() == 1
