"""Every main page opens without errors in Chromium, at desktop and phone width (screenshots)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.models import ClaimStatus
from tests.factories import AidTaskFactory, ClaimFactory, DutyRuleFactory, HourLogFactory, VolunteerFactory
from volunteers.models import VolunteerStatus

pytestmark = pytest.mark.browser


@pytest.fixture
def busy_city(regions, legal_aid_center, provider_volunteer, coordinator):
    """A few tasks, claims, hour logs, a pending provider and a rule, so pages have something to show."""
    year = timezone.localdate().year
    DutyRuleFactory(year=year, region=regions["changzhou"], volunteer_kind="lawyer", min_hours=50, min_cases=2)
    for i in range(3):
        AidTaskFactory(organization=legal_aid_center, title=f"劳动争议咨询 {i + 1}")
    started = AidTaskFactory(
        organization=legal_aid_center, title="工伤赔偿调解", starts_at=timezone.now() - timedelta(days=2)
    )
    claim = ClaimFactory(task=started, volunteer=provider_volunteer, status=ClaimStatus.ACCEPTED)
    # Written directly: a service here would publish its event from Playwright's event-loop thread.
    HourLogFactory(
        claim=claim, volunteer=provider_volunteer, date=timezone.localdate() - timedelta(days=1), hours=Decimal("4")
    )
    VolunteerFactory(region=regions["zhonglou"], status=VolunteerStatus.PENDING, user__first_name="李待审")
    VolunteerFactory(region=regions["zhonglou"], kind="notary", user__first_name="赵公证")
    return {"claim": claim, "task": started}


# Every visible form control must have a name a screen reader can read out.
UNLABELLED_CONTROLS = """
Array.from(document.querySelectorAll("input:not([type=hidden]), select, textarea, button"))
  .filter((el) => {
    if (el.tagName === "BUTTON") return !el.textContent.trim() && !el.getAttribute("aria-label");
    const labelled = (el.labels && el.labels.length) || el.getAttribute("aria-label")
      || el.getAttribute("aria-labelledby");
    return !labelled;
  })
  .map((el) => el.outerHTML.slice(0, 80))
"""

PAGES = [
    ("anonymous", "/login/", "login"),
    ("provider", "/provider/tasks/", "provider-tasks"),
    ("provider", "/provider/duty/", "provider-duty-zh"),
    ("stranger", "/provider/register/", "provider-register"),
    ("coordinator", "/desk/", "desk"),
    ("coordinator", "/desk/hours/", "desk-hours-zh"),
    ("regulator", "/regulator/providers/", "regulator-providers"),
    ("regulator", "/regulator/compliance/", "regulator-compliance"),
    ("regulator", "/regulator/rules/", "regulator-rules"),
    ("regulator", "/regulator/declined/", "regulator-declined"),
    ("anonymous", "/", "board-zh"),
]


def test_every_main_page_renders_at_desktop_and_phone_width(
    open_session, busy_city, provider, coordinator, regulator, stranger
):
    people = {
        "anonymous": None,
        "provider": provider,
        "coordinator": coordinator,
        "regulator": regulator,
        "stranger": stranger,
    }
    sessions = {}
    for who, url, name in PAGES:
        if who not in sessions:
            sessions[who] = open_session(people[who])
        session = sessions[who]
        response = session.page.goto(session.base_url + url)
        assert response.status == 200, url
        expect(session.page.locator("main h1")).to_be_visible()
        assert session.page.evaluate(UNLABELLED_CONTROLS) == [], url
        session.screenshot(name)
    session = sessions["regulator"]
    session.goto(f"/regulator/providers/{busy_city['claim'].volunteer_id}/")
    session.screenshot("regulator-provider")
    session = sessions["coordinator"]
    session.goto(f"/desk/tasks/{busy_city['task'].pk}/")
    session.screenshot("desk-task-zh")
