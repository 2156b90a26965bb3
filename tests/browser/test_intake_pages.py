"""The intake pages in Chinese at desktop and phone width: the centre's queue (overdue first, in
red), a station's registration form on a phone, an application with its ranked candidates and a
conflict, the law firm's page and the bureau's objections. Screenshots go to
tests/browser/screenshots/ (intake-queue-desktop.png and intake-queue-phone.png among them)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketplace import services as market
from marketplace.applications import assignment
from marketplace.applications import services as intake
from organizations.models import OrganizationKind, Role
from tests.applications.conftest import citizen_id
from tests.factories import OrganizationFactory, UserFactory, VolunteerFactory, member

pytestmark = pytest.mark.browser


def _register(centre, by, *, days_ago=0, applicant="张秀英", opposing="常州某某建筑有限公司", **values):
    received = timezone.now() - timedelta(days=days_ago, hours=1)
    base = {
        "channel": "walk_in",
        "received_at": received,
        "matter_kind": "civil_representation",
        "category": "labor_wages",
        "beneficiary_group": "migrant_workers",
        "region": centre.region.children.first() or centre.region,
        "summary": "农民工追索劳动报酬，工程完工后包工头拖欠工资三个月，共计四万六千元。",
        "court_or_agency": "天宁区劳动人事争议仲裁委员会",
        "hardship_basis": "exempt_migrant_wages",
        "attachments": ["身份证复印件", "劳动合同复印件"],
    } | values
    return intake.application_register(
        organization=centre,
        values=base,
        applicant={"name": applicant, "id_number": citizen_id(f"3204021980{days_ago:02d}01123")[:18]},
        opposing_party={"name": opposing},
        by=by,
        now=received,
    )


@pytest.fixture
def season(regions, legal_aid_center, coordinator, justice_bureau):
    """Applications across the clock: overdue decisions, an overdue assignment, materials awaited,
    an urgent one, a court notice, a refusal under objection, a firm awaiting its handler."""
    centre, by = legal_aid_center, coordinator
    lawyer = VolunteerFactory(
        region=regions["tianning"], user=UserFactory(first_name="林志强"), specialties=["labor_wages"]
    )
    VolunteerFactory(region=regions["tianning"], user=UserFactory(first_name="陈海燕"), specialties=["family"])
    VolunteerFactory(region=regions["changzhou"], user=UserFactory(first_name="周敏"), specialties=["labor_wages"])
    firm = OrganizationFactory(name="江苏龙城律师事务所", kind=OrganizationKind.LAW_FIRM, region=regions["tianning"])
    director = member(firm, Role.ADMIN, username="director", first_name="龙主任")
    VolunteerFactory(region=regions["tianning"], practice_org=firm, user=UserFactory(first_name="龙城王律师"))

    late = [_register(centre, by, days_ago=d, applicant=name) for d, name in ((12, "王建国"), (9, "李桂兰"))]
    waiting = _register(centre, by, days_ago=3, applicant="刘洋")
    intake.application_request_materials(
        application=waiting, items=["收入证明", "工资条"], by=by, now=timezone.now() - timedelta(days=2)
    )
    _register(centre, by, days_ago=1, applicant="陈小龙", urgent=True)
    _register(
        centre,
        by,
        applicant="杨丽",
        channel="court_notice",
        matter_kind="criminal_defense",
        category="criminal",
        hardship_basis="criminal_notice",
        beneficiary_group="minors",
    )
    unassigned = _register(centre, by, days_ago=8, applicant="赵德明")
    intake.application_decide(application=unassigned, decision="approve", by=by, now=timezone.now() - timedelta(days=6))
    refused = _register(centre, by, days_ago=6, applicant="黄晓燕")
    intake.application_decide(
        application=refused,
        decision="refuse",
        reasons="家庭收入高于本市经济困难标准。",
        by=by,
        now=timezone.now() - timedelta(days=4),
    )
    intake.objection_register(
        application=refused,
        grounds="收入证明计算有误，家庭人口漏计一人。",
        by=by,
        now=timezone.now() - timedelta(days=1),
    )
    # The lawyer acted for 张秀英; her employer's matter against 张秀英 shows the conflict.
    earlier = _register(centre, by, days_ago=2, applicant="张秀英")
    intake.application_decide(application=earlier, decision="approve", by=by)
    earlier.refresh_from_db()
    market.task_assign(task=earlier.case, volunteer=lawyer, by=by)
    against = _register(centre, by, applicant="孙立军", opposing="张秀英")
    intake.application_decide(application=against, decision="approve", by=by)
    against.refresh_from_db()
    with_firm = _register(centre, by, days_ago=1, applicant="何玉兰")
    intake.application_decide(application=with_firm, decision="approve", by=by)
    with_firm.refresh_from_db()
    assignment.firm_assign(task=with_firm.case, law_firm=firm, by=by, now=timezone.now() - timedelta(hours=30))
    return {"late": late, "against": against, "earlier": earlier, "director": director, "firm": firm}


def test_the_intake_queue_shows_overdue_first_in_red(open_session, coordinator, season):
    session = open_session(coordinator)
    page = session.goto("/intake/?show=todo")
    rows = page.locator("table.intake-queue tbody tr")
    expect(rows.first).to_have_class("overdue-row")
    assert "逾期" in rows.first.inner_text() or "overdue" in rows.first.inner_text()
    session.screenshot("intake-queue")
    assert session.fits_the_phone()


def test_the_application_page_ranks_candidates_and_shows_the_conflict(open_session, coordinator, season):
    session = open_session(coordinator)
    page = session.goto(f"/intake/{season['against'].pk}/")
    conflict = page.locator("ol.candidates li.overdue-card")
    expect(conflict).to_contain_text(season["earlier"].number)
    session.screenshot("intake-application")
    assert session.fits_the_phone()


def test_a_station_registers_on_a_phone(open_session, regions, legal_aid_center):
    station = OrganizationFactory(
        name="常州市总工会法律援助工作站", kind=OrganizationKind.TRADE_UNION, region=regions["changzhou"]
    )
    user = member(station, username="station", first_name="钱站长")
    session = open_session(user)
    page = session.goto("/intake/new/")
    assert session.fits_the_phone()
    page.fill("#id_summary", "农民工追索劳动报酬。")
    page.fill("#id_applicant_name", "钱多多")
    page.fill("#id_applicant_phone", "13900001111")
    page.fill("#id_opposing_name", "常州某某物流有限公司")
    session.screenshot("intake-new")
    page.click("form.intake-form button[type=submit]")
    expect(page.locator(".messages")).to_be_visible()
    assert "/intake/" in page.url
    session.screenshot("intake-station-application")


def test_the_firm_and_the_bureau_pages(open_session, regulator, season):
    firm = open_session(season["director"])
    page = firm.goto("/intake/firm/")
    expect(page.locator("li.overdue-card")).to_have_count(1)
    firm.screenshot("intake-firm")
    bureau = open_session(regulator)
    page = bureau.goto("/intake/objections/")
    expect(page.locator("ul.cards > li")).to_have_count(1)
    bureau.screenshot("intake-objections")
    assert bureau.fits_the_phone()
