"""The complaint and evidence pages in Chinese at desktop and phone width: the public complaint
form and its tracking page, the bureau's complaints desk, the handler's evidence requests, the
department's queue and its answer form. Screenshots go to tests/browser/screenshots/."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from duties.complaints import services as complaint_services
from duties.complaints.models import Complaint
from marketplace.evidence import services as evidence_services
from marketplace.evidence.models import EvidenceRequest
from marketplace.models import TaskKind
from organizations.models import OrganizationKind
from tests.browser.conftest import PAGE_IS_NOT_WIDER_THAN_THE_SCREEN, PHONE, handled_case
from tests.factories import OrganizationFactory, member

pytestmark = pytest.mark.browser


@pytest.fixture
def city(regions, legal_aid_center, coordinator, regulator, provider_volunteer):
    """A case under way with its handler, a police department, complaints and requests in each state."""
    case, _claim = handled_case(
        legal_aid_center,
        provider_volunteer,
        "常援申〔2026〕第0012号 劳动争议调解与仲裁代理",
        kind=TaskKind.MEDIATION_ARBITRATION,
        days=40,
        hours="10",
        region=regions["tianning"],
    )
    police_org = OrganizationFactory(
        name="常州市公安局天宁分局", kind=OrganizationKind.GOVERNMENT_DEPARTMENT, region=regions["tianning"]
    )
    archives_org = OrganizationFactory(
        name="常州市档案馆", kind=OrganizationKind.GOVERNMENT_DEPARTMENT, region=regions["changzhou"]
    )
    police = member(police_org, username="police", first_name="陈卫东")
    handler = provider_volunteer.user
    now = timezone.now()

    def ask(department, items, purpose, days_ago):
        """The handler's request for evidence of the case, sent ``days_ago`` days ago."""
        return evidence_services.evidence_request_create(
            task=case,
            department=department,
            items=items,
            purpose=purpose,
            by=handler,
            now=now - timedelta(days=days_ago),
        )

    pending = ask(
        police_org,
        ["2025年6月至12月受援人报警的出警记录", "报警人询问笔录复印件"],
        "证明用人单位拖欠工资期间受援人曾报警求助。",
        2,
    )
    late = ask(police_org, ["事故现场的监控录像"], "证明工伤事故发生的时间和经过。", 20)
    answered = ask(archives_org, ["受援人1998年至2008年的职工档案"], "核实受援人的连续工龄。", 10)
    archivist = member(archives_org, username="archives", first_name="林雅琴")
    evidence_services.evidence_request_respond(
        request=answered, provided=True, fee_waived=True, note="已调取职工档案复印件，免收费用。", by=archivist
    )

    def complain(subject, text, contact, days_ago, **about):
        """A complaint filed ``days_ago`` days ago, ``about`` the case and/or its lawyer."""
        return complaint_services.complaint_file(
            subject=subject, text=text, contact=contact, now=now - timedelta(days=days_ago), **about
        )

    fresh = complain(
        "承办律师长期不回电话",
        "开庭前一周一直联系不上承办律师，也没有人告诉我案件进展。",
        "13912340001",
        3,
        task=case,
        volunteer=provider_volunteer,
    )
    overdue = complain(
        "援助律师收取了“材料费”",
        "律师让我交了300元材料费，没有给收据。",
        "13912340002",
        35,
        volunteer=provider_volunteer,
    )
    resolved = complain("值班律师态度生硬", "值班律师解答问题很不耐烦。", "13912340003", 20, task=case)
    complaint_services.complaint_resolve(
        complaint=resolved,
        finding="经调取值班记录并询问当事人，值班律师解答时间过短，投诉属实。",
        action="对值班律师进行批评教育，由法律援助中心回访投诉人并重新安排咨询。",
        by=regulator,
    )
    return {
        "case": case,
        "police": police,
        "pending": pending,
        "late": late,
        "answered": answered,
        "fresh": fresh,
        "overdue": overdue,
        "resolved": resolved,
    }


def _fits_the_phone(session, path):
    session.page.set_viewport_size(PHONE)
    session.goto(path)
    assert session.page.evaluate(PAGE_IS_NOT_WIDER_THAN_THE_SCREEN), path


def test_the_public_files_a_complaint_and_follows_it_by_its_code(open_session, city):
    session = open_session(None)
    page = session.goto(f"/complaints/new/?task={city['case'].pk}")
    expect(page.locator("#complaint-task")).to_contain_text(city["case"].title)
    session.screenshot("complaint-new")
    page.fill("#id_subject", "援助律师未告知开庭时间")
    page.fill("#id_text", "开庭当天才接到电话，没有时间准备材料。")
    page.fill("#id_contact", "13912345678")
    page.locator("#complaint-form button[type=submit]").click()
    expect(page.locator("#complaint-status")).to_be_visible()
    complaint = Complaint.objects.get(subject="援助律师未告知开庭时间")
    expect(page.locator("#complaint-code")).to_have_text(complaint.code)
    assert "13912345678" not in page.content()
    session.screenshot("complaint-filed")
    session.goto(f"/complaints/track/{city['resolved'].code}/")
    expect(page.locator("#complaint-finding")).to_contain_text("投诉属实")
    session.screenshot("complaint-status")
    _fits_the_phone(session, f"/complaints/track/{city['resolved'].code}/")


def test_the_bureau_works_its_complaints_desk(open_session, city, regulator):
    session = open_session(regulator)
    page = session.goto("/bureau/complaints/")
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("tr.overdue-row")).to_have_count(1)
    session.screenshot("complaints-desk")
    page = session.goto(f"/bureau/complaints/{city['fresh'].pk}/")
    expect(page.locator("#complaint-contact")).to_have_text("13912340001")
    session.screenshot("complaints-detail")
    page.fill("#id_finding", "经核查，承办律师未及时告知案件进展，投诉属实。")
    page.fill("#id_action", "约谈承办律师，责令其每两周告知受援人一次案件进展。")
    page.locator("#resolve-form button[type=submit]").click()
    expect(page.locator("#complaint-status")).to_have_attribute("class", "status status-resolved")
    _fits_the_phone(session, "/bureau/complaints/?show=all")
    page = session.goto(f"/regulator/providers/{city['fresh'].volunteer_id}/")
    expect(page.locator("#provider-complaints")).to_contain_text("承办律师长期不回电话")
    session.screenshot("regulator-provider-complaints")


def test_the_handler_asks_and_the_department_answers(open_session, city, provider):
    handler = open_session(provider)
    page = handler.goto(f"/provider/evidence/?task={city['case'].pk}")
    expect(page.locator("#evidence-form")).to_be_visible()
    handler.screenshot("evidence-mine")
    page.select_option("#id_department", label="常州市公安局天宁分局（天宁区）")
    page.fill("#id_items", "涉案车辆的交通事故认定书\n现场勘查笔录")
    page.fill("#id_purpose", "证明事故责任的划分。")
    page.locator("#evidence-form button[type=submit]").click()
    expect(page.locator("#evidence-items li")).to_have_count(2)
    created = EvidenceRequest.objects.order_by("-id").first()
    expect(page.locator("#evidence-letter")).to_have_attribute(
        "href", f"/api/v1/evidence-requests/{created.pk}/letter/"
    )
    _fits_the_phone(handler, "/provider/evidence/")

    department = open_session(city["police"])
    page = department.goto("/department/evidence/")
    expect(page.locator("tr.overdue-row")).to_have_count(1)
    department.screenshot("evidence-queue")
    page = department.goto(f"/evidence/{city['pending'].pk}/")
    expect(page.locator("#respond-form")).to_be_visible()
    department.screenshot("evidence-respond")
    page.check("input[name=answer][value=refused]")
    page.fill("#id_note", "该时段无出警记录。")
    page.locator("#respond-form button[type=submit]").click()
    expect(page.locator("#evidence-status")).to_have_attribute("class", "status status-refused")
    department.screenshot("evidence-answered")
    _fits_the_phone(department, "/department/evidence/?show=all")
