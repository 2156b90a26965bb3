"""The services keep the clock with the counting of the settings, at fixed times."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from marketplace.applications import services
from tests.applications.conftest import APPLICANT

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
FRIDAY = datetime(2026, 3, 6, 16, 0, tzinfo=SHANGHAI)


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=SHANGHAI)


@pytest.fixture
def register(legal_aid_center, coordinator, regions):
    def make(*, now=FRIDAY, **values):
        base = {
            "channel": "walk_in",
            "received_at": now,
            "matter_kind": "civil_representation",
            "category": "labor_wages",
            "beneficiary_group": "migrant_workers",
            "region": regions["tianning"],
            "summary": "追索劳动报酬",
            "hardship_basis": "exempt_migrant_wages",
        }
        return services.application_register(
            organization=legal_aid_center, values=base | values, applicant=APPLICANT, by=coordinator, now=now
        )

    return make


def test_calendar_days_by_default(register):
    assert register().decision_due == date(2026, 3, 13)


def test_working_days_when_configured(settings, register, coordinator):
    settings.LEGAL_AID_DAY_COUNTING = "working"
    application = register()
    assert application.decision_due == date(2026, 3, 17)

    # Asked for materials on Monday 9 March, received on Monday 16 March: 5 working days paused.
    services.application_request_materials(application=application, items=["收入证明"], by=coordinator, now=at(9))
    services.application_materials_received(application=application, by=coordinator, now=at(16))
    application.refresh_from_db()
    assert application.paused_days == 5
    assert application.decision_due == date(2026, 3, 24)

    services.application_decide(application=application, decision="approve", by=coordinator, now=at(18))
    application.refresh_from_db()
    assert application.assign_due == date(2026, 3, 23)  # Wednesday + 3 working days


def test_the_day_counts_come_from_the_settings(settings, register, coordinator, regulator):
    settings.LEGAL_AID_DECISION_DAYS = 10
    settings.LEGAL_AID_OBJECTION_DAYS = 2
    application = register()
    assert application.decision_due == date(2026, 3, 16)
    services.application_decide(
        application=application, decision="refuse", reasons="不符合条件", by=coordinator, now=at(9)
    )
    objection = services.objection_register(application=application, grounds="有误", by=coordinator, now=at(10))
    assert objection.due == date(2026, 3, 12)
    services.objection_decide(application=application, upheld=True, reasons="改正", by=regulator, now=at(11))
    application.refresh_from_db()
    assert (application.status, application.decision_due) == ("under_review", date(2026, 3, 21))


def test_a_station_receipt_starts_the_clock_and_forwarding_keeps_it(legal_aid_center, station, station_coordinator):
    application = services.application_register(
        organization=station,
        values={
            "channel": "station",
            "received_at": at(2),
            "matter_kind": "consultation",
            "category": "family",
            "beneficiary_group": "women",
            "region": station.region,
            "summary": "离婚咨询",
            "hardship_basis": "hardship_certified",
        },
        applicant=APPLICANT,
        by=station_coordinator,
        now=at(2),
    )
    services.application_forward(application=application, by=station_coordinator, now=at(4))
    application.refresh_from_db()
    assert application.decision_due == date(2026, 3, 9)
    assert application.number == "常援申〔2026〕第0001号"
