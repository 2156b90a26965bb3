"""The case pages in Chinese at desktop and phone width: the centre's closing queue (the longest
waiting first, late and overdue closings in red) and the handler's case file. Screenshots go to
tests/browser/screenshots/ (closing-queue-desktop.png among them)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketplace.cases.models import CaseDocument, ClosingDocument, ClosingReport, Milestone
from marketplace.models import TaskKind, TaskStatus
from tests.browser.conftest import handled_case
from tests.factories import VolunteerFactory

pytestmark = pytest.mark.browser


def _milestone(task, user, kind, days_ago, note=""):
    Milestone.objects.create(
        task=task,
        kind=kind,
        date=timezone.localdate() - timedelta(days=days_ago),
        note=note,
        source="handler",
        recorded_by=user,
        recorded_at=timezone.now(),
    )


def _pdf(task, user, name, *, size, sha256, file, days_ago):
    """A PDF of the case that ``user`` uploaded ``days_ago`` days ago."""
    return CaseDocument.objects.create(
        task=task,
        name=name,
        content_type="application/pdf",
        size=size,
        sha256=sha256,
        file=file,
        uploaded_by=user,
        uploaded_at=timezone.now() - timedelta(days=days_ago),
    )


def _filed(task, claim, user, *, days_ago, due_days_ago=None, outcome="supported"):
    document = _pdf(
        task,
        user,
        "仲裁裁决书.pdf",
        size=20480,
        sha256="ab" * 32,
        file="2026/00000000000000000000000000000000.pdf",
        days_ago=days_ago,
    )
    report = ClosingReport.objects.create(
        task=task,
        claim=claim,
        handler=claim.volunteer,
        outcome=outcome,
        summary="经仲裁裁决，用人单位支付拖欠工资及经济补偿金。",
        closing_due=timezone.localdate() - timedelta(days=due_days_ago) if due_days_ago is not None else None,
        filed_by=user,
        filed_at=timezone.now() - timedelta(days=days_ago),
    )
    ClosingDocument.objects.create(report=report, document=document)


@pytest.fixture
def centre_cases(regions, legal_aid_center, coordinator, provider_volunteer):
    handler = provider_volunteer
    other = VolunteerFactory(region=regions["zhonglou"], user__first_name="陈律师")
    user = handler.user
    for title, who, days, due in (
        ("农民工追索劳动报酬劳动仲裁代理", handler, 9, 12),  # filed late: due 12 days ago, filed 9 days ago
        ("工伤认定行政诉讼代理", other, 4, None),
        ("家暴受害妇女离婚诉讼代理", handler, 1, -20),
    ):
        task, claim = handled_case(legal_aid_center, who, title, status=TaskStatus.CLOSING_REVIEW)
        _milestone(task, who.user, "judgment", days + 3)
        _filed(task, claim, who.user, days_ago=days, due_days_ago=due)
    overdue, _claim = handled_case(legal_aid_center, other, "老年人赡养纠纷民事代理（判决已超期未结案）", days=120)
    _milestone(overdue, other.user, "met_client", 100)
    _milestone(overdue, other.user, "judgment", 45, "一审判决支持赡养费请求。")
    quiet, _claim = handled_case(
        legal_aid_center, handler, "未成年人刑事案件辩护", kind=TaskKind.CRIMINAL_DEFENSE, days=30
    )
    _milestone(quiet, user, "met_client", 25, "在看守所会见未成年犯罪嫌疑人。")
    mine, _claim = handled_case(legal_aid_center, handler, "建筑工人欠薪集体劳动仲裁代理", days=40)
    _milestone(mine, user, "met_client", 35, "会见12名受援工人，收集考勤记录和工资条。")
    _milestone(mine, user, "filed", 28, "向天宁区劳动人事争议仲裁委员会提交仲裁申请。")
    _milestone(mine, user, "hearing", -7, "开庭审理（预定）。")
    _pdf(
        mine,
        user,
        "仲裁申请书（盖章版）.pdf",
        size=184320,
        sha256="cd" * 32,
        file="2026/11111111111111111111111111111111.pdf",
        days_ago=28,
    )
    return {"mine": mine}


def test_the_closing_queue_in_chinese_shows_the_longest_waiting_first_and_overdue_in_red(
    open_session, coordinator, centre_cases
):
    session = open_session(coordinator)
    page = session.goto("/cases/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    rows = page.locator("#closing-queue tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("农民工追索劳动报酬劳动仲裁代理")
    expect(rows.first.locator(".overdue")).to_be_visible()
    red = page.locator("#closing-queue .overdue").first.evaluate("e => getComputedStyle(e).color")
    assert red != page.locator("h1").evaluate("e => getComputedStyle(e).color")
    expect(page.locator("#overdue-closings .card")).to_contain_text("老年人赡养纠纷")
    session.screenshot("closing-queue")
    assert session.fits_the_phone()


def test_the_handlers_case_page_in_chinese(open_session, provider, centre_cases):
    session = open_session(provider)
    page = session.goto(f"/cases/{centre_cases['mine'].pk}/")
    expect(page.locator("#case-progress .timeline li")).to_have_count(3)
    expect(page.locator(f"#case-closing form[action='/cases/{centre_cases['mine'].pk}/closing/']")).to_be_visible()
    expect(page.locator("#case-documents")).to_contain_text("仲裁申请书（盖章版）.pdf")
    session.screenshot("case-handler")
    assert session.fits_the_phone()


def test_the_centres_review_form_in_chinese(open_session, coordinator, centre_cases):
    session = open_session(coordinator)
    page = session.goto("/cases/")
    page.locator("#closing-queue tbody tr").first.get_by_role("link").first.click()
    expect(page.locator("#review-form")).to_be_visible()
    session.screenshot("case-review")


def test_the_cases_in_progress_page_through_in_chinese(open_session, coordinator, centre_cases, monkeypatch):
    from frontend.views import cases as case_pages

    monkeypatch.setattr(case_pages, "CASES_PAGE", 2)
    session = open_session(coordinator)
    page = session.goto("/cases/")
    listed = page.locator("#cases-in-progress")
    expect(listed.locator("h2 .count")).to_have_text("(3)")
    expect(listed.locator("tbody tr")).to_have_count(2)
    expect(listed.locator(".pager")).to_contain_text("第 1 页")
    expect(page.locator("#overdue-closings .card")).to_contain_text("老年人赡养纠纷")
    listed.get_by_role("link", name="下一页").click()
    expect(listed.locator("tbody tr")).to_have_count(1)
    expect(page.locator("#overdue-closings .card")).to_contain_text("老年人赡养纠纷")
    session.screenshot("cases-page-2")
    assert session.fits_the_phone()
