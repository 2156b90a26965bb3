"""Page fixtures on top of the suite's cast (tests/conftest.py, which also has ``client_as``)."""

import pytest

from tests.applications.conftest import (  # noqa: F401 (the intake cast of the API tests, for the intake pages)
    firm_director,
    law_firm,
    station,
    station_coordinator,
)
from tests.factories import AidTaskFactory


@pytest.fixture
def wage_clinic(legal_aid_center, coordinator):
    """The open task of the pages: the centre's "欠薪咨询 wage clinic", posted by the coordinator."""
    return AidTaskFactory(organization=legal_aid_center, title="欠薪咨询 wage clinic", created_by=coordinator)


@pytest.fixture
def draft_task(legal_aid_center):
    return AidTaskFactory(organization=legal_aid_center, title="A draft not yet public", status="draft")


def rule_form(year, **changes) -> dict:
    """The regulator's duty rule form: lawyers in 常州市, 50 hours or 2 cases a year, unless changed."""
    form = {
        "year": year,
        "region": "320400",
        "volunteer_kind": "lawyer",
        "min_hours": "50",
        "min_cases": "2",
        "satisfied_by": "any",
    }
    return form | changes
