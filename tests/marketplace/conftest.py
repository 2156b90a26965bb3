"""Marketplace fixtures on top of the suite's cast (tests/conftest.py)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.models import TaskKind, TaskStatus
from tests.factories import AidTaskFactory, UserFactory, VolunteerFactory


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def values(regions, now):
    """The ``values`` of ``task_create``: a 3-seat consultation in 天宁区 in three days, for lawyers."""
    return {
        "title": "农民工欠薪法律咨询",
        "summary": "Wage arrears consultation",
        "kind": TaskKind.CONSULTATION,
        "category": "labor_wages",
        "beneficiary_group": "migrant_workers",
        "region": regions["tianning"],
        "location": "天宁区",
        "starts_at": now + timedelta(days=3),
        "ends_at": now + timedelta(days=3, hours=2),
        "claim_deadline": now + timedelta(days=2),
        "seats": 3,
        "estimated_hours": Decimal("2.00"),
        "eligible_kinds": ["lawyer"],
    }


@pytest.fixture
def open_task(legal_aid_center, regions, now):
    """An open 2-seat consultation of the legal aid centre in 天宁区, next week."""
    return AidTaskFactory(
        organization=legal_aid_center,
        region=regions["tianning"],
        starts_at=now + timedelta(days=7),
        seats=2,
        status=TaskStatus.OPEN,
    )


@pytest.fixture
def make_provider(regions):
    """A verified provider (lawyer in 天宁区 unless told otherwise)."""

    def make(**kwargs):
        kwargs.setdefault("region", regions["tianning"])
        if "user" not in kwargs:
            kwargs["user"] = UserFactory()
        return VolunteerFactory(**kwargs)

    return make
