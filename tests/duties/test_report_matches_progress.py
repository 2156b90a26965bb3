"""The compliance report and its export agree with each provider's own progress.

The report computes every provider's status in one pass over a derived table; the progress
page computes one provider's with ``with_progress``. Both state the rule once
(``selectors._status_case``); these tests keep the two ways of feeding it from drifting on a
dataset that exercises every branch: rules at province, city and district level, ``all`` and
``any`` rules, nothing required, exemptions (no rule, licensed in the year, decided exempt),
decided and open reviews, reversals, entries of another year, providers not reported.
"""

import itertools
from collections import Counter
from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from duties.models import DutyEntry, credit_kinds_text
from duties.selectors import (
    ProgressStatus,
    compliance_report,
    compliance_rows,
    progress_for,
)
from tests.duties.conftest import NOW, YEAR, DutyEntryFactory
from tests.factories import AnnualReviewFactory, DutyRuleFactory, RegionFactory, VolunteerFactory
from volunteers.models import Volunteer

# Every test builds the whole dataset (the slowest of the suite outside the races): `slow`.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

KINDS = ("lawyer", "notary", "grassroots_worker", "law_student")
# Hours and cases that land on every side of the thresholds below at NOW (share 183/365):
# 50 h -> 25.07 h on track; 40 h -> 20.05 h; 30 h -> 15.04 h; 2 cases -> 1 on track.
LEDGERS = (
    (Decimal("0"), 0),
    (Decimal("25.07"), 0),
    (Decimal("25.06"), 1),
    (Decimal("20.05"), 1),
    (Decimal("15.04"), 0),
    (Decimal("50"), 0),
    (Decimal("40"), 2),
    (Decimal("12.5"), 3),
    (Decimal("30"), 1),
)


def rule(year, region, kind, hours, cases, *, by="any", exempt_new=True, counts=None):
    extra = {"credit_kinds": credit_kinds_text(counts)} if counts else {}
    return DutyRuleFactory(
        year=year,
        region=region,
        volunteer_kind=kind,
        min_hours=Decimal(hours),
        min_cases=cases,
        satisfied_by=by,
        exempt_if_licensed_in_year=exempt_new,
        **extra,
    )


def credit(volunteer, on, **fields) -> DutyEntry:
    """An entry of ``volunteer`` on ``on`` as the ledger holds it (hashes aside)."""
    return DutyEntryFactory(volunteer=volunteer, occurred_on=on, **fields)


@pytest.fixture
def dataset(regions):
    """About seventy providers over five regions (one a street under a district), four kinds."""
    street = RegionFactory(code="320402001", name="兰陵街道", parent=regions["tianning"])
    places = [regions[name] for name in ("province", "changzhou", "tianning", "zhonglou", "suzhou")] + [street]
    rule(YEAR, regions["province"], "lawyer", 50, 2)
    rule(YEAR, regions["changzhou"], "lawyer", 40, 1, by="all", exempt_new=False)
    rule(YEAR, regions["tianning"], "lawyer", 30, 0, counts=["consultation", "outreach"])
    rule(YEAR, regions["province"], "notary", 0, 2)
    rule(YEAR, regions["zhonglou"], "notary", 0, 0)
    rule(YEAR, regions["province"], "grassroots_worker", 40, 2, by="all")
    rule(YEAR, regions["suzhou"], "grassroots_worker", 20, 0, exempt_new=False)
    rule(YEAR - 1, regions["province"], "lawyer", 40, 0)
    rule(YEAR - 1, regions["changzhou"], "notary", 10, 1, by="all")
    rule(YEAR + 1, regions["province"], "lawyer", 60, 0)
    # law students: no rule anywhere, exempt with reason "no_rule".

    ledgers = itertools.cycle(LEDGERS)
    volunteers = []
    for i, (place, kind) in enumerate(itertools.product(places, KINDS)):
        for j in range(3):
            hours, cases = next(ledgers)
            status = "suspended" if (i + j) % 11 == 0 else "verified"
            licensed_on = [None, date(YEAR, 3, 1), date(YEAR - 1, 5, 5), date(YEAR + 1, 1, 2)][(i + j) % 4]
            v = VolunteerFactory(region=place, kind=kind, status=status, licensed_on=licensed_on)
            on = date(YEAR, 1 + (i + j) % 6, 10)
            if hours:
                credit(v, on, hours=hours)
            if cases:
                credit(v, on, cases=cases, kind="case")
            credit(v, date(YEAR - 1, 12, 31), hours=Decimal(7), cases=1)  # another year
            if (i + j) % 5 == 0:  # a correction: the hours reversed
                credit(v, on, hours=Decimal("-5.5"), kind="reversal")
            if (i + j) % 3 == 0:  # public legal education: counted only where a rule says so
                credit(v, on, hours=Decimal(45), credit_kind="outreach")
            review = [None, "open", "compliant", "exempt", "deficient", None][(i + j) % 6]
            if review:
                AnnualReviewFactory(volunteer=v, year=YEAR, region=place, status=review, opened_at=timezone.now())
            volunteers.append(v)
    # Not reported: providers without a duty this year.
    VolunteerFactory(region=regions["changzhou"], status="pending")
    VolunteerFactory(region=regions["tianning"], status="revoked")
    return volunteers


def expected(region, year, now):
    """Each reported provider's progress, one at a time (``progress_for``)."""
    reported = Volunteer.objects.filter(region__path__startswith=region.path, status__in=("verified", "suspended"))
    return {v.pk: progress_for(v, year, now) for v in reported.select_related("region")}


def district_of(volunteer, region):
    rest = volunteer.region.path[len(region.path) :].split("/")
    return rest[0] or region.code


@pytest.mark.parametrize("year", [YEAR, YEAR - 1, YEAR + 1])
@pytest.mark.parametrize("code", ["320000", "320400", "320402"])
def test_the_report_counts_what_progress_for_says_of_each_provider(dataset, regions, code, year):
    region = {r.code: r for r in [*regions.values()]}[code]
    progress = expected(region, year, NOW)
    assert len({p.status for p in progress.values()}) >= (3 if year == YEAR else 2)

    report = compliance_report(region=region, year=year, now=NOW)

    statuses = Counter(p.status for p in progress.values())
    assert report["by_status"] == {**dict.fromkeys(ProgressStatus.values, 0), **statuses, "total": len(progress)}
    reviews = Counter(p.review_status or "none" for p in progress.values())
    assert report["by_review_status"] == {
        **dict.fromkeys(("open", "compliant", "deficient", "exempt", "none"), 0),
        **reviews,
    }
    by_kind = Counter((p.volunteer.kind, p.status) for p in progress.values())
    for row in report["by_kind"]:
        assert {s: row[s] for s in ProgressStatus.values} == {
            s: by_kind[(row["volunteer_kind"], s)] for s in ProgressStatus.values
        }
    assert sum(row["total"] for row in report["by_kind"]) == len(progress)
    by_district = Counter((district_of(p.volunteer, region), p.status) for p in progress.values())
    for row in report["by_district"]:
        assert {s: row[s] for s in ProgressStatus.values} == {
            s: by_district[(row["region"], s)] for s in ProgressStatus.values
        }
    assert sum(row["total"] for row in report["by_district"]) == len(progress)


@pytest.mark.parametrize("year", [YEAR, YEAR - 1])
def test_each_exported_row_is_the_providers_progress(dataset, regions, year):
    region = regions["province"]
    progress = expected(region, year, NOW)

    rows = list(compliance_rows(region=region, year=year, now=NOW))

    assert [r.volunteer_id for r in rows] == sorted(progress, key=lambda pk: (progress[pk].volunteer.region_id, pk))
    for row in rows:
        p = progress[row.volunteer_id]
        assert (row.kind, row.licence_number, row.region_code, row.region_name) == (
            p.volunteer.kind,
            p.volunteer.licence_number,
            p.volunteer.region_id,
            p.volunteer.region.name,
        )
        assert (row.hours, row.cases, row.required_hours, row.required_cases) == (
            p.hours,
            p.cases,
            p.required_hours,
            p.required_cases,
        )
        assert (row.progress_status, row.review_status) == (p.status, p.review_status or ""), row.volunteer_id
        assert row.name == (
            f"{p.volunteer.user.first_name} {p.volunteer.user.last_name}".strip() or p.volunteer.user.username
        )


def test_the_export_is_a_lazy_stream_read_in_chunks(dataset, regions):
    # A server-side cursor on PostgreSQL, as QuerySet.iterator() uses (SQLite: a plain one).
    with (
        mock.patch.object(connection, "chunked_cursor", wraps=connection.chunked_cursor) as chunked,
        CaptureQueriesContext(connection) as captured,
    ):
        rows = compliance_rows(region=regions["province"], year=YEAR, now=NOW, chunk_size=7)
        assert len(captured) == 0  # nothing is read before the first row is asked for

        first = next(rows)
        rest = list(rows)

    assert chunked.call_count == 1
    assert len(captured) == 1
    assert len(rest) + 1 == len(expected(regions["province"], YEAR, NOW))
    assert first.volunteer_id not in {r.volunteer_id for r in rest}


def test_the_report_reads_a_fixed_number_of_queries(dataset, regions):
    with CaptureQueriesContext(connection) as captured:
        compliance_report(region=regions["province"], year=YEAR, now=NOW)

    assert len(captured) <= 2
