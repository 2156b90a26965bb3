"""Hours are dated within the task: not before its first day nor after its last (Asia/Shanghai)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from duties.models import HourLog
from duties.services import hours_log
from marketplace.core.errors import Invalid
from marketplace.models import ClaimStatus, TaskStatus
from tests.factories import AidTaskFactory, ClaimFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 7, 20, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def claim(legal_aid_center, provider_volunteer):
    """A session from 23:30 on 1 July to 00:30 on 3 July, Shanghai time: in UTC it runs from the
    afternoon of 1 July to the afternoon of 2 July, so UTC dates would be off by one at the end."""
    task = AidTaskFactory(
        organization=legal_aid_center,
        starts_at=datetime(2026, 7, 1, 23, 30, tzinfo=SHANGHAI),
        ends_at=datetime(2026, 7, 3, 0, 30, tzinfo=SHANGHAI),
        claim_deadline=None,
        status=TaskStatus.COMPLETED,
    )
    return ClaimFactory(task=task, volunteer=provider_volunteer, status=ClaimStatus.COMPLETED)


def _log(claim, on: date):
    return hours_log(claim=claim, date=on, hours=Decimal("1"), by=claim.volunteer.user, now=NOW)


@pytest.mark.parametrize("on", [date(2026, 7, 1), date(2026, 7, 2), date(2026, 7, 3)])
def test_every_shanghai_day_of_the_task_takes_hours(claim, on):
    assert _log(claim, on).date == on


def test_hours_dated_after_the_task_ended_are_refused_on_date(claim):
    with pytest.raises(Invalid) as caught:
        _log(claim, date(2026, 7, 4))
    assert (caught.value.field, caught.value.code) == ("date", "after_task")
    assert not HourLog.objects.exists()


def test_hours_dated_before_the_task_began_are_refused_on_date(claim):
    with pytest.raises(Invalid) as caught:
        _log(claim, date(2026, 6, 30))
    assert (caught.value.field, caught.value.code) == ("date", "before_task")


def test_the_api_answers_hours_after_the_end_with_400_on_date(api_as, provider, legal_aid_center, provider_volunteer):
    start = datetime.now(SHANGHAI) - timedelta(days=10)
    task = AidTaskFactory(organization=legal_aid_center, starts_at=start, ends_at=start + timedelta(hours=3))
    claim = ClaimFactory(task=task, volunteer=provider_volunteer, status=ClaimStatus.ACCEPTED)
    after = (start + timedelta(days=2)).date().isoformat()
    response = api_as(provider).post(f"/api/v1/claims/{claim.pk}/hours/", {"date": after, "hours": "2"}, format="json")
    assert response.status_code == 400 and "date" in response.json()
    assert response.json()["code"] == "after_task"
    assert not HourLog.objects.exists()
