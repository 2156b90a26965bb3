"""This session's new pages walked in Chromium, in Chinese, by the people who use them, at desktop
and phone width: the duty rosters (the coordinator's stations, a station's page with the bulk
posting form, the uncovered flags, a swap to decide and a shift to record served, the served-shift
form), a lawyer's shifts with the swap form, the centre's case cap and the assignment candidates
at the cap, the law firm's progress page and the background jobs' pages.

Screenshots: tests/browser/screenshots/walk-*-desktop.png and walk-*-phone.png."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from duties import services as duty_services
from marketplace.applications import caseload
from marketplace.models import AidTask, ClaimStatus, TaskStatus
from marketplace.rosters.models import DutyShift, ShiftSwap, SwapStatus
from organizations.models import OrganizationKind, Role
from tests.applications.test_case_cap import hold, new_case
from tests.duties.conftest import make_case_claim
from tests.factories import (
    ClaimFactory,
    DutyRuleFactory,
    OrganizationFactory,
    VolunteerFactory,
    member,
)
from tests.jobs.conftest import job_files  # noqa: F401  (autouse: the jobs' files in a folder of the test's own)
from tests.rosters.conftest import days_ahead, make_shift, other_lawyer, station  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

# Latin words of three letters or more left in the visible text: an untranslated string shows as
# English words (names, numbers and codes in the fixtures are Chinese or digits).
ENGLISH = re.compile(r"\b[A-Za-z]{3,}(?: [A-Za-z]{2,})+\b")


def take(shift, volunteer):
    """The volunteer holds the shift's only seat (the shift is filled, so covered)."""
    claim = ClaimFactory(task=shift.task, volunteer=volunteer, status=ClaimStatus.ACCEPTED)
    AidTask.objects.filter(pk=shift.task_id).update(seats_taken=1, status=TaskStatus.FILLED)
    return claim


def walk(session, path: str, name: str, heading: str):
    """Open ``path``, check its heading, take both screenshots, and check that the phone shows
    the page without scrolling sideways and that no English sentence is left in it."""
    page = session.goto(path)
    assert page.locator("h1").first.inner_text().strip() == heading
    session.screenshot(name)
    assert session.fits_the_phone(), f"{path} scrolls sideways on a phone"
    unlabelled = page.locator("table.stack td:not(.cell-title):not(.cell-actions):not([data-label])")
    assert unlabelled.count() == 0, f"{path}: a phone shows {unlabelled.count()} table cells without their column"
    text = page.locator("main").inner_text() if page.locator("main").count() else page.inner_text("body")
    assert ENGLISH.findall(text) == [], f"{path} shows English: {ENGLISH.findall(text)}"
    return page


def test_the_coordinator_walks_the_rosters(open_session, coordinator, station, make_shift, provider_volunteer):  # noqa: F811
    held = make_shift(days_ahead(2), "morning")
    take(held, provider_volunteer)
    make_shift(days_ahead(3), "afternoon")  # nobody holds it: flagged
    past = make_shift(timezone.localdate() - timedelta(days=1), "morning")
    take(past, provider_volunteer)
    session = open_session(coordinator)

    page = walk(session, "/rosters/", "walk-rosters", "值班排班")
    assert page.locator("#roster-stations .card").count() == 1
    assert "1" in page.locator("#roster-stations .overdue").inner_text()

    page = walk(session, f"/rosters/stations/{station.pk}/", "walk-roster-station", station.name)
    assert page.locator("#roster-shifts tbody tr").count() == 2
    assert page.locator("#roster-shifts tr.overdue-row").count() == 1
    assert page.locator("#roster-to-record li").count() == 1
    page.set_viewport_size({"width": 1280, "height": 800})
    page.locator("#roster-post summary").click()
    # the form opens with the next four weeks filled in (a date input shows only an ISO date)
    assert page.locator("input[name=first_day]").input_value() == timezone.localdate().isoformat()
    assert page.locator("input[name=last_day]").input_value() == (timezone.localdate() + timedelta(weeks=4)).isoformat()
    session.screenshot("walk-roster-post-form")
    assert session.fits_the_phone(), "the open posting form scrolls sideways on a phone"
    page.locator("input[name=first_day]").fill(days_ahead(1).isoformat())
    page.locator("input[name=last_day]").fill(days_ahead(7).isoformat())
    page.locator("#roster-post-form button[type=submit]").click()
    page.wait_for_load_state()
    assert re.search(r"已发布 \d+ 个班次；\d+ 个已发布的时段已跳过", page.inner_text("body"))
    assert DutyShift.objects.filter(station=station).count() > 3  # the form posted shifts
    session.screenshot("walk-roster-posted")
    halves = page.locator("#roster-shifts tbody tr td:nth-child(2)").all_inner_texts()
    assert halves[0].startswith("上午") and halves[1].startswith("下午")  # a day's morning before its afternoon
    assert session.fits_the_phone(), "the posted roster scrolls sideways on a phone"

    served = page.locator("#roster-to-record a").get_attribute("href")
    page = walk(session, served, "walk-roster-served", "登记值班完成")
    assert page.locator("#served-form button[type=submit]").count() == 1


def test_the_coordinator_sees_a_swap_to_decide(
    open_session,
    coordinator,
    station,  # noqa: F811
    make_shift,  # noqa: F811
    provider_volunteer,
    other_lawyer,  # noqa: F811
):
    shift = make_shift(days_ahead(4), "morning")
    claim = take(shift, provider_volunteer)
    ShiftSwap.objects.create(
        claim=claim,
        shift=shift,
        from_volunteer=provider_volunteer,
        to_volunteer=other_lawyer,
        reason="家中有事",
        status=SwapStatus.PENDING,
        created_at=timezone.now(),
    )
    session = open_session(coordinator)
    page = walk(session, f"/rosters/stations/{station.pk}/", "walk-roster-swap", station.name)
    assert page.locator("#roster-swaps .card").count() == 1
    assert page.locator("#roster-swaps button").count() == 2
    # the swap's buttons speak of the swap, not of granting legal aid (the shared msgid "Approve")
    assert "法律援助" not in page.locator("#roster-swaps div.actions").inner_text()
    reason = page.locator("#roster-swaps input[name=reason]")
    assert reason.get_attribute("placeholder") == "理由"
    assert reason.bounding_box()["width"] > 120  # a styled field, not the browser's bare box


def test_the_lawyer_walks_the_shifts_and_asks_a_swap(
    open_session,
    provider,
    station,  # noqa: F811
    make_shift,  # noqa: F811
    provider_volunteer,
    other_lawyer,  # noqa: F811
):
    shift = make_shift(days_ahead(5), "afternoon")
    take(shift, provider_volunteer)
    session = open_session(provider)
    page = walk(session, "/provider/shifts/", "walk-my-shifts", "我的值班")
    assert page.locator("#my-shifts .card").count() == 1
    page.locator("#my-shifts summary").click()
    assert page.locator("#my-shifts button[type=submit]").is_visible()
    session.screenshot("walk-my-shifts-swap-form")
    assert session.fits_the_phone(), "the open swap form scrolls sideways on a phone"
    page.locator("#my-shifts input[name=licence_number]").fill(other_lawyer.licence_number)
    page.locator("#my-shifts input[name=reason]").fill("出庭冲突")
    page.locator("#my-shifts button[type=submit]").click()
    page.wait_for_load_state()
    assert ShiftSwap.objects.filter(shift=shift, status=SwapStatus.PENDING).count() == 1
    assert page.locator("#my-swaps li").count() == 1
    assert other_lawyer.display_name in page.locator("#my-swaps").inner_text()
    # the shift now says its swap waits for the station; no second form to ask again
    assert page.locator("#my-shifts details").count() == 0
    assert "待工作站审批" in page.locator("#my-shifts").inner_text()
    session.screenshot("walk-my-shifts-swap-asked")
    assert session.fits_the_phone(), "the swap list scrolls sideways on a phone"


def test_the_centre_sets_its_cap_and_sees_a_candidate_at_it(
    open_session, coordinator, legal_aid_center, regions, provider_volunteer
):
    caseload.case_cap_set(centre=legal_aid_center, max_open_cases=1, by=coordinator)
    hold(new_case(legal_aid_center, regions["tianning"]), provider_volunteer)
    case = new_case(legal_aid_center, regions["tianning"])
    session = open_session(coordinator)

    page = walk(session, "/desk/case-cap/", "walk-case-cap", "在办案件上限")
    assert page.locator("#current-cap").inner_text().strip() != ""
    assert page.locator("input[name=max_open_cases]").input_value() == "1"

    page = session.goto(f"/desk/tasks/{case.pk}/")
    row = page.locator(f"text={provider_volunteer.display_name}").first
    assert row.count() == 1
    assert "不可指派：在办案件已达上限" in page.inner_text("main")
    session.screenshot("walk-candidates-at-cap")
    assert session.fits_the_phone(), "the assignment page scrolls sideways on a phone"


def test_the_law_firm_walks_its_progress(open_session, regions, legal_aid_center, coordinator):
    year = timezone.localdate().year
    firm = OrganizationFactory(name="江苏天宁律师事务所", kind=OrganizationKind.LAW_FIRM, region=regions["tianning"])
    director = member(firm, Role.ADMIN, username="firm_admin", first_name="赵主任")
    DutyRuleFactory(year=year, region=regions["changzhou"], volunteer_kind="lawyer", min_hours=0, min_cases=2)
    busy = VolunteerFactory(region=regions["tianning"], practice_org=firm, user__first_name="钱忙碌")
    VolunteerFactory(region=regions["tianning"], practice_org=firm, user__first_name="孙空闲")
    duty_services.duty_credit_case(claim=make_case_claim(legal_aid_center, busy), by=coordinator)
    session = open_session(director)
    page = walk(session, f"/firm/progress/?year={year}", "walk-firm-progress", "本所律师法律援助义务履行情况")
    assert page.locator("#firm-lawyers tbody tr").count() == 2
    assert page.locator("#firm-totals li").count() >= 5


def test_the_regulator_walks_the_jobs(open_session, regulator, waiting_export):
    job = waiting_export
    session = open_session(regulator)
    page = walk(session, "/jobs/", "walk-jobs", "后台任务")
    assert page.locator(f"a[href='/jobs/{job.pk}/']").count() >= 1
    assert "常州市" in page.locator("#jobs-list").inner_text()  # the region by name, not its code
    assert "320400" not in page.locator("#jobs-list").inner_text()
    page = session.goto(f"/jobs/{job.pk}/")
    assert page.locator("#job-progress.job-queued").count() == 1
    assert "常州市" in page.locator("main").inner_text()
    session.screenshot("walk-job")
    assert session.fits_the_phone(), "the job page scrolls sideways on a phone"
