"""Every write of the duties app: hour logs, the ledger, quota rules, annual reviews."""

import base64
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duties import events
from duties.ledger import chain_hash, entry_content
from duties.models import (
    CERTIFIED_REVIEW_STATUSES,
    DECIDED_REVIEW_STATUSES,
    LEGAL_AID_CREDIT_KINDS,
    AnnualReview,
    CertificateSequence,
    CreditKind,
    DutyEntry,
    DutyRule,
    EntryKind,
    HourLog,
    HourLogStatus,
    ProgressStatus,
    ReviewStatus,
    SatisfiedBy,
    credit_kind_for,
    credit_kinds_of,
    credit_kinds_text,
)
from duties.selectors import (
    ReviewToDecide,
    ledger_head,
    ledger_totals,
    locked_year,
    open_reviews_meeting_rule,
    providers_with_rule,
    rule_for,
    rule_in_use,
    rules_touching,
    with_progress,
)
from marketplace.core.errors import Conflict, Forbidden, Invalid, NotFound, OwnRecord, ensure_not_own_record
from marketplace.core.numbering import document_number
from marketplace.models import Claim, ClaimStatus
from organizations.models import Organization, OrganizationKind, Region
from organizations.roles import roles_of
from organizations.selectors import within_region
from volunteers import assessment
from volunteers.models import DUTY_BOUND_STATUSES, Volunteer, VolunteerKind

# Volunteers' rules (2021): service time is normally at most 8 hours a day; more needs a note.
DAILY_HOURS_WITHOUT_NOTE = Decimal(8)
DAILY_HOURS_MAX = Decimal(24)
HOURS_STEP = Decimal("0.01")
# Key of the PostgreSQL advisory lock that serialises ledger appends (any constant will do).
LEDGER_LOCK_KEY = 4_2_0_1_7_0_1
BULK_MAX = 500


# --- the ledger ---------------------------------------------------------------------------


def _lock_ledger() -> None:
    """Serialise appends so that two transactions never link to the same previous row.

    PostgreSQL: a transaction-scoped advisory lock, released at commit or rollback. SQLite:
    transactions begin IMMEDIATE (settings), so only one writer runs at a time already.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LEDGER_LOCK_KEY])


def _ledger_append(
    *,
    volunteer_id: int,
    occurred_on: date,
    kind: str,
    hours: Decimal = Decimal(0),
    cases: int = 0,
    hour_log: HourLog | None = None,
    claim: Claim | None = None,
    reverses: DutyEntry | None = None,
    reason: str = "",
    by: User | None,
    now: datetime,
) -> DutyEntry:
    """Append one row to the chain. Callers hold a transaction; the lock lasts until it ends.

    The credit kind comes from the claim's task (``credit_kind_for``); a reversal takes the kind
    of the entry it reverses, so the two net out under whatever a rule counts.
    """
    _lock_ledger()
    prev_hash = ledger_head()
    hours = Decimal(hours).quantize(HOURS_STEP)
    credit_kind = reverses.credit_kind if reverses is not None else credit_kind_for(claim.task.kind)
    # The stored timestamp must give back the hashed one: microseconds survive both databases.
    entry = DutyEntry(
        volunteer_id=volunteer_id,
        year=occurred_on.year,
        occurred_on=occurred_on,
        kind=kind,
        hours=hours,
        cases=cases,
        hour_log=hour_log,
        claim=claim,
        reverses=reverses,
        reason=reason,
        created_by=by,
        created_at=now,
        credit_kind=credit_kind,
        prev_hash=prev_hash,
    )
    entry.hash = chain_hash(entry_content(entry), prev_hash)
    entry.save()
    return entry


@transaction.atomic
def duty_credit_case(*, claim: Claim, by: User | None, now: datetime | None = None) -> DutyEntry:
    """Credit one case to the provider of a completed claim on a case task.

    Who: the receiver of ``case_closed`` (duties.receivers), when the legal aid centre accepts
    the case's closing, on behalf of the reviewer ``by``, for the lead handler's claim only.
    Precondition: the task is a case kind, the claim is completed (as stored), the provider's
    year is not decided, ``by`` is not the provider (403 ``own_record``). Idempotent: a claim
    already credited returns its existing entry.
    Change: appends a ``case`` entry dated today (local time).
    """
    now = now or timezone.now()
    claim = Claim.objects.select_related("task", "volunteer").get(pk=claim.pk)
    ensure_not_own_record(by, claim.volunteer)
    if not claim.task.is_case:
        raise Conflict(_("Only case tasks credit cases."), code="not_a_case")
    if claim.status != ClaimStatus.COMPLETED:
        raise Conflict(_("Only a completed claim credits a case."), code="claim_not_completed")
    existing = DutyEntry.objects.filter(claim=claim, kind=EntryKind.CASE).first()
    if existing is not None:
        return existing
    today = timezone.localdate(now)
    if locked_year(volunteer_id=claim.volunteer_id, year=today.year):
        raise Conflict(
            _("The provider's year %(year)s is decided and locked.") % {"year": today.year}, code="year_locked"
        )
    return _ledger_append(
        volunteer_id=claim.volunteer_id,
        occurred_on=today,
        kind=EntryKind.CASE,
        cases=1,
        claim=claim,
        by=by,
        now=now,
    )


@transaction.atomic
def entry_reverse(*, entry: DutyEntry, reason: str, by: User, now: datetime | None = None) -> DutyEntry:
    """Correct the ledger with an entry that cancels ``entry``.

    Who: a regulator whose jurisdiction covers the provider's region, not the provider (403
    ``own_record``). Precondition: ``entry`` is a credit (not itself a reversal) not reversed before; a reason.
    Change: appends a ``reversal`` entry with the negated hours and cases, dated like the
    original so that the year's totals net out. Allowed in a decided year (a regulator
    adjustment); the decided review keeps the totals it recorded.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    volunteer = Volunteer.objects.select_related("region").get(pk=entry.volunteer_id)
    if not roles_of(by).regulates(volunteer.region):
        raise Forbidden(_("Only a regulator of the provider's region may reverse entries."))
    ensure_not_own_record(by, volunteer)
    if not reason:
        raise Invalid(_("Give the reason for the correction."), field="reason", code="required")
    if entry.kind == EntryKind.REVERSAL:
        raise Conflict(_("A reversal cannot be reversed."), code="is_reversal")
    _lock_ledger()
    if DutyEntry.objects.filter(reverses=entry, kind=EntryKind.REVERSAL).exists():
        raise Conflict(_("This entry is already reversed."), code="already_reversed")
    reversal = _ledger_append(
        volunteer_id=entry.volunteer_id,
        occurred_on=entry.occurred_on,
        kind=EntryKind.REVERSAL,
        hours=-entry.hours,
        cases=-entry.cases,
        hour_log=None,
        claim=None,
        reverses=entry,
        reason=reason,
        by=by,
        now=now,
    )
    return reversal


# --- hour logs ----------------------------------------------------------------------------


def _validate_hours(hours, *, field: str = "hours") -> Decimal:
    try:
        value = Decimal(str(hours))
    except Exception:
        raise Invalid(_("A valid number is required."), field=field, code="invalid") from None
    if not value.is_finite():
        raise Invalid(_("A valid number is required."), field=field, code="invalid")
    if value <= 0:
        raise Invalid(_("Hours must be more than zero."), field=field, code="not_positive")
    if value != value.quantize(HOURS_STEP):
        raise Invalid(_("Hours have at most two decimals."), field=field, code="too_precise")
    if value > DAILY_HOURS_MAX:
        raise Invalid(_("A day has at most 24 hours."), field=field, code="too_many")
    return value.quantize(HOURS_STEP)


@transaction.atomic
def hours_log(
    *, claim: Claim, date: date, hours: Decimal, note: str = "", by: User, now: datetime | None = None
) -> HourLog:
    """Record hours the provider worked on ``date`` for ``claim``, pending confirmation.

    Who: the claim's provider. Precondition: the claim is accepted (or completed, for hours
    logged after the task closed); ``date`` is not in the future, nor before the task's first
    day or after its last (local dates), nor in a year decided for the provider; hours > 0 with
    at most two decimals; more than 8 hours that day across all claims needs a note
    (volunteers' rules, 2021).
    Change: a pending hour log. Side effect: ``hours.changed`` after commit.
    """
    now = now or timezone.now()
    note = (note or "").strip()
    hours = _validate_hours(hours)
    # Lock the provider: two logs for the same day must not both pass the daily check.
    volunteer = Volunteer.objects.select_for_update().get(pk=claim.volunteer_id)
    claim = Claim.objects.select_related("task").get(pk=claim.pk)
    if volunteer.user_id != by.pk:
        raise Forbidden(_("Only the provider of the claim may log hours on it."))
    if not claim.can_log_hours:
        raise Conflict(_("Hours are logged on accepted claims only."), code="claim_not_accepted")
    today = timezone.localdate(now)
    if date > today:
        raise Invalid(_("The date is in the future."), field="date", code="future_date")
    # The task's days as the centre counts them (TIME_ZONE, Asia/Shanghai), whoever is asking.
    local = timezone.get_default_timezone()
    if date < timezone.localdate(claim.task.starts_at, local):
        raise Invalid(_("The date is before the task began."), field="date", code="before_task")
    if date > timezone.localdate(claim.task.ends_at, local):
        raise Invalid(_("The date is after the task ended."), field="date", code="after_task")
    if locked_year(volunteer_id=volunteer.pk, year=date.year):
        raise Conflict(
            _("The year %(year)s is decided and locked for this provider.") % {"year": date.year},
            code="year_locked",
        )
    logged = sum(
        HourLog.objects.filter(volunteer=volunteer, date=date)
        .exclude(status=HourLogStatus.DECLINED)
        .values_list("hours", flat=True),
        Decimal(0),
    )
    if logged + hours > DAILY_HOURS_MAX:
        raise Invalid(
            _("That makes more than 24 hours on %(date)s.") % {"date": date.isoformat()}, field="hours", code="too_many"
        )
    if logged + hours > DAILY_HOURS_WITHOUT_NOTE and not note:
        raise Invalid(_("More than 8 hours on one day needs a note saying why."), field="note", code="note_required")
    log = HourLog.objects.create(claim=claim, volunteer=volunteer, date=date, hours=hours, note=note)
    events.hours_changed(log, organization_id=claim.task.organization_id, provider_user_id=volunteer.user_id)
    return log


def _check_coordinator(log: HourLog, by: User) -> Claim:
    claim = Claim.objects.select_related("task", "volunteer").get(pk=log.claim_id)
    roles_of(by).require_coordinator(
        claim.task.organization_id, detail=_("Only coordinators of the task's organisation decide hours.")
    )
    ensure_not_own_record(by, claim.volunteer)
    return claim


def _hours_confirm_one(*, log: HourLog, hours, comment: str, by: User, now: datetime) -> HourLog:
    claim = _check_coordinator(log, by)
    if not log.awaits_decision:
        raise Conflict(_("Hour log %(id)s is already decided.") % {"id": log.pk}, code="already_decided")
    confirmed = log.hours if hours is None else _validate_hours(hours)
    if confirmed > log.hours:
        raise Invalid(_("More hours cannot be confirmed than were logged."), field="hours", code="too_many")
    if confirmed < log.hours and not comment:
        raise Invalid(_("Say why only part of the hours is confirmed."), field="comment", code="required")
    if locked_year(volunteer_id=log.volunteer_id, year=log.date.year):
        raise Conflict(
            _("The year %(year)s is decided and locked for this provider.") % {"year": log.date.year},
            code="year_locked",
        )
    # Conditional transition: a concurrent decision makes the row count 0.
    updated = HourLog.objects.filter(pk=log.pk, status=HourLogStatus.PENDING).update(
        status=HourLogStatus.CONFIRMED, confirmed_hours=confirmed, comment=comment, decided_by=by, decided_at=now
    )
    if updated != 1:
        raise Conflict(_("Hour log %(id)s is already decided.") % {"id": log.pk}, code="already_decided")
    log.refresh_from_db()
    _ledger_append(
        volunteer_id=log.volunteer_id,
        occurred_on=log.date,
        kind=EntryKind.HOURS,
        hours=confirmed,
        hour_log=log,
        claim=claim,
        by=by,
        now=now,
    )
    events.hours_changed(
        log, organization_id=claim.task.organization_id, provider_user_id=_provider_user_id(log.volunteer_id)
    )
    return log


def _provider_user_id(volunteer_id: int) -> int:
    return Volunteer.objects.values_list("user_id", flat=True).get(pk=volunteer_id)


def _hours_decline_one(*, log: HourLog, comment: str, by: User, now: datetime) -> HourLog:
    claim = _check_coordinator(log, by)
    if not comment:
        raise Invalid(_("Say why the hours are declined."), field="comment", code="required")
    updated = HourLog.objects.filter(pk=log.pk, status=HourLogStatus.PENDING).update(
        status=HourLogStatus.DECLINED, comment=comment, decided_by=by, decided_at=now
    )
    if updated != 1:
        raise Conflict(_("Hour log %(id)s is already decided.") % {"id": log.pk}, code="already_decided")
    log.refresh_from_db()
    events.hours_changed(
        log, organization_id=claim.task.organization_id, provider_user_id=_provider_user_id(log.volunteer_id)
    )
    return log


@transaction.atomic
def hours_confirm(
    *, log: HourLog, hours: Decimal | None = None, comment: str = "", by: User, now: datetime | None = None
) -> HourLog:
    """Confirm a pending hour log, in full or in part, and credit the ledger.

    Who: a coordinator of the task's organisation, not the provider (403 ``own_record``, as for
    every decision on hours, one by one or in bulk). Precondition: the log is pending; partial
    hours are more than zero, at most those logged, and come with a comment; the provider's
    year is not decided. Change: the log is confirmed and one ``hours`` entry is appended.
    Side effect: ``hours.changed`` after commit.
    """
    return _hours_confirm_one(log=log, hours=hours, comment=(comment or "").strip(), by=by, now=now or timezone.now())


@transaction.atomic
def hours_decline(*, log: HourLog, comment: str, by: User, now: datetime | None = None) -> HourLog:
    """Decline a pending hour log with a comment. Who: a coordinator of the task's organisation.

    Change: the log is declined; nothing is credited. Side effect: ``hours.changed``.
    """
    return _hours_decline_one(log=log, comment=(comment or "").strip(), by=by, now=now or timezone.now())


@transaction.atomic
def hours_credit_served_shift(
    *, claim: Claim, date: date, hours: Decimal, note: str, by: User, now: datetime
) -> HourLog:
    """Credit the hours of a duty shift its station recorded served (marketplace.rosters).

    Who: the receiver of ``shift_served`` (duties.receivers), for the station's coordinator
    ``by``, never the lawyer themself (403 ``own_record``). Precondition: as ``hours_confirm``
    (the claim's task is the coordinator's, the year not decided: 409 ``year_locked``).
    Change: the existing hours path: an hour log written for the shift's day and confirmed at
    once, appending one ``hours`` entry. Side effect: ``hours.changed`` after commit.
    """
    log = HourLog.objects.create(
        claim=claim, volunteer_id=claim.volunteer_id, date=date, hours=_validate_hours(hours), note=note[:1000]
    )
    return _hours_confirm_one(log=log, hours=None, comment="", by=by, now=now)


def _logs_for_bulk(ids: Sequence[int]) -> list[HourLog]:
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise Invalid(_("List at least one hour log."), field="ids", code="required")
    if len(ids) > BULK_MAX:
        raise Invalid(_("At most %(n)s hour logs at once.") % {"n": BULK_MAX}, field="ids", code="too_many")
    logs = {log.pk: log for log in HourLog.objects.filter(pk__in=ids)}
    missing = [i for i in ids if i not in logs]
    if missing:
        raise NotFound()
    return [logs[i] for i in ids]


@transaction.atomic
def hours_bulk_confirm(*, ids: Sequence[int], by: User, now: datetime | None = None) -> list[HourLog]:
    """Confirm several pending hour logs in full, all or none (same rules as ``hours_confirm``):
    one log of the coordinator's own refuses the whole batch (403 ``own_record``)."""
    now = now or timezone.now()
    return [_hours_confirm_one(log=log, hours=None, comment="", by=by, now=now) for log in _logs_for_bulk(ids)]


@transaction.atomic
def hours_bulk_decline(*, ids: Sequence[int], comment: str, by: User, now: datetime | None = None) -> list[HourLog]:
    """Decline several pending hour logs with one comment, all or none."""
    now = now or timezone.now()
    comment = (comment or "").strip()
    if not comment:
        raise Invalid(_("Say why the hours are declined."), field="comment", code="required")
    return [_hours_decline_one(log=log, comment=comment, by=by, now=now) for log in _logs_for_bulk(ids)]


# --- quota rules --------------------------------------------------------------------------

RULE_FIELDS = (
    "year",
    "region",
    "volunteer_kind",
    "min_hours",
    "min_cases",
    "satisfied_by",
    "exempt_if_licensed_in_year",
    "credit_kinds",
)


def _credit_kinds_text(kinds: Sequence[str]) -> str:
    """The credit kinds a rule counts, checked, as the rule stores them (``credit_kinds_text``)."""
    kinds = [str(kind) for kind in kinds]
    if not kinds:
        raise Invalid(_("Choose at least one kind of work that counts."), field="credit_kinds", code="required")
    if any(kind not in CreditKind.values for kind in kinds):
        raise Invalid(_("Unknown kind of work."), field="credit_kinds", code="invalid_choice")
    return credit_kinds_text(kinds)


def _check_rule_values(*, volunteer_kind: str, satisfied_by: str, min_hours, min_cases, credit_kinds: str) -> None:
    if volunteer_kind not in VolunteerKind.values:
        raise Invalid(_("Unknown provider kind."), field="volunteer_kind", code="invalid_choice")
    if satisfied_by not in SatisfiedBy.values:
        raise Invalid(_("Unknown value."), field="satisfied_by", code="invalid_choice")
    if Decimal(min_hours) < 0:
        raise Invalid(_("Hours cannot be negative."), field="min_hours", code="negative")
    if int(min_cases) < 0:
        raise Invalid(_("Cases cannot be negative."), field="min_cases", code="negative")
    # A rule of nothing would be met by everyone: it reads as a duty but is none.
    if Decimal(min_hours) == 0 and int(min_cases) == 0:
        raise Invalid(_("A rule requires some hours or some cases."), code="nothing_required")
    # Cases are credited as case handling only: a rule asking for cases it does not count asks
    # for what nobody can earn.
    if int(min_cases) > 0 and CreditKind.CASE not in credit_kinds_of(credit_kinds):
        raise Invalid(
            _("The rule requires cases, so it must count case handling."),
            field="credit_kinds",
            code="cases_not_counted",
        )


def _rule_for_write(rule: DutyRule, by: User) -> DutyRule:
    """The rule, locked, if ``by`` regulates its region: 403 for non-regulators, 404 otherwise."""
    roles = roles_of(by)
    roles.require_regulator(detail=_("Only regulators set duty rules."))
    rule = DutyRule.objects.select_for_update().select_related("region").filter(pk=rule.pk).first()
    if rule is None or not roles.regulates(rule.region):
        raise NotFound()
    return rule


def _check_rule_unused(rule: DutyRule) -> None:
    if rule_in_use(rule):
        raise Conflict(
            _("An annual review was opened or decided under this rule; it can no longer change."),
            code="rule_in_use",
        )


@transaction.atomic
def rule_create(
    *,
    year: int,
    region: Region,
    volunteer_kind: str,
    min_hours: Decimal,
    min_cases: int,
    satisfied_by: str = SatisfiedBy.ANY,
    exempt_if_licensed_in_year: bool = True,
    credit_kinds: Sequence[str] = LEGAL_AID_CREDIT_KINDS,
    by: User,
    now: datetime | None = None,
) -> DutyRule:
    """Set the quota of one provider kind in one region for one year, and the kinds of work it
    counts (by default the forms of legal aid: public legal service only if the rule says so).

    Who: a regulator whose jurisdiction covers ``region`` (400 on ``region`` otherwise).
    Precondition: no rule for the same year, region and kind (409 ``rule_exists``); at least one
    known credit kind, case handling among them when it requires cases (400 on ``credit_kinds``).
    """
    roles_of(by).require_regulator(region, detail=_("Only regulators set duty rules."))
    counted = _credit_kinds_text(credit_kinds)
    _check_rule_values(
        volunteer_kind=volunteer_kind,
        satisfied_by=satisfied_by,
        min_hours=min_hours,
        min_cases=min_cases,
        credit_kinds=counted,
    )
    assessment.require_kind_assessed(by, region, volunteer_kind)
    if DutyRule.objects.filter(year=year, region=region, volunteer_kind=volunteer_kind).exists():
        raise Conflict(_("A rule for this year, region and kind exists already."), code="rule_exists")
    try:
        with transaction.atomic():
            return DutyRule.objects.create(
                year=year,
                region=region,
                volunteer_kind=volunteer_kind,
                min_hours=Decimal(min_hours).quantize(HOURS_STEP),
                min_cases=int(min_cases),
                satisfied_by=satisfied_by,
                exempt_if_licensed_in_year=exempt_if_licensed_in_year,
                credit_kinds=counted,
                created_by=by,
            )
    except IntegrityError:
        raise Conflict(_("A rule for this year, region and kind exists already."), code="rule_exists") from None


@transaction.atomic
def rule_update(*, rule: DutyRule, by: User, now: datetime | None = None, **changes) -> DutyRule:
    """Correct a quota rule: any of ``RULE_FIELDS``.

    Who: a regulator whose jurisdiction covers the rule's region (404 otherwise) and the new
    region, if it changes (400 on ``region``). Precondition: the rule still requires hours or
    cases (400 ``nothing_required``); no annual review recorded it (409 ``rule_in_use``); no
    other rule has the resulting year, region and kind (409 ``rule_exists``).
    Change: the given fields.
    """
    rule = _rule_for_write(rule, by)
    assessment.require_kind_assessed(by, rule.region, rule.volunteer_kind)
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise Invalid(_("These fields cannot be changed."), field=sorted(unknown)[0], code="read_only")
    if "credit_kinds" in changes:
        changes["credit_kinds"] = _credit_kinds_text(changes["credit_kinds"])
    for name, value in changes.items():
        setattr(rule, name, value)
    if "region" in changes:
        roles_of(by).require_regulator(rule.region)
    _check_rule_values(
        volunteer_kind=rule.volunteer_kind,
        satisfied_by=rule.satisfied_by,
        min_hours=rule.min_hours,
        min_cases=rule.min_cases,
        credit_kinds=rule.credit_kinds,
    )
    assessment.require_kind_assessed(by, rule.region, rule.volunteer_kind)
    rule.min_hours = Decimal(rule.min_hours).quantize(HOURS_STEP)
    _check_rule_unused(rule)
    same_scope = DutyRule.objects.filter(year=rule.year, region=rule.region, volunteer_kind=rule.volunteer_kind)
    if same_scope.exclude(pk=rule.pk).exists():
        raise Conflict(_("A rule for this year, region and kind exists already."), code="rule_exists")
    try:
        with transaction.atomic():
            rule.save(update_fields=list(changes) or None)
    except IntegrityError:
        raise Conflict(_("A rule for this year, region and kind exists already."), code="rule_exists") from None
    return rule


@transaction.atomic
def rule_delete(*, rule: DutyRule, by: User, now: datetime | None = None) -> None:
    """Delete a quota rule set by mistake.

    Who: a regulator whose jurisdiction covers the rule's region (404 otherwise).
    Precondition: no annual review recorded it (409 ``rule_in_use``). Change: the rule is gone.
    """
    rule = _rule_for_write(rule, by)
    _check_rule_unused(rule)
    rule.delete()


# --- annual reviews -----------------------------------------------------------------------


@transaction.atomic
def reviews_open(
    *, year: int, region: Region, by: User, early: bool = False, reason: str = "", now: datetime | None = None
) -> dict:
    """Open the review of ``year`` for every provider of ``region`` and below that a rule binds.

    Who: a regulator of ``region``. Precondition: ``year`` has begun (400 on ``year``) and has
    ended in local time (Asia/Shanghai), unless ``early`` is given with a ``reason`` (409
    ``year_not_ended``; 400 on ``reason``); a rule of the year covers the region (409
    ``no_rule``). Providers with a review for that year keep it (running it twice opens
    nothing new); providers no rule applies to get none (``without_rule`` counts them).
    Change: one open review per verified or suspended provider a rule applies to, recording the
    rule, who opened it, and whether it was opened early and why. Returns the counts.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    roles_of(by).require_regulator(region, detail=_("Only regulators run annual reviews."))
    today = timezone.localdate(now, timezone.get_default_timezone())
    if year > today.year:
        raise Invalid(_("The year has not begun."), field="year", code="future_year")
    # The annual assessment covers a finished year; reviewing the current one is a recorded choice.
    opened_early = year == today.year
    if opened_early and not early:
        raise Conflict(
            _("The year %(year)s has not ended. To review it early, say so and give the reason.") % {"year": year},
            code="year_not_ended",
        )
    if opened_early and not reason:
        raise Invalid(_("Give the reason for reviewing the year before it ends."), field="reason", code="required")
    # Locked: a rule cannot be corrected or deleted while reviews are being opened under it.
    if not list(rules_touching(region=region, year=year).select_for_update(of=("self",)).values_list("pk")):
        raise Conflict(
            _("No quota rule for %(year)s applies in %(region)s: there is nothing to review.")
            % {"year": year, "region": region.name},
            code="no_rule",
        )
    # Only the kinds the regulator's organisation assesses (ASSESSED_BY): the association opens
    # lawyers' reviews, the bureau notaries' and grassroots workers'.
    assessed = assessment.kinds_assessed_by(by, region)
    providers = providers_with_rule(
        Volunteer.objects.filter(within_region(region), status__in=DUTY_BOUND_STATUSES, kind__in=assessed),
        year=year,
    ).values_list("pk", "region_id", "rule_id")
    existing = set(
        AnnualReview.objects.filter(
            within_region(region, field="volunteer__region"), year=year, volunteer__kind__in=assessed
        ).values_list("volunteer_id", flat=True)
    )
    new, without_rule = [], 0
    for pk, region_id, rule_id in providers.iterator():
        if rule_id is None:
            without_rule += 1
        elif pk not in existing:
            new.append(
                AnnualReview(
                    volunteer_id=pk,
                    year=year,
                    region_id=region_id,
                    rule_id=rule_id,
                    opened_by=by,
                    opened_at=now,
                    opened_early=opened_early,
                    open_reason=reason,
                )
            )
    AnnualReview.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return {
        "year": year,
        "region": region.code,
        "opened": len(new),
        "already_open": len(existing),
        "without_rule": without_rule,
        "opened_early": opened_early,
        "reason": reason,
    }


def new_certificate_code() -> str:
    """80 random bits as 16 base32 characters in groups of four: ABCD-EFGH-IJKL-MNOP."""
    raw = base64.b32encode(secrets.token_bytes(10)).decode()
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


# The abbreviation of an issuing body in a document number, after the first character of its
# region's name: 常州市律师协会 -> 常律协证, 常州市司法局 -> 常司证.
NUMBER_ABBREVIATIONS = {
    OrganizationKind.LAWYERS_ASSOCIATION: "律协证",
    OrganizationKind.JUSTICE_BUREAU: "司证",
}


def next_certificate_number(*, issuer: Organization, year: int) -> str:
    """The next document number (编号) of ``issuer`` for ``year``, e.g. 常律协证〔2025〕第0001号.

    A sequence per issuer and year, read and bumped under its row lock: concurrent decisions
    get consecutive numbers, never the same one.
    """
    CertificateSequence.objects.bulk_create([CertificateSequence(issuer=issuer, year=year)], ignore_conflicts=True)
    sequence = CertificateSequence.objects.select_for_update().get(issuer=issuer, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    mark = NUMBER_ABBREVIATIONS.get(issuer.kind, "证")
    return document_number(issuer, mark=mark, year=year, sequence=sequence.last)


def _decide(review: AnnualReview, *, decision: str, note: str, by: User, org, now: datetime) -> AnnualReview:
    volunteer = Volunteer.objects.select_related("region").get(pk=review.volunteer_id)
    rule = rule_for(volunteer, review.year)
    hours, cases = ledger_totals(volunteer_id=review.volunteer_id, year=review.year, rule=rule)
    certified = decision in CERTIFIED_REVIEW_STATUSES
    code = new_certificate_code() if certified else None
    number = next_certificate_number(issuer=org, year=review.year) if certified and org is not None else None
    updated = AnnualReview.objects.filter(pk=review.pk, status=ReviewStatus.OPEN).update(
        status=decision,
        note=note,
        hours=hours,
        cases=cases,
        rule=rule,
        ledger_head_hash=ledger_head(),
        decided_by=by,
        decided_by_org=org,
        decided_at=now,
        certificate_code=code,
        certificate_number=number,
    )
    if updated != 1:
        raise Conflict(_("This review is already decided."), code="already_decided")
    review.refresh_from_db()
    events.review_decided(review, provider_user_id=volunteer.user_id)
    return review


def _ledger_meets_rule(review: AnnualReview, *, now: datetime) -> bool:
    """The provider's ledger meets the rule of the review's year (progress ``met``) at ``now``."""
    status = with_progress(Volunteer.objects.filter(pk=review.volunteer_id), year=review.year, now=now).values_list(
        "progress_status", flat=True
    )
    return status[0] == ProgressStatus.MET


@transaction.atomic
def review_decide(
    *, review: AnnualReview, decision: str, note: str = "", by: User, now: datetime | None = None
) -> AnnualReview:
    """Decide one provider's year: compliant, deficient or exempt.

    Who: a regulator whose jurisdiction covers the review's region, not the reviewed provider
    (403 ``own_record``). Precondition: the review is open (409 ``already_decided``); a note
    (400 on ``note``) for every exemption and deficiency, and for a decision against the ledger
    (``against_ledger``: compliant when it does not meet the rule, deficient when it does).
    Change: records the ledger totals, the rule and the chain head at this moment, and a
    certificate code for compliant and exempt decisions; the year is locked for the provider.
    Side effect: ``review.decided`` to the provider after commit.
    """
    now = now or timezone.now()
    note = (note or "").strip()
    region = Region.objects.get(pk=review.region_id)
    if not roles_of(by).regulates(region):
        raise Forbidden(_("Only a regulator of the provider's region decides the review."))
    volunteer = Volunteer.objects.select_related("region").get(pk=review.volunteer_id)
    org = assessment.require_assessor(
        by, volunteer, detail=_("Your organisation does not assess this kind of provider: it cannot decide the review.")
    )
    ensure_not_own_record(by, volunteer)
    if decision not in DECIDED_REVIEW_STATUSES:
        raise Invalid(_("Unknown decision."), field="decision", code="invalid_choice")
    if decision == ReviewStatus.EXEMPT and not note:
        raise Invalid(_("Say why the provider is exempt."), field="note", code="required")
    # The chain head and the ledger's verdict are read under the ledger lock: no append slips in.
    _lock_ledger()
    if not note and decision != ReviewStatus.EXEMPT:
        met = _ledger_meets_rule(review, now=now)
        if decision == ReviewStatus.COMPLIANT and not met:
            raise Invalid(
                _("The ledger does not meet the rule: say why the provider is compliant."),
                field="note",
                code="against_ledger",
            )
        if decision == ReviewStatus.DEFICIENT and met:
            raise Invalid(
                _("The ledger meets the rule: say why the provider is deficient."), field="note", code="against_ledger"
            )
        if decision == ReviewStatus.DEFICIENT:
            raise Invalid(_("Say why the duty was not met."), field="note", code="required")
    return _decide(review, decision=decision, note=note, by=by, org=org, now=now)


@dataclass(frozen=True)
class SkippedReview:
    """A review a bulk decision left open, and why, as the refusal of it alone would say."""

    review: AnnualReview
    code: str
    detail: str


class DecidedReviews(list):
    """The reviews a bulk decision decided; ``skipped`` lists those it left open, with the reason.

    ``candidates`` are the reviews it decides (or, in a dry run, would decide) with their
    ledger totals; ``preview`` fingerprints them, so that a decision can insist on exactly
    the previewed list.
    """

    def __init__(self, decided=(), skipped=(), candidates=(), preview="", dry_run=False):
        super().__init__(decided)
        self.skipped: list[SkippedReview] = list(skipped)
        self.candidates: list[ReviewToDecide] = list(candidates)
        self.preview = preview
        self.dry_run = dry_run


def _preview_token(*, year: int, region: Region, review_ids: Sequence[int]) -> str:
    listed = ",".join(str(pk) for pk in sorted(review_ids))
    return hashlib.sha256(f"{year}|{region.code}|{listed}".encode()).hexdigest()


@transaction.atomic
def reviews_decide_compliant(
    *,
    year: int,
    region: Region,
    by: User,
    dry_run: bool = False,
    preview: str = "",
    now: datetime | None = None,
) -> DecidedReviews:
    """Decide as compliant every open review of ``region`` for ``year`` whose ledger meets its rule.

    Who: a regulator of ``region``. Reviews of exempt, behind or on-track providers stay open.
    The regulator's own review is skipped, not decided (``own_record`` in ``skipped``): opening
    a year that includes it is fine, deciding it is for another regulator.
    ``dry_run``: changes nothing, returns what would be decided and its ``preview`` fingerprint.
    Precondition: with ``preview``, the reviews to decide are still exactly those previewed
    (409 ``preview_outdated`` otherwise, nothing decided).
    """
    now = now or timezone.now()
    roles_of(by).require_regulator(region, detail=_("Only regulators run annual reviews."))
    _lock_ledger()
    candidates = open_reviews_meeting_rule(year=year, region=region, now=now)
    reviews = {
        r.pk: r
        for r in AnnualReview.objects.select_for_update(of=("self",))
        .select_related("volunteer")
        .filter(pk__in=[c.review_id for c in candidates], status=ReviewStatus.OPEN)
    }
    result = DecidedReviews(dry_run=dry_run)
    to_decide = []
    # The issuer of each kind's certificates; reviews of kinds the regulator does not assess
    # are left alone (not listed: they are another organisation's).
    issuers = assessment.assessing_organizations(by, region)
    for candidate in candidates:
        review = reviews.get(candidate.review_id)
        if review is None or review.volunteer.kind not in issuers:  # decided meanwhile, or not ours
            continue
        # Skipped rather than refusing the batch: a regulator who is also a provider of the
        # region can still decide everyone else's review.
        try:
            ensure_not_own_record(by, review.volunteer)
        except OwnRecord as exc:
            result.skipped.append(SkippedReview(review=review, code=exc.code, detail=exc.detail))
            continue
        to_decide.append(review)
        result.candidates.append(candidate)
    result.preview = _preview_token(year=year, region=region, review_ids=[r.pk for r in to_decide])
    if preview and preview != result.preview:
        raise Conflict(
            _("The reviews to decide changed since the preview: look at the preview again."), code="preview_outdated"
        )
    if dry_run:
        return result
    result.extend(
        _decide(r, decision=ReviewStatus.COMPLIANT, note="", by=by, org=issuers[r.volunteer.kind], now=now)
        for r in to_decide
    )
    return result


@transaction.atomic
def certificate_revoke(
    *, review: AnnualReview, reason: str = "", by: User, now: datetime | None = None
) -> AnnualReview:
    """Revoke a review's certificate, with the reason: ``/verify/`` then shows the date and reason.

    Who: a regulator of the region whose organisation assesses the provider's kind (403
    ``not_assessor``), not the certificate's holder (403 ``own_record``). Precondition: a
    reason (400 on ``reason``); a valid certificate (409 ``no_certificate``).
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not roles_of(by).regulates(Region.objects.get(pk=review.region_id)):
        raise Forbidden(_("Only a regulator of the provider's region revokes certificates."))
    volunteer = Volunteer.objects.select_related("region").get(pk=review.volunteer_id)
    ensure_not_own_record(by, volunteer)
    assessment.require_assessor(by, volunteer)
    if not reason:
        raise Invalid(_("Say why the certificate is revoked."), field="reason", code="required")
    updated = AnnualReview.objects.filter(
        pk=review.pk, certificate_code__isnull=False, certificate_revoked_at__isnull=True
    ).update(certificate_revoked_at=now, certificate_revoke_reason=reason[:500])
    if updated != 1:
        raise Conflict(_("There is no valid certificate to revoke."), code="no_certificate")
    review.refresh_from_db()
    return review
