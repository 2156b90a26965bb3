"""Shifts of the coming 7 days with a seat nobody holds are flagged on the station's page, and the
station's coordinators are reminded once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from duties.notices import reminders
from duties.notices.models import NoticeKind, Notification
from marketplace.models import TaskStatus
from marketplace.rosters.selectors import uncovered_shifts
from tests.rosters.conftest import days_ahead

pytestmark = pytest.mark.django_db


@pytest.fixture
def shifts(make_shift):
    soon = make_shift(days_ahead(3), "morning")
    full = make_shift(days_ahead(3), "afternoon")
    full.task.seats_taken, full.task.status = 1, TaskStatus.FILLED
    full.task.save()
    later = make_shift(days_ahead(10), "morning")
    return soon, full, later


def test_only_open_shifts_within_seven_days_are_uncovered(shifts):
    soon, full, later = shifts
    assert list(uncovered_shifts(now=timezone.now())) == [soon]


def test_the_station_is_reminded_once(shifts, coordinator, outsider):
    now = timezone.now()

    assert reminders.run(now=now) == 1
    assert reminders.run(now=now + timedelta(hours=1)) == 0

    [notice] = Notification.objects.filter(kind=NoticeKind.SHIFT_UNCOVERED)
    assert notice.user == coordinator
    assert notice.url == f"/rosters/stations/{shifts[0].station_id}/"
    assert not Notification.objects.filter(user=outsider).exists()


def test_the_station_page_flags_it(client_as, coordinator, shifts):
    page = client_as(coordinator).get(f"/rosters/stations/{shifts[0].station_id}/")

    assert page.status_code == 200
    body = page.content.decode()
    assert body.count('class="overdue-row"') == 1
    assert "uncovered" in body
