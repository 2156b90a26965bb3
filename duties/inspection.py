"""The annual inspection (年检) list: per law firm and per lawyer, in the shape the lawyers'
association files with the justice bureau (Legal Aid Law Art. 60; the 2004 Changzhou opinion
ties the legal aid duty to annual inspection and registration, 年检注册).

Built on the compliance list (``duties.selectors.compliance_rows``): hours, cases and progress
are never recomputed here. Each chunk of rows adds the lawyer's firm and the year's review (its
decision and certificate) in two queries, so memory stays flat however many lawyers there are.
"""

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from itertools import islice
from typing import NamedTuple

from duties.models import AnnualReview, ProgressStatus, ReviewStatus
from duties.selectors import compliance_rows
from marketplace.core.exports import DECIMAL, INTEGER, TEXT, Column
from organizations.models import Region
from volunteers.models import Volunteer, VolunteerKind


class Outcome:
    """The duty item's outcome (DOMAIN.md: 达标 / 未达标 / 免除, never 合格)."""

    MET = "met"
    NOT_MET = "not_met"
    EXEMPT = "exempt"
    WORDS = {MET: "达标", NOT_MET: "未达标", EXEMPT: "免除"}


# A decided review is the outcome; before the decision, the year's progress says it (on track
# or behind both read as not met: the inspection looks at a finished year).
REVIEW_OUTCOMES = {
    ReviewStatus.COMPLIANT: Outcome.MET,
    ReviewStatus.DEFICIENT: Outcome.NOT_MET,
    ReviewStatus.EXEMPT: Outcome.EXEMPT,
}
PROGRESS_OUTCOMES = {ProgressStatus.MET: Outcome.MET, ProgressStatus.EXEMPT: Outcome.EXEMPT}


class InspectionRow(NamedTuple):
    """One lawyer of the inspection list; the export and the summary read fields by name."""

    volunteer_id: int
    name: str
    licence_number: str
    firm_id: int | None
    firm_name: str
    region_code: str
    hours: Decimal
    cases: int
    outcome: str
    certificate_number: str
    certificate_code: str


# A filed form in a fixed Chinese shape: headers and outcome words do not follow the reader's language.
INSPECTION_COLUMNS = [
    Column("律师事务所", TEXT, 28),
    Column("律师姓名", TEXT, 12),
    Column("执业证号", TEXT, 20),
    Column("地区代码", TEXT, 10),
    Column("法律援助服务时长（小时）", DECIMAL, 14),
    Column("法律援助案件数", INTEGER, 12),
    Column("履行法律援助义务情况", TEXT, 12),
    Column("证明编号", TEXT, 28),
    Column("证明验证码", TEXT, 20),
]


def _chunks(iterator, size):
    while chunk := list(islice(iterator, size)):
        yield chunk


def inspection_rows(*, region: Region, year: int, now: datetime, chunk_size: int = 500) -> Iterator[InspectionRow]:
    """The lawyers of ``region`` (and below) for ``year``, in the compliance list's order. Lazy."""
    lawyers = (row for row in compliance_rows(region=region, year=year, now=now) if row.kind == VolunteerKind.LAWYER)
    for chunk in _chunks(lawyers, chunk_size):
        ids = [row.volunteer_id for row in chunk]
        firms = {
            pk: (org_id, org_name or "")
            for pk, org_id, org_name in Volunteer.objects.filter(pk__in=ids).values_list(
                "pk", "practice_org_id", "practice_org__name"
            )
        }
        reviews = {
            v: (status, number, code, revoked)
            for v, status, number, code, revoked in AnnualReview.objects.filter(
                volunteer_id__in=ids, year=year
            ).values_list("volunteer_id", "status", "certificate_number", "certificate_code", "certificate_revoked_at")
        }
        for row in chunk:
            firm_id, firm_name = firms.get(row.volunteer_id, (None, ""))
            status, number, code, revoked = reviews.get(row.volunteer_id, ("", None, None, None))
            outcome = REVIEW_OUTCOMES.get(status) or PROGRESS_OUTCOMES.get(row.progress_status, Outcome.NOT_MET)
            valid = bool(code) and revoked is None
            yield InspectionRow(
                volunteer_id=row.volunteer_id,
                name=row.name,
                licence_number=row.licence_number,
                firm_id=firm_id,
                firm_name=firm_name,
                region_code=row.region_code,
                hours=row.hours,
                cases=row.cases,
                outcome=outcome,
                certificate_number=(number or "") if valid else "",
                certificate_code=(code or "") if valid else "",
            )


def inspection_export_rows(*, region: Region, year: int, now: datetime) -> Iterator[tuple]:
    """``inspection_rows`` in ``INSPECTION_COLUMNS`` order; a lawyer without a firm is listed
    under 个人执业 (individual practice)."""
    return (
        (
            row.firm_name or "个人执业",
            row.name,
            row.licence_number,
            row.region_code,
            row.hours,
            row.cases,
            Outcome.WORDS[row.outcome],
            row.certificate_number,
            row.certificate_code,
        )
        for row in inspection_rows(region=region, year=year, now=now)
    )


def inspection_summary(*, region: Region, year: int, now: datetime) -> dict:
    """Per firm: its lawyers, how many met, did not meet or were exempt, their hours and cases.
    Firms by name; lawyers without a firm last (``firm`` null)."""
    firms: dict[int | None, dict] = {}
    for row in inspection_rows(region=region, year=year, now=now):
        firm = firms.setdefault(
            row.firm_id,
            {
                "firm": row.firm_id,
                "firm_name": row.firm_name,
                "lawyers": 0,
                "met": 0,
                "not_met": 0,
                "exempt": 0,
                "hours": Decimal("0.00"),
                "cases": 0,
            },
        )
        firm["lawyers"] += 1
        firm[row.outcome] += 1
        firm["hours"] += row.hours
        firm["cases"] += row.cases
    ordered = sorted(firms.values(), key=lambda f: (f["firm"] is None, f["firm_name"], f["firm"] or 0))
    return {"year": year, "region": region.code, "firms": ordered}
