"""Marketplace fixtures on top of the suite's cast (tests/conftest.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.models import TaskStatus
from tests.factories import AidTaskFactory, UserFactory, VolunteerFactory


@pytest.fixture
def now():
    return timezone.now()


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
