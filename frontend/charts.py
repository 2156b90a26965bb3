"""Charts drawn on the server as SVG: no script, nothing for the CSP to block, readable as text.

Each function returns plain numbers for a template to place; the template also prints the data
as a table or sentence, so a screen reader gets the same facts as the picture.

The SVGs have no viewBox: a viewBox scales the whole drawing, text included, so a chart drawn
for a desktop column shrank its labels to 7 px on a phone. Instead lengths along the bars are
percentages of the SVG's own width and heights are pixels, so labels keep the stylesheet's size
(``.chart text``) at any width and each label sits on its own line above its bar.
"""

from decimal import Decimal

PROGRESS_ROW = 44  # pixels per progress bar: a label line, then the bar
STACKED_ROW = 48  # pixels per stacked bar: a label line with the total, then the bar
# Where a row's label line and bar sit inside its row (pixels), for partials/bar_chart.html.
STACKED_GEOMETRY = {"text_y": 16, "bar_y": 24, "bar_height": 18}


def _share(value, total) -> float:
    if not total:
        return 1.0 if value else 0.0
    return max(0.0, min(1.0, float(Decimal(value) / Decimal(total))))


def _percent(share: float) -> float:
    return round(share * 100, 1)


def progress_rows(*, hours, required_hours, cases, required_cases, expected_hours=None) -> list[dict]:
    """One bar per measure of the quota: how far along, and where "on track" stands today.
    ``width`` and ``marker`` are percentages of the chart's width; ``y`` is in pixels."""
    rows = []
    if required_hours or not required_cases:
        rows.append(
            {
                "key": "hours",
                "value": hours,
                "goal": required_hours,
                "width": _percent(_share(hours, required_hours)),
                "marker": _percent(_share(expected_hours, required_hours))
                if expected_hours is not None and required_hours
                else None,
                "met": bool(required_hours) and Decimal(hours) >= Decimal(required_hours),
            }
        )
    if required_cases:
        rows.append(
            {
                "key": "cases",
                "value": cases,
                "goal": required_cases,
                "width": _percent(_share(cases, required_cases)),
                "marker": None,
                "met": cases >= required_cases,
            }
        )
    for index, row in enumerate(rows):
        row["y"] = index * PROGRESS_ROW
    return rows


def stacked_bars(groups: list[dict], *, keys: list[str]) -> dict:
    """Horizontal stacked bars, one per group (a district, a provider kind).

    ``groups`` are ``{"label": str, "counts": {key: n}}``. The largest group fills the width, so
    lengths compare across groups; segment ``x`` and ``width`` are percentages of the width.
    """
    largest = max((sum(g["counts"].get(k, 0) for k in keys) for g in groups), default=0)
    rows = []
    for index, group in enumerate(groups):
        x = 0.0
        segments = []
        total = 0
        for key in keys:
            n = group["counts"].get(key, 0)
            total += n
            width = _percent(n / largest) if largest else 0
            if width:
                segments.append({"key": key, "x": round(x, 1), "width": width, "count": n})
            x += width
        rows.append({"label": group["label"], "y": index * STACKED_ROW, "segments": segments, "total": total})
    return {"rows": rows, "height": max(len(rows), 1) * STACKED_ROW, **STACKED_GEOMETRY}


COUNT_ROW = 40  # pixels per count bar: a label line, then the bar
COUNT_GEOMETRY = {"text_y": 14, "bar_y": 20, "bar_height": 14}


def count_bars(rows) -> dict:
    """One bar per row of a public breakdown (``duties.stats.BreakdownRow``). A suppressed count
    ("<5") is drawn as an empty track: its length would give the number back."""
    largest = max((row.count.value for row in rows if not row.count.suppressed), default=0)
    bars = []
    for index, row in enumerate(rows):
        shown = not row.count.suppressed
        width = _percent(row.count.value / largest) if shown and largest else 0
        bars.append({"label": row.label, "total": row.count.shown, "width": width, "y": index * COUNT_ROW})
    return {"rows": bars, "height": max(len(bars), 1) * COUNT_ROW, **COUNT_GEOMETRY}
