"""The compliance exports are safe to open and speak the reader's language."""

import csv
import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from duties import services
from tests.duties.conftest import duty_rule, make_case_claim
from tests.factories import UserFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

YEAR = 2025
URL = "/api/v1/reports/compliance/"
EVIL = '=HYPERLINK("http://ev.il","x")'
CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def population(regions, legal_aid_center, coordinator):
    """One lawyer who met the rule by two cases, whose name and licence are formulas."""
    duty_rule(regions, YEAR, min_hours=50, min_cases=2)
    met = VolunteerFactory(
        region=regions["zhonglou"],
        licence_number=EVIL,
        user=UserFactory(first_name="@SUM(1+1)*cmd|' /C calc'!A0", last_name=""),
    )
    when = datetime(YEAR, 10, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
    for _ in range(2):
        services.duty_credit_case(claim=make_case_claim(legal_aid_center, met), by=coordinator, now=when)
    return met


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf"), "the CSV keeps its byte-order mark"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _sheet(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook["compliance"]


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", EVIL])
def test_a_text_that_a_spreadsheet_would_run_is_prefixed_with_a_quote(value):
    from marketplace.core.exports import safe_text

    assert safe_text(value) == "'" + value


@pytest.mark.parametrize("value", ["王律师", "13204201910000001", "", "a=b", "x-1"])
def test_ordinary_text_is_left_alone(value):
    from marketplace.core.exports import safe_text

    assert safe_text(value) == value


def test_the_csv_neutralises_formulas_in_every_text_cell(api_as, regulator, population):
    rows = _csv(api_as(regulator).get(URL, {"year": YEAR, "region": "320400", "format": "csv"}))

    row = rows[1]
    assert row[3] == "'" + EVIL
    assert row[1] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for cell in r)


def test_the_xlsx_writes_a_formula_lookalike_as_a_string_cell(api_as, regulator, population):
    sheet = _sheet(api_as(regulator).get(URL, {"year": YEAR, "region": "320400", "format": "xlsx"}))

    licence = sheet.cell(row=2, column=4)
    assert licence.data_type == "s"
    assert licence.value == "'" + EVIL
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_the_csv_headers_and_labels_are_in_the_requested_language(api_as, regulator, population):
    client = api_as(regulator)

    chinese = _csv(client.get(URL, {"year": YEAR, "region": "320400", "format": "csv"}, **CHINESE))
    english = _csv(client.get(URL, {"year": YEAR, "region": "320400", "format": "csv"}))

    assert chinese[0][1:4] == ["姓名", "类别", "执业证号"]
    assert "工时" in chinese[0]
    assert chinese[1][2] == "律师" and "达标" in chinese[1]
    assert english[0][1:4] == ["Name", "Kind", "Licence number"]
    assert english[1][2] == "Lawyer" and "Met" in english[1]
    assert "lawyer" not in english[1] and "met" not in english[1]


def test_the_xlsx_has_numbers_a_bold_frozen_header_a_filter_and_widths(api_as, regulator, population):
    sheet = _sheet(api_as(regulator).get(URL, {"year": YEAR, "region": "320400", "format": "xlsx"}, **CHINESE))

    header = [c.value for c in sheet[1]]
    assert header[1:4] == ["姓名", "类别", "执业证号"]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(row=1, column=len(header)).column_letter}2"
    assert sheet.column_dimensions["B"].width >= 12
    values = dict(zip(header, sheet[2], strict=True))
    assert values["工时"].data_type == "n" and values["工时"].value == 0
    assert values["工时"].number_format == "0.00"
    assert values["案件"].data_type == "n" and values["案件"].value == 2
    numeric = [c for c in sheet[2] if c.data_type == "n"]
    assert len(numeric) == 5  # the provider id, hours, cases, and the two requirements
    assert values["类别"].value == "律师"


def test_the_xlsx_required_hours_is_a_decimal_number(api_as, regulator, population):
    sheet = _sheet(api_as(regulator).get(URL, {"year": YEAR, "region": "320400", "format": "xlsx"}))

    header = [c.value for c in sheet[1]]
    row = {h: c.value for h, c in zip(header, sheet[2], strict=True)}
    assert Decimal(str(row["Required hours"])) == Decimal("50")
    assert row["Required cases"] == 2
    assert row["Provider ID"] == population.pk


def test_an_xlsx_cell_with_a_control_character_does_not_break_the_export(api_as, regulator, population):
    population.user.first_name = "王\x01律师"
    population.user.save()

    response = api_as(regulator).get(URL, {"year": YEAR, "region": "320400", "format": "xlsx"})

    assert response.status_code == 200
    assert _sheet(response).cell(row=2, column=2).value == "王律师"
