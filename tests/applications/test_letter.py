"""GET .../{id}/decision-letter/: the decision letter, a Chinese PDF for the centre and the bureau."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from marketplace.applications.models import IdentityAccess
from tests.applications.conftest import APPLICANT
from tests.pdf_render import render_page

pytestmark = pytest.mark.django_db

SCREENSHOTS = Path(__file__).resolve().parent.parent / "browser" / "screenshots"


def letter(client, pk):
    return client.get(f"/api/v1/applications/{pk}/decision-letter/")


def text_of(response) -> str:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/pdf"
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_a_refusal_letter_gives_the_reasons_and_how_to_object(api_as, coordinator, refused, justice_bureau):
    text = text_of(letter(api_as(coordinator), refused))

    compact = "".join(text.split())
    assert "不予法律援助决定书" in compact
    assert "常援申〔" in compact and "第0001号" in compact
    assert APPLICANT["name"] in compact
    assert "劳动报酬" in compact and "民事案件代理" in compact
    assert "申请人家庭收入高于本市经济困难标准。" in compact
    assert f"可以向{justice_bureau.name}提出" in compact
    assert "五日内" in compact and "第四十九条" in compact
    assert "常州市法律援助中心" in compact
    # The ID number travels masked.
    assert APPLICANT["id_number"] not in compact
    assert APPLICANT["id_number"][-4:] in compact


def test_an_approval_letter_says_the_case_will_be_assigned(api_as, coordinator, registered):
    api_as(coordinator).post(
        f"/api/v1/applications/{registered}/decide/",
        {"decision": "approve", "reasons": "免予审查经济困难。"},
        format="json",
    )
    compact = "".join(text_of(letter(api_as(coordinator), registered)).split())

    assert "给予法律援助决定书" in compact
    assert "不予" not in compact
    assert "三日内指派" in compact
    assert "免予审查经济困难。" in compact


def test_the_letter_renders_as_an_official_letter(api_as, coordinator, refused, justice_bureau):
    pdf = letter(api_as(coordinator), refused).content

    image = render_page(pdf, dpi=100)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    image.save(SCREENSHOTS / "decision-letter.png")
    width, height = image.size
    # The centre's name in red at the top, over a red rule.
    header = image.crop((width // 5, int(height * 0.06), 4 * width // 5, int(height * 0.12)))
    red = sum(1 for r, g, b in header.get_flattened_data() if r > 150 and g < 80 and b < 80)
    assert red > 500
    # The title in black below it: glyphs as ink, not boxes or nothing.
    title = image.crop((width // 4, int(height * 0.13), 3 * width // 4, int(height * 0.19)))
    dark = sum(1 for r, g, b in title.get_flattened_data() if r < 90 and g < 90 and b < 90)
    assert dark > 600


def test_the_bureau_downloads_it_and_every_download_is_recorded(api_as, coordinator, regulator, refused):
    assert letter(api_as(regulator), refused).status_code == 200
    assert letter(api_as(coordinator), refused).status_code == 200

    assert sorted(IdentityAccess.objects.values_list("user__username", "via")) == [
        ("coordinator", "decision_letter"),
        ("regulator", "decision_letter"),
    ]


def test_before_a_decision_there_is_no_letter(api_as, coordinator, registered):
    response = letter(api_as(coordinator), registered)
    assert response.status_code == 409 and response.json()["code"] == "not_decided"
    assert not IdentityAccess.objects.exists()


def test_a_station_and_a_lawyers_association_may_not_download_it(
    api_as, register, station_coordinator, coordinator, association_reviewer, station
):
    pk = register(station_coordinator, organization=station.pk).json()["id"]
    api_as(station_coordinator).post(f"/api/v1/applications/{pk}/forward/")
    api_as(coordinator).post(
        f"/api/v1/applications/{pk}/decide/", {"decision": "refuse", "reasons": "不符合条件"}, format="json"
    )
    for user in (station_coordinator, association_reviewer):
        response = letter(api_as(user), pk)
        assert response.status_code == 403 and response.json()["code"] == "letter_not_allowed"
    assert not IdentityAccess.objects.exists()


def test_others_get_404_anonymous_401_and_post_405(api, api_as, other_regulator, coordinator, refused):
    assert letter(api_as(other_regulator), refused).status_code == 404
    assert letter(api, refused).status_code == 401
    response = api_as(coordinator).post(f"/api/v1/applications/{refused}/decision-letter/")
    assert response.status_code == 405


def test_asking_for_a_pdf_still_gets_errors_as_json(api_as, coordinator, registered):
    response = api_as(coordinator).get(
        f"/api/v1/applications/{registered}/decision-letter/", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 409
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_decided"


def test_any_text_is_drawn_without_failing(api_as, register, coordinator):
    pk = register(coordinator, applicant={"name": "<b>李&四</b> 😀 Ω", "id_number": "E1234"}).json()["id"]
    api_as(coordinator).post(
        f"/api/v1/applications/{pk}/decide/",
        {"decision": "refuse", "reasons": "<script>&amp; 🙂 " + "很长的理由" * 380},
        format="json",
    )
    response = letter(api_as(coordinator), pk)
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 2
    assert "<b>李&四</b>" in "".join(reader.pages[0].extract_text().split())
