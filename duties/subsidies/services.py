"""Writes to subsidy schedules, lines and batches (办案补贴, Art. 52)."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from duties.subsidies import access
from duties.subsidies.models import (
    CENT,
    BatchStatus,
    SubsidyBatch,
    SubsidyKind,
    SubsidyLine,
    SubsidyRate,
    SubsidySchedule,
    SubsidyStatus,
)
from marketplace.cases.models import Evaluation, EvaluationKind, QualityGrade
from marketplace.core.errors import Conflict, Invalid, NotFound, ensure_not_own_record
from marketplace.models import Claim, TaskKind
from organizations.models import Organization, OrganizationKind, Region
from organizations.roles import roles_of
from volunteers.models import Volunteer

GRADES = [g.value for g in QualityGrade]


# --- the price: one function, used to price and to prove ---------------------------------------


def subsidy_amount(schedule: SubsidySchedule, line: SubsidyLine) -> Decimal | None:
    """What ``line`` is worth under ``schedule``, from the line's own inputs; None when the
    schedule has no rate for the case's kind and stage.

    case: rate(kind, stage) x multiplier(grade); duty_shift: per half-day x half-days; either
    plus the travel supplement when travel was needed. Rounded half up to the fen."""
    if line.kind == SubsidyKind.DUTY_SHIFT:
        base = schedule.duty_half_day * line.half_days
    else:
        rate = schedule.rate(line.case_kind, line.stage)
        if rate is None:
            return None
        base = rate * schedule.multiplier(line.grade)
    if line.travel:
        base += schedule.travel_supplement
    return base.quantize(CENT, rounding=ROUND_HALF_UP)


def schedule_in_force(*, region: Region, year: int) -> SubsidySchedule | None:
    """The latest version of the most specific schedule of ``year`` whose region contains
    ``region`` (a district's own schedule before its city's, its city's before the province's),
    like the duty rules."""
    codes = [c for c in region.path.split("/") if c]
    found = {}
    for schedule in (
        SubsidySchedule.objects.filter(year=year, region_id__in=codes).prefetch_related("rates").order_by("version")
    ):
        found[schedule.region_id] = schedule  # the last version wins
    for code in reversed(codes):
        if code in found:
            return found[code]
    return None


def payee_for(volunteer: Volunteer) -> Organization | None:
    """The provider's law firm when they practise at one, else None (the provider themself).
    ``SUBSIDY_PAY_INDIVIDUALS`` pays every provider directly."""
    if getattr(settings, "SUBSIDY_PAY_INDIVIDUALS", False):
        return None
    org = volunteer.practice_org
    if org is not None and org.kind == OrganizationKind.LAW_FIRM:
        return org
    return None


def subsidy_price(*, line: SubsidyLine, now: datetime | None = None) -> SubsidyLine:
    """Who: the services that create lines, and the centre repricing a line before it is batched.
    Precondition: the line is unpriced or priced, not a reversal (409 ``line_paid`` /
    ``line_batched`` otherwise). Change: priced from the schedule in force for its year and
    region (amount, schedule version, payee); with no schedule or rate it stays (or becomes)
    ``unpriced``, flagged to the centre."""
    if line.reverses_id is not None or line.status not in (SubsidyStatus.UNPRICED, SubsidyStatus.PRICED):
        code = "line_paid" if line.status == SubsidyStatus.PAID else "line_batched"
        raise Conflict(_("A batched or paid subsidy line is never repriced; reverse it instead."), code=code)
    schedule = schedule_in_force(region=line.region, year=line.year) if line.region_id and line.year else None
    amount = subsidy_amount(schedule, line) if schedule is not None else None
    if amount is None:
        line.schedule, line.amount, line.status = None, None, SubsidyStatus.UNPRICED
    else:
        line.schedule, line.amount, line.status = schedule, amount, SubsidyStatus.PRICED
    line.payee_org = payee_for(line.volunteer)
    changed = SubsidyLine.objects.filter(pk=line.pk, status__in=[SubsidyStatus.UNPRICED, SubsidyStatus.PRICED]).update(
        schedule=line.schedule, amount=line.amount, status=line.status, payee_org=line.payee_org
    )
    if changed != 1:
        raise Conflict(_("A batched or paid subsidy line is never repriced; reverse it instead."), code="line_batched")
    return line


@dataclass(frozen=True)
class Recomputed:
    """The proof of a line's amount: what its schedule version says it is worth."""

    line_id: int
    schedule_id: int | None
    amount: Decimal | None
    recomputed: Decimal | None
    matches: bool


def subsidy_recompute(*, line: SubsidyLine) -> Recomputed:
    """Recompute a line's amount from the schedule version it keeps and its own inputs (a
    reversal from the line it reverses, negated). Reads only."""
    source = line.reverses if line.reverses_id else line
    if source.schedule_id is None:
        value = None
    else:
        value = subsidy_amount(SubsidySchedule.objects.prefetch_related("rates").get(pk=source.schedule_id), source)
        if value is not None and line.reverses_id:
            value = -value
    return Recomputed(line.pk, line.schedule_id, line.amount, value, value == line.amount)


# --- lines ---------------------------------------------------------------------------------------


def _grade_of_case(task_id: int) -> str:
    """The grade the centre gave the case when it accepted the closing (its file review)."""
    return (
        Evaluation.objects.filter(task_id=task_id, kind=EvaluationKind.FILE_REVIEW, closing_review__isnull=False)
        .order_by("-id")
        .values_list("grade", flat=True)
        .first()
        or ""
    )


def subsidy_line_for_case(*, claim: Claim, now: datetime) -> SubsidyLine:
    """Who: the receiver of ``case_closed`` (the centre accepted the closing), in its transaction.
    Precondition: ``claim`` is the lead handler's completed claim on the case.
    Change: one ``case`` line for the case and the handler, priced at once from the schedule in
    force (``unpriced`` without one); idempotent per case."""
    task = claim.task
    line, created = SubsidyLine.objects.get_or_create(
        task_id=claim.task_id,
        kind=SubsidyKind.CASE,
        reverses=None,
        defaults={
            "volunteer_id": claim.volunteer_id,
            "status": SubsidyStatus.UNPRICED,
            "created_at": now,
            "organization_id": task.organization_id,
            "region_id": task.region_id,
            "year": timezone.localdate(now).year,
            "case_kind": task.kind,
            "stage": task.criminal_stage if task.kind == TaskKind.CRIMINAL_DEFENSE else "",
            "grade": _grade_of_case(task.pk),
        },
    )
    if created:
        subsidy_price(line=line, now=now)
    return line


def subsidy_line_for_shift(
    *,
    organization: Organization,
    volunteer: Volunteer,
    region: Region,
    served_on: date,
    reference: str,
    half_days: int = 1,
    travel: bool = False,
    task=None,
    now: datetime | None = None,
) -> SubsidyLine:
    """Who: the duty roster, when a duty lawyer's shift is confirmed served (值班律师, Art. 30).
    Precondition: ``organization`` is the legal aid centre paying for the station; ``reference``
    names the shift uniquely (e.g. ``"shift:123"``), ``half_days`` >= 1.
    Change: one ``duty_shift`` line, priced from the schedule of ``served_on``'s year in force
    for ``region``; idempotent per ``reference``."""
    now = now or timezone.now()
    if half_days < 1:
        raise Invalid(_("A served shift is at least one half-day."), field="half_days")
    if not reference:
        raise Invalid(_("Name the shift."), field="reference", code="required")
    with transaction.atomic():
        line, created = SubsidyLine.objects.get_or_create(
            kind=SubsidyKind.DUTY_SHIFT,
            reference=reference[:64],
            reverses=None,
            defaults={
                "volunteer": volunteer,
                "task": task,
                "status": SubsidyStatus.UNPRICED,
                "created_at": now,
                "organization": organization,
                "region": region,
                "year": served_on.year,
                "half_days": half_days,
                "travel": travel,
            },
        )
        if created:
            subsidy_price(line=line, now=now)
    return line


def subsidy_reprice(*, line: SubsidyLine, by: User, now: datetime | None = None) -> SubsidyLine:
    """Who: the paying centre (not for a line that pays themself: 403 ``own_record``), e.g. after
    the bureau published a corrected schedule. Precondition: not batched nor paid (409
    ``line_batched``, ``line_paid``). Change: priced again from the schedule in force."""
    now = now or timezone.now()
    with transaction.atomic():
        line = SubsidyLine.objects.select_for_update(of=("self",)).select_related("volunteer", "region").get(pk=line.pk)
        ensure_not_own_record(by, line.volunteer)
        return subsidy_price(line=line, now=now)


# A reversal is the paid line again, with the opposite amount: what it was for, where, its inputs
# of the price, the schedule version and the payee. The rest is the reversal's own.
_REVERSAL_KEEPS = tuple(
    field.attname
    for field in SubsidyLine._meta.concrete_fields
    if field.name not in {"id", "amount", "status", "reverses", "reason", "batch", "created_at"}
)


def subsidy_reverse(*, line: SubsidyLine, reason: str, by: User, now: datetime | None = None) -> SubsidyLine:
    """Who: the paying centre (not for a line that pays themself). Precondition: the line is paid
    and not yet reversed (409 ``line_not_paid``, ``already_reversed``); a reason (400).
    Change: a reversing line of the opposite amount, priced, awaiting the next batch (the
    amount is recovered or set off); the paid line itself is untouched."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say why the payment is reversed."), field="reason", code="required")
    if len(reason) > 500:
        raise Invalid(_("At most 500 characters."), field="reason", code="max_length")
    with transaction.atomic():
        line = SubsidyLine.objects.select_for_update(of=("self",)).select_related("volunteer").get(pk=line.pk)
        ensure_not_own_record(by, line.volunteer)
        if line.status != SubsidyStatus.PAID or line.reverses_id is not None:
            raise Conflict(_("Only a paid line is reversed; reprice an unpaid one."), code="line_not_paid")
        if SubsidyLine.objects.filter(reverses=line).exists():
            raise Conflict(_("This line has already been reversed."), code="already_reversed")
        return SubsidyLine.objects.create(
            **{field: getattr(line, field) for field in _REVERSAL_KEEPS},
            amount=-line.amount,
            status=SubsidyStatus.PRICED,
            reverses=line,
            reason=reason,
            created_at=now,
        )


# --- batches -------------------------------------------------------------------------------------


def subsidy_batch_create(
    *, organization: Organization, line_ids: list[int], by: User, note: str = "", now: datetime | None = None
) -> SubsidyBatch:
    """Who: a coordinator of the legal aid centre ``organization`` (403 ``not_legal_aid_center``),
    for lines none of which pays themself (403 ``own_record``). Precondition: every line is the
    centre's and priced, in no batch (400 on ``lines``). Change: a batch awaiting payment holding
    the lines (``batched``) with their total."""
    now = now or timezone.now()
    roles = roles_of(by)
    if organization.pk not in roles.centre_ids:
        raise NotFound()
    ids = sorted(set(line_ids))
    if not ids:
        raise Invalid(_("Choose at least one line."), field="lines", code="required")
    with transaction.atomic():
        lines = list(
            SubsidyLine.objects.select_for_update(of=("self",))
            .filter(pk__in=ids, organization=organization)
            .select_related("volunteer")
            .order_by("pk")
        )
        if len(lines) != len(ids):
            missing = sorted(set(ids) - {line.pk for line in lines})
            raise Invalid(
                _("No such line of this centre: %(ids)s.") % {"ids": ", ".join(map(str, missing))},
                field="lines",
                code="not_found",
            )
        for line in lines:
            ensure_not_own_record(by, line.volunteer)
        waiting = [line.pk for line in lines if not line.can_batch]
        if waiting:
            raise Invalid(
                _("These lines are not priced or already batched: %(ids)s.") % {"ids": ", ".join(map(str, waiting))},
                field="lines",
                code="not_batchable",
            )
        batch = SubsidyBatch.objects.create(
            organization=organization,
            total=sum((line.amount for line in lines), Decimal("0.00")),
            note=note,
            created_by=by,
            created_at=now,
        )
        changed = SubsidyLine.objects.filter(pk__in=ids, status=SubsidyStatus.PRICED, batch__isnull=True).update(
            batch=batch, status=SubsidyStatus.BATCHED
        )
        if changed != len(ids):
            raise Conflict(_("Some lines were batched meanwhile; try again."), code="line_batched")
    return batch


def subsidy_batch_paid(*, batch: SubsidyBatch, by: User, now: datetime | None = None) -> SubsidyBatch:
    """Who: a coordinator of the batch's centre, for a batch none of whose lines pays themself
    (403 ``own_record``). Precondition: the batch awaits payment (409 ``batch_already_paid``).
    Change: the batch and its lines are ``paid``; from now on they are never changed."""
    now = now or timezone.now()
    with transaction.atomic():
        batch = SubsidyBatch.objects.select_for_update(of=("self",)).get(pk=batch.pk)
        for line in batch.lines.select_related("volunteer"):
            ensure_not_own_record(by, line.volunteer)
        changed = SubsidyBatch.objects.filter(pk=batch.pk, status=BatchStatus.OPEN).update(
            status=BatchStatus.PAID, paid_by=by, paid_at=now
        )
        if changed != 1:
            raise Conflict(_("This batch has already been paid."), code="batch_already_paid")
        batch.lines.filter(status=SubsidyStatus.BATCHED).update(status=SubsidyStatus.PAID)
        batch.refresh_from_db()
    return batch


# --- schedules -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateInput:
    kind: str
    stage: str
    amount: Decimal


def subsidy_schedule_create(
    *,
    year: int,
    region: Region,
    rates: list[RateInput],
    duty_half_day: Decimal,
    travel_supplement: Decimal,
    multipliers: dict[str, Decimal],
    note: str = "",
    by: User,
    now: datetime | None = None,
) -> SubsidySchedule:
    """Who: a reviewer or admin of the justice bureau of ``region`` (403; 400 ``outside_jurisdiction``).
    Precondition: amounts and multipliers not negative (the serializer says so per field).
    Change: a new version of the year and region's schedule (1 for the first; a correction is
    the next). Lines keep the version they were priced with; unpaid lines are repriced only by
    the centre (``subsidy_reprice``)."""
    now = now or timezone.now()
    bureau = access.require_schedule_writer(by, region)
    with transaction.atomic():
        # Serialise versions of one year and region: lock the existing ones.
        current = SubsidySchedule.objects.select_for_update(of=("self",)).filter(year=year, region=region)
        versions = list(current.values_list("version", flat=True))
        latest = max(versions, default=0)
        schedule = SubsidySchedule.objects.create(
            year=year,
            region=region,
            version=latest + 1,
            duty_half_day=duty_half_day,
            travel_supplement=travel_supplement,
            note=note,
            organization=bureau,
            created_by=by,
            created_at=now,
            **{f"multiplier_{grade}": multipliers[grade] for grade in GRADES},
        )
        SubsidyRate.objects.bulk_create(
            SubsidyRate(schedule=schedule, kind=r.kind, stage=r.stage, amount=r.amount) for r in rates
        )
    return schedule


def batch_total(batch: SubsidyBatch) -> Decimal:
    return batch.lines.aggregate(t=Sum("amount"))["t"] or Decimal("0.00")
