"""The public statistics page in Chinese at desktop and phone width: figures, bars with "<5" as
an empty track, the tables; nothing wider than the phone; no CSP report. Screenshots go to
tests/browser/screenshots/stats-desktop.png and stats-phone.png."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.models import TaskKind
from organizations.models import OrganizationKind
from tests.factories import AidTaskFactory, OrganizationFactory
from tests.stats.test_public_stats import _application

pytestmark = pytest.mark.browser


@pytest.fixture
def a_busy_year(regions, coordinator, legal_aid_center):
    now = timezone.now()
    start = now - timedelta(days=20) if now.timetuple().tm_yday > 25 else now
    names = (("红梅街道工作站", "tianning"), ("南大街街道工作站", "zhonglou"), ("茶山街道工作站", "tianning"))
    stations = [
        OrganizationFactory(name=name, kind=OrganizationKind.COMMUNITY_STATION, region=regions[region])
        for name, region in names
    ]
    for n in range(40):
        station = stations[n % 3] if n % 5 else stations[0]
        region = station.region
        if n < 24:
            _application(station, region, coordinator, received_at=start, decided_after=timedelta(days=2),
                         assigned_after=timedelta(days=1 if n < 18 else 5))  # fmt: skip
        elif n < 32:
            _application(station, region, coordinator, received_at=start, decided_after=timedelta(days=4),
                         outcome="refused")  # fmt: skip
        else:
            _application(station, region, coordinator, received_at=start)
    for n in range(9):
        AidTaskFactory(
            organization=legal_aid_center,
            kind=TaskKind.CRIMINAL_DEFENSE if n < 7 else TaskKind.MEDIATION_ARBITRATION,
            beneficiary_group="minors" if n < 6 else "elderly",
            region=regions["zhonglou"],
        )
    return now.year


def test_the_statistics_page_in_chinese(open_session, a_busy_year):
    session = open_session()
    page = session.goto(f"/stats/?year={a_busy_year}&region=320400")
    assert page.locator("h1").count() == 1
    assert page.locator("svg.chart").count() >= 4
    assert "<5" in page.locator("main").inner_text()
    session.screenshot("stats")
    assert session.fits_the_phone()
