"""Jobs fixtures: last year's reviews of 常州 (one provider who met the rule, one who did not),
and a private storage folder of the test's own for the jobs' files."""

from datetime import datetime

import pytest

from duties import services
from duties.models import AnnualReview
from tests.duties.conftest import SHANGHAI, make_case_claim
from tests.factories import DutyRuleFactory, VolunteerFactory

LAST_YEAR = 2025
SCOPE = {"year": LAST_YEAR, "region": "320400"}


@pytest.fixture(autouse=True)
def job_files(settings, tmp_path):
    """The documents storage (where the jobs' files go) in a folder of this test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {**settings.STORAGES["documents"], "OPTIONS": {"location": str(tmp_path / "documents")}},
    }
    return tmp_path / "documents"


@pytest.fixture
def rule_last_year(regions):
    return DutyRuleFactory(
        year=LAST_YEAR, region=regions["changzhou"], volunteer_kind="lawyer", min_hours=50, min_cases=2
    )


def make_compliant_lawyer(legal_aid_center, region, coordinator, name):
    lawyer = VolunteerFactory(region=region, user__first_name=name)
    when = datetime(LAST_YEAR, 11, 1, 10, tzinfo=SHANGHAI)
    for _ in range(2):
        services.duty_credit_case(claim=make_case_claim(legal_aid_center, lawyer), by=coordinator, now=when)
    return lawyer


@pytest.fixture
def compliant_lawyers(legal_aid_center, regions, coordinator, rule_last_year):
    """Two Zhonglou lawyers with two cases each last year: both meet the rule."""
    return [
        make_compliant_lawyer(legal_aid_center, regions["zhonglou"], coordinator, name) for name in ("李合规", "张达标")
    ]


@pytest.fixture
def opened(regulator, regions, provider_volunteer, compliant_lawyers):
    """Last year's reviews of 常州 opened: the two compliant lawyers and the provider (behind)."""
    services.reviews_open(year=LAST_YEAR, region=regions["changzhou"], by=regulator)
    assert AnnualReview.objects.filter(year=LAST_YEAR, status="open").count() == 3


@pytest.fixture
def certified(opened, regulator, regions):
    """The two compliant lawyers decided compliant: two certificates."""
    decided = services.reviews_decide_compliant(year=LAST_YEAR, region=regions["changzhou"], by=regulator)
    assert len(decided) == 2
    return decided
