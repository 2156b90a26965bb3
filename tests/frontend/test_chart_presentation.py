"""Charts stay readable on a phone: the SVG is not scaled down (no viewBox), so its text keeps the
stylesheet's size at any width; bars are drawn in percentages of the width; labels are whole."""

import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from frontend.charts import progress_rows, stacked_bars
from tests.factories import DutyRuleFactory

pytestmark = pytest.mark.django_db

LONG_LABEL = "常州市天宁区法律援助工作站"


def _svg(body: str, svg_id: str) -> str:
    start = body.index(f'id="{svg_id}"')
    return body[body.rindex("<svg", 0, start) : body.index("</svg>", start)]


def test_stacked_bars_are_percentages_of_the_width():
    chart = stacked_bars(
        [{"label": "天宁区", "counts": {"met": 3, "behind": 1}}, {"label": "钟楼区", "counts": {"met": 1}}],
        keys=["met", "behind"],
    )
    first, second = chart["rows"]
    assert [s["width"] for s in first["segments"]] == [75.0, 25.0]
    assert first["segments"][1]["x"] == 75.0
    assert [s["width"] for s in second["segments"]] == [25.0]


def test_a_stacked_chart_prints_whole_labels_at_the_stylesheets_size():
    chart = stacked_bars([{"label": LONG_LABEL, "counts": {"met": 2}}], keys=["met"])
    svg = render_to_string(
        "frontend/partials/stacked_chart.html", {"chart": chart, "chart_id": "c", "chart_title": "t"}
    )
    assert "viewBox" not in svg
    assert f">{LONG_LABEL}</text>" in svg
    assert 'width="100.0%"' in svg


def test_the_progress_bars_are_percentages_with_the_on_track_marker():
    rows = progress_rows(
        hours=Decimal("10"), required_hours=Decimal("40"), cases=1, required_cases=2, expected_hours=Decimal("20")
    )
    assert [(r["key"], r["width"]) for r in rows] == [("hours", 25.0), ("cases", 50.0)]
    assert rows[0]["marker"] == 50.0


def test_the_duty_page_draws_its_progress_without_scaling_the_text(client_as, provider, regions):
    DutyRuleFactory(
        year=timezone.localdate().year,
        region=regions["changzhou"],
        volunteer_kind="lawyer",
        min_hours=50,
        min_cases=0,
    )
    body = client_as(provider).get("/provider/duty/").content.decode()
    svg = _svg(body, "progress-chart")
    assert "viewBox" not in svg
    assert re.search(r'class="bar[^"]*"[^>]*width="[\d.]+%"', svg)


def test_the_compliance_charts_are_not_scaled_down(client_as, regulator, provider_volunteer):
    year = timezone.localdate().year
    body = client_as(regulator).get("/regulator/compliance/", {"year": year, "region": "320400"}).content.decode()
    for chart_id in ("chart-district", "chart-kind"):
        assert "viewBox" not in _svg(body, chart_id)
