"""The subsidies demo: schedules of two years (this one corrected), a year of shifts, paid
quarterly batches; every amount provable; idempotent."""

import pytest
from django.utils import timezone

from duties.subsidies import demo, services
from duties.subsidies.models import SubsidyBatch, SubsidyLine, SubsidySchedule
from tests.conftest import seeded_twice

pytestmark = pytest.mark.django_db


@pytest.mark.slow  # loads part of the demo, twice
def test_the_demo_prices_batches_and_pays_and_runs_twice_unchanged(demo_cast):
    now = demo_cast

    seeded_twice(demo, now, lambda: list(SubsidyLine.objects.values_list("id", "status", "amount", "batch_id")))

    year = timezone.localdate(now).year
    assert sorted(SubsidySchedule.objects.values_list("year", "version")) == [(year - 1, 1), (year, 1), (year, 2)]
    assert SubsidyLine.objects.filter(kind="duty_shift").count() >= 12
    assert SubsidyBatch.objects.filter(status="paid").exists()
    assert SubsidyLine.objects.filter(status="paid", year=year - 1).exists()
    assert all(services.subsidy_recompute(line=line).matches for line in SubsidyLine.objects.all())
