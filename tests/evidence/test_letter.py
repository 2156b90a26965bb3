"""GET .../{id}/letter/: the letter to the department (法律援助协助调查取证函), a Chinese PDF."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.factories import ApplicationFactory
from tests.pdf_render import render_page

pytestmark = pytest.mark.django_db

SCREENSHOTS = Path(__file__).resolve().parent.parent / "browser" / "screenshots"


def letter(client, pk, **headers):
    return client.get(f"/api/v1/evidence-requests/{pk}/letter/", **headers)


def compact_text(response) -> str:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return "".join(text.split())


def test_the_letter_names_the_case_the_materials_and_the_legal_basis(api_as, provider, evidence, settings):
    text = compact_text(letter(api_as(provider), evidence.pk))

    assert "法律援助协助调查取证函" in text
    assert evidence.number in text
    assert "常州市法律援助中心" in text
    assert "常州市公安局天宁分局：" in text
    assert "王律师" in text and "执业证号13204201910000001" in text
    assert "承办一起劳动报酬法律援助案件（劳动争议调解与仲裁代理，" in text
    assert (
        "曾报警求助。请你单位提供下列材料：一、2025年6月至12月的出警记录" in text and "二、报警人询问笔录复印件" in text
    )
    assert "证明用人单位拖欠工资期间劳动者曾报警求助。" in text
    # The legal basis: Art. 53 and the local rule (a setting), and the fees it waives.
    assert "《中华人民共和国法律援助法》第五十三条" in text
    assert "".join(settings.EVIDENCE_LOCAL_RULE.split()) in text
    assert "免收" in text
    due = evidence.due
    assert f"{due.year}年{due.month}月{due.day}日前" in text


def test_the_letter_gives_the_applications_number_when_the_case_came_from_one(api_as, provider, evidence, case):
    number = "常援申〔2026〕第0042号"
    ApplicationFactory(
        centre=case.organization,
        region=case.region,
        number=number,
        received_at=case.starts_at,
        matter_kind=case.kind,
        category=case.category,
        beneficiary_group=case.beneficiary_group,
        hardship_basis="exempt_migrant_wages",
        status="approved",
        case=case,
    )
    assert f"案件编号：{number}" in compact_text(letter(api_as(provider), evidence.pk))


def test_the_local_rule_is_a_setting(api_as, provider, evidence, settings):
    settings.EVIDENCE_LOCAL_RULE = "《某市法律援助条例》"
    assert "《某市法律援助条例》" in compact_text(letter(api_as(provider), evidence.pk))


@pytest.mark.parametrize("who", ["provider", "police", "coordinator"])
def test_the_handler_the_department_and_the_centre_download_it(request, api_as, evidence, who):
    response = letter(api_as(request.getfixturevalue(who)), evidence.pk, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_its_errors_are_json_whatever_was_asked(api, api_as, archives, evidence):
    for client, expected in ((api, 401), (api_as(archives), 404)):
        response = letter(client, evidence.pk, HTTP_ACCEPT="application/pdf")
        assert response.status_code == expected
        assert response["Content-Type"].startswith("application/json") and response.json()["code"]


def test_markup_in_the_request_is_drawn_as_text(api_as, provider, case, police_department):
    from marketplace.evidence import services

    created = services.evidence_request_create(
        task=case, department=police_department, items=["<b>卷宗</b> & 附件"], purpose="<para>x</para>", by=provider
    )
    text = compact_text(letter(api_as(provider), created.pk))
    assert "<b>卷宗</b>&附件" in text and "<para>x</para>" in text


def test_the_letter_renders_as_an_official_letter(api_as, provider, evidence):
    pdf = letter(api_as(provider), evidence.pk).content
    image = render_page(pdf, dpi=110)
    SCREENSHOTS.mkdir(exist_ok=True)
    image.save(SCREENSHOTS / "evidence-letter.png")
    width, height = image.size
    assert height > width  # A4, portrait
    # The issuer's name and the rule under it are red, in the top fifth of the page.
    top = image.crop((0, 0, width, height // 5))
    red = sum(1 for r, g, b in top.get_flattened_data() if r > 150 and g < 80 and b < 80)
    assert red > 500
    # Below the head, the body is black text on white, and there is no red.
    body = image.crop((0, height // 4, width, height))
    assert sum(1 for r, g, b in body.get_flattened_data() if r > 150 and g < 80 and b < 80) == 0
    assert sum(1 for r, g, b in body.get_flattened_data() if r < 80 and g < 80 and b < 80) > 2000


def test_a_letter_of_a_few_items_fits_one_page(api_as, provider, evidence):
    pdf = letter(api_as(provider), evidence.pk).content
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
