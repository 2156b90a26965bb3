"""Duties fixtures: a fixed clock (``midyear_now``), quota rules, claims ready for hours, ledger helpers."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from marketplace.models import ClaimStatus, TaskKind, TaskStatus
from tests.factories import AidTaskFactory, ClaimFactory, DutyRuleFactory, HourLogFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Mid-year, so that "on track" means "half the quota": 2026-07-02 is day 183 of 365.
NOW = datetime(2026, 7, 2, 10, 0, tzinfo=SHANGHAI)
YEAR = 2026


@pytest.fixture
def midyear_now():
    """The duties' fixed clock, 2 July 2026 at 10:00 in Shanghai (the marketplace's ``now`` is the real one)."""
    return NOW


@pytest.fixture
def lawyer_rule(regions):
    """The Ministry's default for Changzhou lawyers: 50 hours or 2 cases a year."""
    return DutyRuleFactory(
        year=YEAR, region=regions["changzhou"], volunteer_kind="lawyer", min_hours=Decimal(50), min_cases=2
    )


@pytest.fixture
def task(legal_aid_center):
    """A consultation task of the legal aid centre that began at the start of the year."""
    start = datetime(YEAR, 1, 5, 9, 0, tzinfo=SHANGHAI)
    return AidTaskFactory(
        organization=legal_aid_center,
        starts_at=start,
        ends_at=start + timedelta(days=300),
        claim_deadline=start - timedelta(days=1),
        kind=TaskKind.CONSULTATION,
        status=TaskStatus.OPEN,
    )


@pytest.fixture
def claim(task, provider_volunteer):
    return ClaimFactory(task=task, volunteer=provider_volunteer, status=ClaimStatus.ACCEPTED)


@pytest.fixture
def case_claim(legal_aid_center, provider_volunteer):
    start = datetime(YEAR, 3, 1, 9, 0, tzinfo=SHANGHAI)
    task = AidTaskFactory(
        organization=legal_aid_center,
        kind=TaskKind.CIVIL_REPRESENTATION,
        starts_at=start,
        ends_at=start + timedelta(days=30),
        claim_deadline=start - timedelta(days=1),
        status=TaskStatus.COMPLETED,
    )
    return ClaimFactory(task=task, volunteer=provider_volunteer, status=ClaimStatus.COMPLETED)


def make_case_claim(organization, volunteer, *, status=ClaimStatus.COMPLETED, kind=TaskKind.CRIMINAL_DEFENSE):
    start = datetime(YEAR, 2, 1, 9, 0, tzinfo=SHANGHAI)
    task = AidTaskFactory(
        organization=organization,
        kind=kind,
        starts_at=start,
        ends_at=start + timedelta(days=30),
        claim_deadline=start - timedelta(days=1),
        status=TaskStatus.COMPLETED,
    )
    return ClaimFactory(task=task, volunteer=volunteer, status=status)


def day(month: int, dom: int, year: int = YEAR) -> date:
    return date(year, month, dom)


def make_log(claim, *, on=None, hours="2.00", status="pending", note=""):
    """Hours on ``claim`` (2 March of the fixed year unless ``on`` says otherwise)."""
    return HourLogFactory(claim=claim, date=on or date(YEAR, 3, 2), hours=Decimal(hours), note=note, status=status)


@pytest.fixture
def pending_log(claim):
    return make_log(claim)


@pytest.fixture
def outsider_claim(other_org, regions):
    """An accepted claim on a task of another organisation, by another provider."""
    from tests.factories import VolunteerFactory

    start = datetime(YEAR, 1, 5, 9, 0, tzinfo=SHANGHAI)
    task = AidTaskFactory(
        organization=other_org, starts_at=start, ends_at=start + timedelta(days=300), claim_deadline=None
    )
    return ClaimFactory(task=task, volunteer=VolunteerFactory(region=regions["zhonglou"]))


def queries_for_page_sizes(api_as, user, url, params=None):
    """Queries run by one list request at page_size 10 and at 100, each with a fresh user object."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (10, 100):
        client = api_as(User.objects.get(pk=user.pk))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {**(params or {}), "page_size": size})
        assert response.status_code == 200, response.data
        counts.append(len(captured))
    return counts
