"""Public statistics of legal aid by year and region (``/stats/`` and ``GET /api/v1/stats/``).

Legal Aid Law Art. 58: the justice administration publishes legal aid information and accepts
the public's supervision. This module is the one place the figures are computed; the page and
the API read ``public_stats`` and show the same typed rows.

No personal data: only counts and shares, never a name, a number or a free text. Small cells are
suppressed (docs/operations.md, "Public statistics"):

- a count under ``SUPPRESS_BELOW`` (5) is shown as "<5", zero included;
- in a breakdown (cases by kind, group, district; stations' intake), when exactly one cell is
  suppressed the next smallest is suppressed too, so the breakdown's total (which another
  breakdown of the same cases gives) does not give the hidden cell back by subtraction;
- a share is shown only when its denominator is at least 5 and neither its numerator nor the
  rest (denominator minus numerator) lies between 1 and 4: a share computed from a suppressed
  cell would give the cell back.

Reads go to the report database (a replica when configured: marketplace/core/replica.py) and
the result is cached for ``CACHE_SECONDS`` per (year, region); a cache that is down is skipped.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from duties.selectors import compliance_report
from marketplace.applications.models import Application, Decision, DecisionOutcome
from marketplace.core.replica import report_db
from marketplace.models import CASE_KINDS, AidTask, BeneficiaryGroup, TaskKind
from organizations.models import Organization, OrganizationKind, Region
from organizations.selectors import within_region

logger = logging.getLogger(__name__)

SUPPRESS_BELOW = 5
CACHE_SECONDS = 300
FIRST_YEAR = 2022  # the Legal Aid Law took effect on 1 January 2022


@dataclass(frozen=True)
class Cell:
    """A count as published: the value is withheld when suppressed."""

    value: int
    suppressed: bool

    @property
    def shown(self) -> int | str:
        return "<5" if self.suppressed else self.value

    def __str__(self) -> str:
        return str(self.shown)


@dataclass(frozen=True)
class Share:
    """A percentage (one decimal), or ``None`` when it would give a suppressed cell back."""

    percent: Decimal | None

    def __str__(self) -> str:
        return "—" if self.percent is None else f"{self.percent}%"


@dataclass(frozen=True)
class BreakdownRow:
    key: str
    label: str  # a lazy label for kinds and groups: shown in the reader's language, cached once
    count: Cell


@dataclass(frozen=True)
class PublicStats:
    year: int
    region_code: str
    region_name: str
    received: Cell
    approved: Cell
    refused: Cell
    decided_within_7_days: Share
    assigned_within_3_days: Share
    cases_by_kind: list[BreakdownRow] = field(default_factory=list)
    cases_by_group: list[BreakdownRow] = field(default_factory=list)
    cases_by_district: list[BreakdownRow] = field(default_factory=list)
    stations: Cell = Cell(0, True)
    station_intake: list[BreakdownRow] = field(default_factory=list)
    providers_with_duty: Cell = Cell(0, True)
    providers_completed: Cell = Cell(0, True)
    duty_completion: Share = Share(None)


class StatsRegionNotFound(LookupError):
    pass


class StatsYearInvalid(ValueError):
    pass


def cell(value: int) -> Cell:
    return Cell(value, value < SUPPRESS_BELOW)


def share(numerator: int, denominator: int) -> Share:
    rest = denominator - numerator
    if denominator < SUPPRESS_BELOW or 0 < numerator < SUPPRESS_BELOW or 0 < rest < SUPPRESS_BELOW:
        return Share(None)
    percent = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Share(percent)


def breakdown(items: list[tuple[str, str, int]]) -> list[BreakdownRow]:
    """Rows with small cells suppressed, and a second cell when only one would be."""
    rows = [BreakdownRow(key, label, cell(n)) for key, label, n in items]
    hidden = [row for row in rows if row.count.suppressed]
    if len(hidden) == 1 and len(rows) > 1:
        smallest = min((row for row in rows if not row.count.suppressed), key=lambda row: row.count.value)
        rows = [
            BreakdownRow(row.key, row.label, Cell(row.count.value, True)) if row is smallest else row for row in rows
        ]
    return rows


def stats_year(raw: str | None, *, now: datetime | None = None) -> int:
    """The year asked for: this year when none; 2022 (the law's first year) to this year."""
    this_year = timezone.localdate(now or timezone.now()).year
    if raw in (None, ""):
        return this_year
    if not str(raw).isdigit() or not FIRST_YEAR <= int(raw) <= this_year:
        raise StatsYearInvalid(f"year must be a year from {FIRST_YEAR} to {this_year}.")
    return int(raw)


def stats_region(code: str | None) -> Region:
    """The region asked for, or the first top-level region when none."""
    regions = Region.objects.using(report_db())
    region = regions.filter(code=code).first() if code else regions.filter(parent=None).order_by("code").first()
    if region is None:
        raise StatsRegionNotFound(code)
    return region


def stats_regions():
    """The regions a visitor may choose: the top level and its children (cities, districts)."""
    return Region.objects.using(report_db()).filter(Q(parent=None) | Q(parent__parent=None)).order_by("path")


def public_stats(*, year: int, region: Region, now: datetime | None = None) -> PublicStats:
    """The figures of ``year`` in ``region`` and everything under it, cached for a few minutes."""
    key = f"public-stats:v1:{year}:{region.code}"
    try:
        cached = cache.get(key)
    except Exception:  # a cache that is down is a miss (fail open)
        logger.warning("public stats cache unavailable", exc_info=True)
        cached = None
    if isinstance(cached, PublicStats):
        return cached
    stats = _compute(year=year, region=region, now=now or timezone.now())
    try:
        cache.set(key, stats, CACHE_SECONDS)
    except Exception:
        logger.warning("public stats cache unavailable", exc_info=True)
    return stats


def _compute(*, year: int, region: Region, now: datetime) -> PublicStats:
    db = report_db()
    decisions = Decision.objects.using(db).filter(application=OuterRef("pk"))
    applications = (
        Application.objects.using(db)
        .filter(within_region(region), received_at__year=year)
        .annotate(
            was_approved=Exists(decisions.filter(outcome=DecisionOutcome.APPROVED)),
            was_refused=Exists(decisions.filter(outcome=DecisionOutcome.REFUSED)),
        )
    )
    # The statutory clocks (Art. 43: decide within 7 days; Art. 44: assign within 3) have one home:
    # the intake services record, at the first decision and the first assignment, whether each came
    # by the application's own due date (materials pauses and the local settings included).
    figures = applications.aggregate(
        received=Count("pk"),
        approved=Count("pk", filter=Q(was_approved=True)),
        refused=Count("pk", filter=Q(was_refused=True, was_approved=False)),
        decided=Count("pk", filter=Q(decided_at__isnull=False)),
        decided_in_time=Count("pk", filter=Q(decided_on_time=True)),
        assigned_in_time=Count("pk", filter=Q(was_approved=True, assigned_on_time=True)),
    )

    cases = AidTask.objects.using(db).filter(within_region(region), kind__in=CASE_KINDS, created_at__year=year)
    by_kind = dict(cases.values_list("kind").annotate(n=Count("pk")).order_by())
    by_group = dict(cases.values_list("beneficiary_group").annotate(n=Count("pk")).order_by())
    by_path = cases.values_list("region__path").annotate(n=Count("pk")).order_by()
    districts = list(Region.objects.using(db).filter(parent=region).order_by("code")) or [region]
    by_district = dict.fromkeys((d.code for d in districts), 0)
    for path, n in by_path:
        rest = path[len(region.path) :].split("/")[0]
        code = rest if rest in by_district else districts[0].code if len(districts) == 1 else None
        if code is not None:
            by_district[code] += n

    stations = (
        Organization.objects.using(db)
        .filter(within_region(region), kind=OrganizationKind.COMMUNITY_STATION)
        .annotate(intake=Count("registered_applications", filter=Q(registered_applications__received_at__year=year)))
        .order_by("name", "pk")
    )
    station_rows = [(str(s.pk), s.name, s.intake) for s in stations]

    duty = compliance_report(region=region, year=year, now=now)["by_status"]
    with_duty = duty["total"] - duty["exempt"]

    return PublicStats(
        year=year,
        region_code=region.code,
        region_name=region.name,
        received=cell(figures["received"]),
        approved=cell(figures["approved"]),
        refused=cell(figures["refused"]),
        decided_within_7_days=share(figures["decided_in_time"], figures["decided"]),
        assigned_within_3_days=share(figures["assigned_in_time"], figures["approved"]),
        cases_by_kind=breakdown([(k, TaskKind(k).label, by_kind.get(k, 0)) for k in CASE_KINDS]),
        cases_by_group=breakdown([(g.value, g.label, by_group.get(g.value, 0)) for g in BeneficiaryGroup]),
        cases_by_district=breakdown([(d.code, d.name, by_district[d.code]) for d in districts]),
        stations=cell(len(station_rows)),
        station_intake=breakdown(station_rows),
        providers_with_duty=cell(with_duty),
        providers_completed=cell(duty["met"]),
        duty_completion=share(duty["met"], with_duty),
    )
