"""Every write of the duty rosters: stations, shifts posted in bulk, swaps, served shifts.

A shift is an ``AidTask`` of kind ``duty_shift`` created by ``marketplace.services.task_create``
(so the task rules, the board and its events hold), with its ``DutyShift`` row. Claims on shifts
go through the marketplace's claim services, which refuse non-lawyers (rosters.rules). Locks are
taken in the marketplace's order: the task, then a provider.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace import events, signals
from marketplace import services as task_services
from marketplace.core.errors import Conflict, Forbidden, Invalid, ensure_not_own_record
from marketplace.core.text import in_product_language
from marketplace.models import (
    HELD_CLAIM_STATUSES,
    AidTask,
    BeneficiaryGroup,
    Claim,
    ClaimStatus,
    TaskKind,
    TaskStatus,
)
from marketplace.rosters.models import (
    NOTE_MAX,
    PEOPLE_MAX,
    DutyShift,
    DutyStation,
    HalfDay,
    HelpGiven,
    ServedShift,
    ShiftSwap,
    StationKind,
    SwapStatus,
)
from marketplace.rosters.rules import DUTY_LAWYER_KINDS, LAWYERS_ONLY, lawyer_problem, require_lawyer
from marketplace.selectors import claim_problem, coordinator_user_ids
from organizations.models import Organization, OrganizationKind, Region
from organizations.roles import roles_of
from volunteers.models import Category, Volunteer, VolunteerKind

# Organisations that run duty stations: a legal aid centre (its stations at the courts,
# procuratorates and detention centres), or a station organisation (法律援助工作站).
STATION_OPERATOR_KINDS = (OrganizationKind.LEGAL_AID_CENTER, OrganizationKind.COMMUNITY_STATION)
# At most this many shifts in one bulk posting (12 weeks of two half-days a working day is 120).
BULK_MAX_SHIFTS = 250
HOURS_STEP = Decimal("0.01")


def _require_station_coordinator(station: DutyStation, by: User) -> None:
    roles_of(by).require_coordinator(
        station.organization_id, detail=_("Only coordinators of the organisation running the station may do this.")
    )


def _local(day: date, moment) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment), timezone.get_default_timezone())


def paying_centre(station: DutyStation) -> Organization | None:
    """The legal aid centre that pays the station's duty lawyers (Art. 52): the station's own
    organisation when it is a centre, else the nearest centre whose region contains the station's."""
    if station.organization.kind == OrganizationKind.LEGAL_AID_CENTER:
        return station.organization
    codes = [c for c in station.region.path.split("/") if c]
    centres = {
        org.region_id: org
        for org in Organization.objects.filter(kind=OrganizationKind.LEGAL_AID_CENTER, region_id__in=codes).order_by(
            "-pk"
        )
    }
    return next((centres[code] for code in reversed(codes) if code in centres), None)


# --- stations ------------------------------------------------------------------------------------


def station_create(
    *,
    organization: Organization,
    name: str,
    kind: str,
    region: Region,
    address: str = "",
    by: User,
    now: datetime | None = None,
) -> DutyStation:
    """Coordinators of a legal aid centre or a station organisation. A station at a court, a
    procuratorate or a detention centre within the organisation's region (400 on ``region``,
    ``kind``, ``name``); 403 ``not_station_operator`` for other organisations."""
    now = now or timezone.now()
    roles_of(by).require_coordinator(organization, detail=_("Only the organisation's coordinators add its stations."))
    if organization.kind not in STATION_OPERATOR_KINDS:
        raise Forbidden(
            _("Duty stations are run by legal aid centres and legal aid stations."), code="not_station_operator"
        )
    name = (name or "").strip()
    if not name:
        raise Invalid(_("A station needs a name."), field="name", code="required")
    if kind not in StationKind.values:
        raise Invalid(_("A station is at a court, a procuratorate or a detention centre."), field="kind")
    if not region.path.startswith(organization.region.path):
        raise Invalid(_("The station's region must be within the organisation's region."), field="region")
    if DutyStation.objects.filter(name=name).exists():
        raise Invalid(_("A station of this name exists."), field="name", code="unique")
    return DutyStation.objects.create(
        organization=organization,
        name=name[:200],
        kind=kind,
        region=region,
        address=(address or "").strip()[:255],
        created_by=by,
        created_at=now,
    )


# --- shifts ----------------------------------------------------------------------------------------


@dataclass
class PostedShifts:
    """What a bulk posting did: the shifts created, and the slots skipped (already posted)."""

    created: list[DutyShift] = field(default_factory=list)
    skipped: list[tuple[date, str]] = field(default_factory=list)


def _slots(first_day: date, last_day: date, weekdays: set[int], half_days: list[str]) -> list[tuple[date, str]]:
    out, day = [], first_day
    while day <= last_day:
        if day.weekday() in weekdays:
            out += [(day, half) for half in HalfDay.values if half in half_days]
        day += timedelta(days=1)
    return out


def _validate_posting(*, first_day, last_day, weekdays, half_days, seats, eligible_kinds, today: date) -> None:
    if eligible_kinds is not None and (not eligible_kinds or any(k not in DUTY_LAWYER_KINDS for k in eligible_kinds)):
        raise Invalid(LAWYERS_ONLY, field="eligible_kinds", code="lawyers_only")
    if first_day < today:
        raise Invalid(_("Shifts are posted from today on."), field="first_day", code="in_the_past")
    if last_day < first_day:
        raise Invalid(_("The last day is before the first."), field="last_day", code="before_first_day")
    latest = today + timedelta(weeks=settings.ROSTER_MAX_WEEKS)
    if last_day > latest:
        raise Invalid(
            ngettext(
                "Shifts are posted at most %(n)d week ahead, until %(day)s.",
                "Shifts are posted at most %(n)d weeks ahead, until %(day)s.",
                settings.ROSTER_MAX_WEEKS,
            )
            % {"n": settings.ROSTER_MAX_WEEKS, "day": latest.isoformat()},
            field="last_day",
            code="too_far_ahead",
        )
    if not weekdays or any(not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 6 for d in weekdays):
        raise Invalid(_("Choose the weekdays, 0 (Monday) to 6 (Sunday)."), field="weekdays")
    if not half_days or any(h not in HalfDay.values for h in half_days):
        raise Invalid(_("Choose the morning, the afternoon or both."), field="half_days")
    if not isinstance(seats, int) or isinstance(seats, bool) or not 1 <= seats <= 20:
        raise Invalid(_("Between 1 and 20 lawyers a shift."), field="seats")


def shifts_post(
    *,
    station: DutyStation,
    first_day: date,
    last_day: date,
    weekdays: list[int],
    half_days: list[str],
    seats: int = 1,
    location: str = "",
    summary: str = "",
    eligible_kinds: list[str] | None = None,
    by: User,
    now: datetime | None = None,
) -> PostedShifts:
    """Coordinators of the station's organisation post dated half-day shifts for a range of days
    (from today, at most ROSTER_MAX_WEEKS ahead, BULK_MAX_SHIFTS at a time): each chosen weekday,
    morning and/or afternoon at the station's hours, ``seats`` lawyers each. Lawyers only: an
    ``eligible_kinds`` naming anyone else is 400 ``lawyers_only``. Each shift is an open
    ``duty_shift`` task on the board; a slot already posted (and not cancelled) is skipped, so
    posting the same range twice adds nothing. All or nothing."""
    now = now or timezone.now()
    _require_station_coordinator(station, by)
    today = timezone.localdate(now)
    _validate_posting(
        first_day=first_day,
        last_day=last_day,
        weekdays=weekdays,
        half_days=half_days,
        seats=seats,
        eligible_kinds=eligible_kinds,
        today=today,
    )
    slots = _slots(first_day, last_day, set(weekdays), half_days)
    if len(slots) > BULK_MAX_SHIFTS:
        raise Invalid(
            _("At most %(n)d shifts at a time (this makes %(m)d).") % {"n": BULK_MAX_SHIFTS, "m": len(slots)},
            field="last_day",
            code="too_many",
        )
    location = (location or station.address or station.name).strip()
    category = Category.OTHER if station.kind == StationKind.COURT else Category.CRIMINAL
    if not summary:
        with in_product_language():
            summary = _("Duty-lawyer legal help at the station (Legal Aid Law Art. 30).")
    posted = PostedShifts()
    with transaction.atomic():
        # One posting of a station at a time: two would both see a slot free.
        DutyStation.objects.select_for_update().filter(pk=station.pk).values_list("pk").get()
        taken = set(
            DutyShift.objects.filter(station=station, date__range=(first_day, last_day))
            .exclude(task__status=TaskStatus.CANCELLED)
            .values_list("date", "half_day")
        )
        for day, half in slots:
            if (day, half) in taken:
                posted.skipped.append((day, half))
                continue
            starts, ends = station.hours_of(half)
            starts_at, ends_at = _local(day, starts), _local(day, ends)
            if ends_at <= now:
                posted.skipped.append((day, half))  # today's half-day already over
                continue
            hours = Decimal((ends_at - starts_at).total_seconds() / 3600).quantize(HOURS_STEP)
            with in_product_language():
                title = _("Duty lawyer, %(station)s, %(day)s %(half)s") % {
                    "station": station.name,
                    "day": day.isoformat(),
                    "half": HalfDay(half).label,
                }
            task = task_services.task_create(
                organization=station.organization,
                values={
                    "title": title,
                    "summary": summary,
                    "kind": TaskKind.DUTY_SHIFT,
                    "category": category,
                    "beneficiary_group": BeneficiaryGroup.GENERAL,
                    "region": station.region,
                    "location": location[:255],
                    "is_remote": False,
                    "starts_at": starts_at,
                    "ends_at": ends_at,
                    "seats": seats,
                    "estimated_hours": hours,
                    "eligible_kinds": list(DUTY_LAWYER_KINDS),
                },
                publish=True,
                by=by,
                now=now,
            )
            posted.created.append(DutyShift.objects.create(task=task, station=station, date=day, half_day=half))
    return posted


# --- swaps -----------------------------------------------------------------------------------------


def shift_of(claim: Claim) -> DutyShift:
    shift = DutyShift.objects.select_related("station", "task").filter(task_id=claim.task_id).first()
    if shift is None:
        raise Conflict(_("This claim is not on a duty shift."), code="not_a_shift")
    return shift


def _lock_provider(volunteer_id: int) -> None:
    list(Volunteer.objects.select_for_update(no_key=True).filter(pk=volunteer_id).values_list("pk"))


def provider_by_licence(licence_number: str) -> Volunteer | None:
    """The provider holding this licence number (执业证号), a lawyer first (numbers are unique per
    kind), or None; ``swap_request`` refuses anyone but a lawyer."""
    number = (licence_number or "").strip()
    if not number:
        return None
    matches = list(Volunteer.objects.select_related("user", "region").filter(licence_number=number))
    return next((v for v in matches if v.kind == VolunteerKind.LAWYER), matches[0] if matches else None)


def swap_request(
    *, claim: Claim, to_volunteer: Volunteer | None, reason: str = "", by: User, now: datetime | None = None
) -> ShiftSwap:
    """The lawyer holding an accepted shift asks to hand it to another verified lawyer, before the
    shift starts. 400 on ``volunteer`` (nobody, oneself, not a lawyer: ``lawyers_only``, or a lawyer
    who could not hold it: ``not_eligible`` with the reason); 409 ``not_a_shift``,
    ``claim_not_accepted``, ``shift_started``, ``swap_pending``. The station's coordinators decide."""
    now = now or timezone.now()
    if claim.volunteer.user_id != by.pk:
        raise Forbidden(_("Only the lawyer holding the shift may hand it on."))
    shift = shift_of(claim)
    if claim.status != ClaimStatus.ACCEPTED:
        raise Conflict(_("Only an accepted shift can be handed on."), code="claim_not_accepted")
    if now >= shift.task.starts_at:
        raise Conflict(_("The shift has started."), code="shift_started")
    if to_volunteer is None:
        raise Invalid(_("No lawyer holds this licence number."), field="volunteer", code="not_found")
    if to_volunteer.pk == claim.volunteer_id:
        raise Invalid(_("Hand the shift to another lawyer."), field="volunteer", code="same_provider")
    if lawyer_problem(shift.task, to_volunteer):
        raise Invalid(LAWYERS_ONLY, field="volunteer", code="lawyers_only")
    problem = claim_problem(task=shift.task, volunteer=to_volunteer, now=now, for_assignment=True)
    if problem:
        raise Invalid(problem, field="volunteer", code="not_eligible")
    try:
        with transaction.atomic():
            swap = ShiftSwap.objects.create(
                shift=shift,
                claim=claim,
                from_volunteer_id=claim.volunteer_id,
                to_volunteer=to_volunteer,
                reason=(reason or "").strip()[:500],
                created_at=now,
            )
    except IntegrityError:
        raise Conflict(_("A swap of this shift already awaits the station."), code="swap_pending") from None
    _publish_swap(swap)
    return swap


def _require_swap_decider(swap: ShiftSwap, by: User) -> None:
    _require_station_coordinator(swap.shift.station, by)
    ensure_not_own_record(by, swap.from_volunteer)
    ensure_not_own_record(by, swap.to_volunteer)


def _close_swap(swap: ShiftSwap, *, to: str, by: User, now: datetime, note: str = "", **fields) -> None:
    """Conditional UPDATE: pending to ``to``; 409 ``swap_not_pending`` when it was decided meanwhile."""
    changed = ShiftSwap.objects.filter(pk=swap.pk, status=SwapStatus.PENDING).update(
        status=to, decided_by=by, decided_at=now, decision_note=note[:500], **fields
    )
    if changed != 1:
        raise Conflict(_("This swap is already decided."), code="swap_not_pending")
    swap.status, swap.decided_by, swap.decided_at, swap.decision_note = to, by, now, note[:500]
    for name, value in fields.items():
        setattr(swap, name, value)


def swap_approve(*, swap: ShiftSwap, by: User, now: datetime | None = None) -> ShiftSwap:
    """Coordinators of the station's organisation, neither lawyer of the swap (403 ``own_record``).
    Under the task's lock, then the receiving lawyer's: the asker's claim (still accepted: 409
    ``claim_changed``) is withdrawn and the receiving lawyer gets an accepted claim on the same
    seat, so the shift is never oversold; the receiving lawyer must still be a lawyer (403
    ``lawyers_only``) free at that time (409 ``not_eligible`` with the reason) without a live claim
    on the shift (409 ``already_claimed``). 409 ``swap_not_pending``, ``shift_started``."""
    now = now or timezone.now()
    _require_swap_decider(swap, by)
    with transaction.atomic():
        task = AidTask.objects.select_for_update(of=("self",)).select_related("region").get(pk=swap.shift.task_id)
        _close_swap(swap, to=SwapStatus.APPROVED, by=by, now=now)  # first: a decided swap is 409 as such
        if now >= task.starts_at:
            raise Conflict(_("The shift has started."), code="shift_started")
        to_volunteer = Volunteer.objects.select_related("region", "user").get(pk=swap.to_volunteer_id)
        require_lawyer(task, to_volunteer)
        _lock_provider(to_volunteer.pk)
        problem = claim_problem(task=task, volunteer=to_volunteer, now=now, for_assignment=True)
        if problem:
            raise Conflict(problem, code="not_eligible")
        with in_product_language():
            handed = _("Handed to %(name)s with the station's approval.") % {"name": to_volunteer.display_name}
        moved = Claim.objects.filter(pk=swap.claim_id, status=ClaimStatus.ACCEPTED).update(
            status=ClaimStatus.WITHDRAWN,
            reason=handed,
            decided_by=by,
            decided_at=now,
            updated_at=now,
        )
        if moved != 1:
            raise Conflict(_("The shift's claim changed meanwhile; reload it."), code="claim_changed")
        try:
            with transaction.atomic():
                new_claim = Claim.objects.create(
                    task=task, volunteer=to_volunteer, status=ClaimStatus.ACCEPTED, decided_by=by, decided_at=now
                )
        except IntegrityError:
            raise Conflict(_("That lawyer already has a claim on this shift."), code="already_claimed") from None
        ShiftSwap.objects.filter(pk=swap.pk).update(new_claim=new_claim)
        swap.new_claim = new_claim
        old_claim = Claim.objects.select_related("volunteer").get(pk=swap.claim_id)
        new_claim.volunteer = to_volunteer
        coordinators = coordinator_user_ids(task.organization_id)
        for claim in (old_claim, new_claim):
            events.claim_changed(claim, coordinator_ids=coordinators)
        _publish_swap(swap)
    return swap


def swap_refuse(*, swap: ShiftSwap, reason: str, by: User, now: datetime | None = None) -> ShiftSwap:
    """Coordinators of the station's organisation (not a lawyer of the swap), with a reason (400):
    the asker keeps the shift. 409 ``swap_not_pending``."""
    now = now or timezone.now()
    _require_swap_decider(swap, by)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say why the swap is refused."), field="reason", code="required")
    with transaction.atomic():
        _close_swap(swap, to=SwapStatus.REFUSED, by=by, now=now, note=reason)
        _publish_swap(swap)
    return swap


def swap_cancel(*, swap: ShiftSwap, by: User, now: datetime | None = None) -> ShiftSwap:
    """Either lawyer of the swap withdraws it while it awaits the station (403 for anyone else,
    409 ``swap_not_pending``)."""
    now = now or timezone.now()
    if by.pk not in (swap.from_volunteer.user_id, swap.to_volunteer.user_id):
        raise Forbidden(_("Only the lawyers of the swap may cancel it."))
    with transaction.atomic():
        _close_swap(swap, to=SwapStatus.CANCELLED, by=by, now=now)
        _publish_swap(swap)
    return swap


def _publish_swap(swap: ShiftSwap) -> None:
    """``swap.changed`` after commit to both lawyers and the station's coordinators."""
    from marketplace.core.events import to_users

    users = [swap.from_volunteer.user_id, swap.to_volunteer.user_id]

    def publish() -> None:
        event = {"type": "swap.changed", "swap": {"id": swap.pk, "status": swap.status, "task": swap.shift.task_id}}
        to_users([*users, *coordinator_user_ids(swap.shift.station.organization_id)], event)

    transaction.on_commit(publish)


# --- served shifts ---------------------------------------------------------------------------------


def _clean_help(help_given, people_helped, note: str) -> list[str]:
    if not isinstance(help_given, list | tuple) or any(h not in HelpGiven.values for h in help_given):
        raise Invalid(_("Choose from the listed kinds of help."), field="help_given", code="invalid_choice")
    if not isinstance(people_helped, int) or isinstance(people_helped, bool) or not 0 <= people_helped <= PEOPLE_MAX:
        raise Invalid(_("Between 0 and %(n)d people.") % {"n": PEOPLE_MAX}, field="people_helped", code="out_of_range")
    if people_helped and not help_given:
        raise Invalid(_("Say what help was given."), field="help_given", code="required")
    if len(note) > NOTE_MAX:
        raise Invalid(_("At most %(n)d characters.") % {"n": NOTE_MAX}, field="note", code="max_length")
    if HelpGiven.OTHER in help_given and not note:
        raise Invalid(_("Say what the other help was."), field="note", code="required")
    return [h for h in HelpGiven.values if h in help_given]


def _clean_hours(hours, shift_hours: Decimal) -> Decimal:
    if hours is None:
        return shift_hours
    try:
        value = Decimal(str(hours))
    except ArithmeticError:
        raise Invalid(_("A valid number is required."), field="hours") from None
    if not value.is_finite() or value <= 0:
        raise Invalid(_("Hours must be more than zero."), field="hours", code="not_positive")
    if value != value.quantize(HOURS_STEP):
        raise Invalid(_("Hours have at most two decimals."), field="hours", code="too_precise")
    if value > shift_hours:
        raise Invalid(_("At most the shift's %(h)s hours.") % {"h": shift_hours}, field="hours", code="more_than_shift")
    return value


def shift_served_record(
    *,
    claim: Claim,
    help_given: list[str],
    people_helped: int,
    note: str = "",
    hours: Decimal | None = None,
    by: User,
    now: datetime | None = None,
) -> ServedShift:
    """Coordinators of the station's organisation, never for themselves (403 ``own_record``),
    record a lawyer's shift served once it has started: the help given (at least one kind when
    anyone was helped; a note for "other"), the people helped, the hours (the shift's by default,
    never more). Once per claim (409 ``already_served``); 409 ``not_a_shift``,
    ``claim_not_accepted``, ``shift_not_started``. Change: the record; the claim completes (and
    the shift with it once nobody else holds it); ``shift_served`` is sent in the transaction, so
    duties credits the hours through a confirmed hour log and creates the subsidy line (a locked
    year there, 409 ``year_locked``, undoes it all)."""
    now = now or timezone.now()
    shift = shift_of(claim)
    _require_station_coordinator(shift.station, by)
    ensure_not_own_record(by, claim.volunteer)
    note = (note or "").strip()
    help_given = _clean_help(help_given, people_helped, note)
    task = shift.task
    hours = _clean_hours(hours, Decimal((task.ends_at - task.starts_at).total_seconds() / 3600).quantize(HOURS_STEP))
    with transaction.atomic():
        task = AidTask.objects.select_for_update(of=("self",)).get(pk=task.pk)
        claim = Claim.objects.select_related("volunteer", "task").get(pk=claim.pk)
        if ServedShift.objects.filter(claim=claim).exists():
            raise Conflict(_("This shift is already recorded as served."), code="already_served")
        if claim.status not in HELD_CLAIM_STATUSES:
            raise Conflict(_("Only a lawyer holding the shift can have served it."), code="claim_not_accepted")
        if now < task.starts_at:
            raise Conflict(_("The shift has not started yet."), code="shift_not_started")
        served = ServedShift.objects.create(
            claim=claim,
            shift=shift,
            volunteer=claim.volunteer,
            help_given=help_given,
            people_helped=people_helped,
            note=note,
            hours=hours,
            recorded_by=by,
            recorded_at=now,
        )
        signals.shift_served.send(
            sender=ServedShift,
            served=served,
            organization=paying_centre(shift.station),
            region=shift.station.region,
            by=by,
            now=now,
        )
        Claim.objects.filter(pk=claim.pk, status=ClaimStatus.ACCEPTED).update(
            status=ClaimStatus.COMPLETED, decided_at=now, updated_at=now
        )
        claim.status = ClaimStatus.COMPLETED
        if task.takes_claims and not Claim.objects.filter(task=task, status=ClaimStatus.ACCEPTED).exists():
            task_services.task_complete(task=task, by=by, now=now)
        events.claim_changed(claim, coordinator_ids=coordinator_user_ids(task.organization_id))
    return served
