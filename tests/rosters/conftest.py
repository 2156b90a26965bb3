"""Roster fixtures: a court station run by the city legal aid centre, lawyers and a notary, and
``make_shift`` for shifts at any time (past ones too, as a station's history would have)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.models import AidTask, BeneficiaryGroup, TaskKind, TaskStatus
from marketplace.rosters.models import DutyShift, DutyStation, StationKind
from tests.factories import VolunteerFactory
from volunteers.models import Category, VolunteerKind


@pytest.fixture
def station(legal_aid_center, regions):
    return DutyStation.objects.create(
        organization=legal_aid_center,
        name="常州市天宁区人民法院法律援助工作站",
        kind=StationKind.COURT,
        region=regions["tianning"],
        address="天宁区人民法院一楼",
        created_at=timezone.now(),
    )


@pytest.fixture
def other_lawyer(regions):
    return VolunteerFactory(region=regions["tianning"], user__username="lawyer2", user__first_name="李律师")


@pytest.fixture
def notary(regions):
    return VolunteerFactory(kind=VolunteerKind.NOTARY, region=regions["tianning"], user__username="notary")


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def make_shift(station):
    """``make_shift(day, half="morning", seats=1, eligible_kinds=["lawyer"])``: an open shift at
    the station, written directly (a past one cannot be posted)."""

    def make(day: date, half: str = "morning", *, seats: int = 1, eligible_kinds=None, **task_fields) -> DutyShift:
        starts, ends = station.hours_of(half)
        task = AidTask.objects.create(
            organization=station.organization,
            title=f"值班律师（{station.name}）{day} {'上午' if half == 'morning' else '下午'}",
            kind=TaskKind.DUTY_SHIFT,
            category=Category.CRIMINAL,
            beneficiary_group=BeneficiaryGroup.GENERAL,
            region=station.region,
            location=station.address,
            starts_at=local(day, starts.hour, starts.minute),
            ends_at=local(day, ends.hour, ends.minute),
            seats=seats,
            estimated_hours=Decimal("3.50"),
            eligible_kinds=["lawyer"] if eligible_kinds is None else eligible_kinds,
            status=TaskStatus.OPEN,
            **task_fields,
        )
        return DutyShift.objects.create(task=task, station=station, date=day, half_day=half)

    return make


def days_ahead(n: int) -> date:
    return timezone.localdate() + timedelta(days=n)
