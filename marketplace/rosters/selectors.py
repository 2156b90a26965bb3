"""Reads of the duty rosters, each starting from what the caller may see."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from marketplace.models import HELD_CLAIM_STATUSES, PUBLIC_TASK_STATUSES, Claim, ClaimStatus, TaskStatus
from marketplace.rosters.models import DutyShift, DutyStation, ServedShift, ShiftSwap, SwapStatus
from marketplace.visibility import visible, visible_rows
from organizations.roles import roles_of


def stations_visible_to(user: User | AnonymousUser) -> QuerySet[DutyStation]:
    """Stations are public: where duty lawyers sit is no secret."""
    return DutyStation.objects.select_related("organization", "region")


def stations_managed_by(user: User | AnonymousUser) -> QuerySet[DutyStation]:
    """The stations whose organisation the caller coordinates: it posts their shifts."""
    return stations_visible_to(user).filter(organization_id__in=roles_of(user).coordinated_ids)


def shifts_visible_to(user: User | AnonymousUser) -> QuerySet[DutyShift]:
    """Published shifts for anyone, drafts for the station's coordinators (as tasks are seen)."""
    condition = visible(user, base=Q(task__status__in=PUBLIC_TASK_STATUSES), coordinated=["task__organization_id"])
    return DutyShift.objects.filter(condition).select_related("task", "station")


def uncovered(qs: QuerySet[DutyShift], *, now: datetime, days: int | None = None) -> QuerySet[DutyShift]:
    """Shifts of ``qs`` starting within ``days`` (ROSTER_UNCOVERED_DAYS) that still have a seat no
    lawyer holds: open (a filled shift is covered; a cancelled one will not be served)."""
    days = settings.ROSTER_UNCOVERED_DAYS if days is None else days
    return qs.filter(
        task__status=TaskStatus.OPEN,
        task__seats_taken__lt=F("task__seats"),
        task__starts_at__gte=now,
        task__starts_at__lt=now + timedelta(days=days),
    )


def uncovered_shifts(*, now: datetime, days: int | None = None) -> QuerySet[DutyShift]:
    """Every station's uncovered shifts in the coming days, the first to start first (the reminder)."""
    return uncovered(DutyShift.objects.select_related("task", "station"), now=now, days=days).order_by(
        "task__starts_at", "id"
    )


def station_roster(station: DutyStation, *, now: datetime, weeks: int = 4) -> list[DutyShift]:
    """The station's shifts from today for ``weeks``, with their holders (``holders``: accepted
    claims) and whether each is uncovered within ROSTER_UNCOVERED_DAYS (``is_uncovered``)."""
    today = timezone.localdate(now)
    shifts = list(
        DutyShift.objects.filter(station=station, date__gte=today, date__lt=today + timedelta(weeks=weeks))
        .exclude(task__status=TaskStatus.CANCELLED)
        .select_related("task")
        .order_by("task__starts_at", "id")  # by time: half_day's text would put 下午 (afternoon) first
    )
    flagged = set(uncovered(DutyShift.objects.filter(station=station), now=now).values_list("pk", flat=True))
    holders: dict[int, list[Claim]] = {}
    for claim in (
        Claim.objects.filter(task_id__in=[s.task_id for s in shifts], status__in=HELD_CLAIM_STATUSES)
        .select_related("volunteer__user")
        .order_by("id")
    ):
        holders.setdefault(claim.task_id, []).append(claim)
    for shift in shifts:
        shift.holders = holders.get(shift.task_id, [])
        shift.is_uncovered = shift.pk in flagged
    return shifts


def shifts_to_record(station: DutyStation, *, now: datetime, limit: int = 50) -> QuerySet[Claim]:
    """Claims on the station's shifts that have started and are held, with no served record yet:
    the station records each one served. The earliest first."""
    return (
        Claim.objects.filter(
            task__duty_shift__station=station, status__in=HELD_CLAIM_STATUSES, task__starts_at__lte=now
        )
        .exclude(Exists(ServedShift.objects.filter(claim=OuterRef("pk"))))
        .exclude(task__status=TaskStatus.CANCELLED)
        .select_related("task__duty_shift", "volunteer__user")
        .order_by("task__starts_at", "id")[:limit]
    )


def swaps_visible_to(user: User | AnonymousUser) -> QuerySet[ShiftSwap]:
    """Swaps the caller asked or receives, and those of the stations its organisations run."""
    own = Q(from_volunteer__user=user) | Q(to_volunteer__user=user)
    swaps = visible_rows(ShiftSwap, user, own=own, coordinated=["shift__station__organization_id"])
    return swaps.select_related("shift__station", "shift__task", "from_volunteer__user", "to_volunteer__user")


def pending_swaps(station: DutyStation) -> QuerySet[ShiftSwap]:
    return (
        ShiftSwap.objects.filter(shift__station=station, status=SwapStatus.PENDING)
        .select_related("shift__task", "from_volunteer__user", "to_volunteer__user")
        .order_by("shift__date", "id")
    )


def served_visible_to(user: User | AnonymousUser) -> QuerySet[ServedShift]:
    """Served records of the caller's own shifts, and of the stations its organisations run."""
    served = visible_rows(
        ServedShift, user, own=Q(volunteer__user=user), coordinated=["shift__station__organization_id"]
    )
    return served.select_related("shift__station", "volunteer__user", "claim")


def shifts_of_provider(user: User | AnonymousUser) -> QuerySet[Claim]:
    """The caller's accepted claims on shifts to come, the first first (their swap forms)."""
    return (
        Claim.objects.filter(volunteer__user=user, status=ClaimStatus.ACCEPTED, task__duty_shift__isnull=False)
        .select_related("task__duty_shift__station", "volunteer")
        .order_by("task__starts_at", "id")
    )
