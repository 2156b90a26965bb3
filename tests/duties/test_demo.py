from collections import Counter

import pytest
from django.utils import timezone

from duties import demo
from duties.ledger import verify
from duties.models import AnnualReview, DutyEntry, HourLog
from duties.selectors import with_progress
from tests.conftest import seeded_twice
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


@pytest.mark.slow  # loads the whole demo, twice
def test_the_demo_gives_a_year_of_history_and_a_decided_review_and_runs_twice_unchanged(demo_cast):
    now = demo_cast
    seeded_twice(demo, now, lambda: (DutyEntry.objects.count(), HourLog.objects.count(), AnnualReview.objects.count()))
    last_year = timezone.localdate(now).year - 1
    statuses = Counter(
        with_progress(Volunteer.objects.filter(status="verified"), year=last_year, now=now).values_list(
            "progress_status", flat=True
        )
    )
    assert statuses["met"] and statuses["behind"] and statuses["exempt"]
    reviews = Counter(AnnualReview.objects.filter(year=last_year).values_list("status", flat=True))
    assert reviews["compliant"] and reviews["deficient"] and reviews["exempt"]
    assert not reviews["open"]
    assert AnnualReview.objects.filter(status="compliant", certificate_code__isnull=False).exists()
    assert HourLog.objects.filter(status="pending").exists()
    assert verify().ok
