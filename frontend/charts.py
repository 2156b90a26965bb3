"""Charts drawn on the server as SVG: no script, nothing for the CSP to block, readable as text.

Each function returns plain numbers for a template to place; the template also prints the data
as a table or sentence, so a screen reader gets the same facts as the picture.
"""

from decimal import Decimal

WIDTH = 400  # the SVG's viewBox width; bars are scaled to it


def _share(value, total) -> float:
    if not total:
        return 1.0 if value else 0.0
    return max(0.0, min(1.0, float(Decimal(value) / Decimal(total))))


def progress_rows(*, hours, required_hours, cases, required_cases, expected_hours=None) -> list[dict]:
    """One bar per measure of the quota: how far along, and where "on track" stands today."""
    rows = []
    if required_hours or not required_cases:
        rows.append(
            {
                "key": "hours",
                "value": hours,
                "goal": required_hours,
                "width": round(_share(hours, required_hours) * WIDTH, 1),
                "marker": round(_share(expected_hours, required_hours) * WIDTH, 1)
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
                "width": round(_share(cases, required_cases) * WIDTH, 1),
                "marker": None,
                "met": cases >= required_cases,
            }
        )
    for index, row in enumerate(rows):
        row["y"] = index * 44
    return rows


def stacked_bars(groups: list[dict], *, keys: list[str]) -> dict:
    """Horizontal stacked bars, one per group (a district, a provider kind).

    ``groups`` are ``{"label": str, "counts": {key: n}}``; every bar has the full width of the
    largest group, so lengths compare across groups.
    """
    largest = max((sum(g["counts"].get(k, 0) for k in keys) for g in groups), default=0)
    label_width = 130
    bar_space = WIDTH + 160 - label_width - 40
    rows = []
    for index, group in enumerate(groups):
        x = label_width
        segments = []
        total = 0
        for key in keys:
            n = group["counts"].get(key, 0)
            total += n
            width = round(bar_space * n / largest, 1) if largest else 0
            if width:
                segments.append({"key": key, "x": x, "width": width, "count": n})
            x += width
        rows.append({"label": group["label"], "y": index * 28, "segments": segments, "total": total, "end": x})
    return {"rows": rows, "height": max(len(rows) * 28, 28), "width": WIDTH + 160, "label_width": label_width}
