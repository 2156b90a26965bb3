"""Pages a person can use on a phone (390 x 844), in Chinese: the board's filters fold away,
tables scroll or turn into cards instead of squeezing, chart labels stay readable. Each test also
leaves screenshots at both widths in tests/browser/screenshots/."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.models import AidTask, ClaimStatus, TaskKind, TaskStatus
from tests.browser.conftest import PAGE_IS_NOT_WIDER_THAN_THE_SCREEN, PHONE
from tests.factories import (
    AidTaskFactory,
    AnnualReviewFactory,
    ClaimFactory,
    DutyRuleFactory,
    HourLogFactory,
    VolunteerFactory,
)
from volunteers.models import Volunteer, VolunteerStatus

pytestmark = pytest.mark.browser

TEXT_HEIGHTS = "texts => texts.map((t) => t.getBoundingClientRect().height)"
LONG_NOTE = "在法律援助中心窗口接待来访群众，解答劳动争议、工伤赔偿和欠薪问题，并协助填写仲裁申请书"


def on_phone(session, path: str):
    session.page.set_viewport_size(PHONE)
    return session.goto(path)


@pytest.fixture
def city(regions, legal_aid_center, provider_volunteer, coordinator):
    now = timezone.now()
    year = timezone.localdate().year
    DutyRuleFactory(year=year, region=regions["changzhou"], volunteer_kind="lawyer", min_hours=50, min_cases=2)
    for i in range(3):
        AidTaskFactory(organization=legal_aid_center, title=f"劳动争议咨询 {i + 1}", estimated_hours=Decimal("15"))
    AidTaskFactory(
        organization=legal_aid_center,
        title="工伤赔偿民事代理（跨月案件）",
        kind=TaskKind.CIVIL_REPRESENTATION,
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=40),
        claim_deadline=now + timedelta(days=2),
        estimated_hours=Decimal("16"),
    )
    AidTaskFactory(
        organization=legal_aid_center, title="已满员的值班", seats=1, seats_taken=1, status=TaskStatus.FILLED
    )
    started = AidTaskFactory(organization=legal_aid_center, title="工伤赔偿调解", starts_at=now - timedelta(days=2))
    claim = ClaimFactory(task=started, volunteer=provider_volunteer, status=ClaimStatus.ACCEPTED)
    for days, hours in ((2, "3.5"), (1, "4")):
        # Written directly: a service here would publish its event from Playwright's event-loop thread.
        HourLogFactory(
            claim=claim,
            volunteer=provider_volunteer,
            date=timezone.localdate(started.starts_at) + timedelta(days=2 - days),
            hours=Decimal(hours),
            note=LONG_NOTE,
        )
    declined = VolunteerFactory(region=regions["zhonglou"], user__first_name="李拒绝")
    ClaimFactory(
        task=AidTaskFactory(organization=legal_aid_center, title="未成年人刑事案件辩护", region=regions["zhonglou"]),
        volunteer=declined,
        status=ClaimStatus.DECLINED,
        is_assignment=True,
        declined_by_provider=True,
        decided_at=now,
        reason="与对方当事人存在利益冲突（曾代理其公司业务），且该时段已有开庭安排，无法按期会见当事人",
    )
    VolunteerFactory(region=regions["zhonglou"], kind="notary", user__first_name="赵公证")
    VolunteerFactory(region=regions["tianning"], status=VolunteerStatus.PENDING, user__first_name="李待审")


def test_the_board_on_a_phone_folds_its_filters_and_shows_tasks_on_the_first_screen(open_session, city):
    session = open_session(None)
    page = on_phone(session, "/")
    expect(page.locator("details.more-filters")).not_to_have_attribute("open", "")
    first_card = page.locator("#board-results .card").first.bounding_box()
    assert first_card["y"] < PHONE["height"] - 100
    assert page.evaluate(PAGE_IS_NOT_WIDER_THAN_THE_SCREEN)
    # Full tasks are hidden until the box is unticked, in place.
    expect(page.locator("#board-results")).not_to_contain_text("已满员的值班")
    expect(page.locator("#board-results")).to_contain_text("跨月案件")
    page.locator("input[type=checkbox][name=has_seats]").uncheck()
    expect(page.locator("#board-results")).to_contain_text("已满员的值班")
    assert "has_seats=false" in page.url
    page.locator("input[type=checkbox][name=has_seats]").check()
    expect(page.locator("#board-results")).not_to_contain_text("已满员的值班")
    session.screenshot("board-seats")


def test_the_board_on_a_desktop_shows_every_filter(open_session, city):
    page = open_session(None).goto("/")
    expect(page.locator("details.more-filters")).to_have_attribute("open", "")
    expect(page.locator("#id_category")).to_be_visible()


def test_a_filter_in_use_stays_in_sight_on_a_phone(open_session, city):
    page = on_phone(open_session(None), "/?category=work_injury")
    expect(page.locator("details.more-filters")).to_have_attribute("open", "")


def test_hours_to_confirm_are_cards_on_a_phone(open_session, city, coordinator):
    session = open_session(coordinator)
    page = on_phone(session, "/desk/hours/")
    assert page.evaluate(PAGE_IS_NOT_WIDER_THAN_THE_SCREEN)
    row = page.locator("table.stack tbody tr").first
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    button = row.locator("button", has_text="确认").first.bounding_box()
    assert button["x"] + button["width"] <= PHONE["width"]
    session.screenshot("desk-hours-cards")
    session.goto("/desk/")
    assert page.evaluate(PAGE_IS_NOT_WIDER_THAN_THE_SCREEN)
    session.screenshot("desk-cards")


def test_tables_on_a_phone_keep_words_whole_and_scroll_sideways(open_session, city, regulator):
    session = open_session(regulator)
    page = on_phone(session, "/regulator/declined/")
    assert page.evaluate(PAGE_IS_NOT_WIDER_THAN_THE_SCREEN)
    heights = page.locator("thead th").evaluate_all("cells => cells.map((c) => c.getBoundingClientRect().height)")
    assert max(heights) < 45, heights  # one line each, not one character a line
    wrap = page.locator(".table-wrap").first
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")
    session.screenshot("regulator-declined-long")
    session.goto("/regulator/providers/?status=all")
    assert page.evaluate(PAGE_IS_NOT_WIDER_THAN_THE_SCREEN)
    session.screenshot("regulator-providers-all")


def test_chart_labels_are_readable_on_a_phone(open_session, city, regulator, provider):
    session = open_session(regulator)
    page = on_phone(session, "/regulator/compliance/")
    assert page.evaluate(PAGE_IS_NOT_WIDER_THAN_THE_SCREEN)
    sizes = page.locator("#chart-district text").evaluate_all(TEXT_HEIGHTS)
    assert sizes and min(sizes) >= 13, sizes
    session.screenshot("regulator-compliance-charts")
    duty = open_session(provider)
    page = on_phone(duty, "/provider/duty/")
    sizes = page.locator("#progress-chart text").evaluate_all(TEXT_HEIGHTS)
    assert sizes and min(sizes) >= 13, sizes
    duty.screenshot("provider-duty-chart")


def test_the_annual_review_and_a_task_read_well_on_a_phone(open_session, city, regulator, regions):
    year = timezone.localdate().year - 1
    DutyRuleFactory(year=year, region=regions["changzhou"], volunteer_kind="lawyer", min_hours=50, min_cases=2)
    for volunteer in Volunteer.objects.filter(status=VolunteerStatus.VERIFIED):
        AnnualReviewFactory(volunteer=volunteer, year=year, region=volunteer.region, opened_at=timezone.now())
    session = open_session(regulator)
    page = on_phone(session, f"/regulator/reviews/?year={year}&region=320400")
    assert page.evaluate(PAGE_IS_NOT_WIDER_THAN_THE_SCREEN)
    session.screenshot("regulator-reviews-open")


def test_a_task_and_a_claim_read_well_on_a_phone(open_session, city, provider):
    task = AidTask.objects.get(title__contains="跨月案件")
    visitor = open_session(None)
    page = on_phone(visitor, f"/tasks/{task.pk}/")
    assert page.evaluate(PAGE_IS_NOT_WIDER_THAN_THE_SCREEN)
    expect(page.locator("main")).to_contain_text(timezone.localtime(task.ends_at).strftime("%Y-%m-%d %H:%M"))
    visitor.screenshot("task-detail-multi-day")
    mine = open_session(provider)
    claim = provider.volunteer.claims.get(task__title="工伤赔偿调解")
    page = on_phone(mine, f"/provider/claims/{claim.pk}/")
    assert page.evaluate(PAGE_IS_NOT_WIDER_THAN_THE_SCREEN)
    mine.screenshot("provider-claim")
