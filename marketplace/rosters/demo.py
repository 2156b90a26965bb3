"""Demo duty rosters, loaded by ``manage.py seed_demo`` after the marketplace's tasks and before
the duty history (duties.demo serves the past shifts in time order, so the ledger reads
chronologically).

Four stations of the Changzhou legal aid centres, at the intermediate court, the city detention
centre, the Tianning procuratorate and the Wujin court; three weeks of half-day shifts posted
ahead (through ``shifts_post``), most held by lawyers who claimed them (through
``claim_create``), a few of the coming week left uncovered so the station sees the flag and gets
the reminder, and one swap awaiting the station. Only lawyers hold shifts.

Idempotent: nothing is written if the first station exists.
"""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import F
from django.utils import timezone

from marketplace import services as market
from marketplace.core.errors import DomainError
from marketplace.models import AidTask, BeneficiaryGroup, Claim, ClaimStatus, TaskKind, TaskStatus
from marketplace.rosters import services
from marketplace.rosters.models import DutyShift, DutyStation, HalfDay, HelpGiven, StationKind
from marketplace.rosters.rules import DUTY_LAWYER_KINDS
from organizations.models import Organization, Region
from volunteers.models import Category, Volunteer, VolunteerKind, VolunteerStatus

# name, kind, region, organisation, coordinator, address, (weekdays, half-days) posted ahead
STATIONS = [
    (
        "常州市中级人民法院法律援助工作站",
        StationKind.COURT,
        "320400",
        "常州市法律援助中心",
        "lac",
        "常州市中级人民法院诉讼服务中心一楼",
        ([0, 1, 2, 3, 4], [HalfDay.MORNING]),
    ),
    (
        "常州市看守所法律援助工作站",
        StationKind.DETENTION_CENTRE,
        "320400",
        "常州市法律援助中心",
        "lac",
        "常州市看守所律师会见室旁",
        ([0, 2, 4], [HalfDay.AFTERNOON]),
    ),
    (
        "天宁区人民检察院法律援助工作站",
        StationKind.PROCURATORATE,
        "320402",
        "常州市法律援助中心",
        "lac",
        "天宁区人民检察院案件管理中心",
        ([1, 3], [HalfDay.MORNING]),
    ),
    (
        "武进区人民法院法律援助工作站",
        StationKind.COURT,
        "320412",
        "常州市武进区法律援助中心",
        "wujin",
        "武进区人民法院立案大厅",
        ([1, 3], [HalfDay.AFTERNOON]),
    ),
]
WEEKS_AHEAD = 3


def stations() -> list[DutyStation]:
    """The demo's stations, in the order above (those that exist)."""
    by_name = {s.name: s for s in DutyStation.objects.filter(name__in=[row[0] for row in STATIONS])}
    return [by_name[row[0]] for row in STATIONS if row[0] in by_name]


def station_for(volunteer: Volunteer, day: date, all_stations: list[DutyStation]) -> list[DutyStation]:
    """Where a lawyer sits: the Wujin court for Wujin's lawyers, else the city's stations in turn."""
    wujin = [s for s in all_stations if s.region_id == "320412"]
    city = [s for s in all_stations if s.region_id != "320412"]
    if volunteer.region_id == "320412" and wujin:
        return wujin + city
    shift = day.toordinal() % max(len(city), 1)
    return city[shift:] + city[:shift]


def _coordinator(station: DutyStation) -> User | None:
    username = next((row[4] for row in STATIONS if row[0] == station.name), None)
    return User.objects.filter(username=username).first()


def past_shift(station: DutyStation, day: date, half: str) -> DutyShift:
    """A shift of the station's history (two seats), created once: the demo writes the past
    directly, as ``shifts_post`` posts only from today on."""
    existing = DutyShift.objects.filter(station=station, date=day, half_day=half).select_related("task").first()
    if existing is not None:
        return existing
    starts, ends = station.hours_of(half)
    starts_at = timezone.make_aware(datetime.combine(day, starts))
    ends_at = timezone.make_aware(datetime.combine(day, ends))
    task = AidTask.objects.create(
        organization=station.organization,
        title=f"值班律师（{station.name}）{day.isoformat()} {HalfDay(half).label}",
        summary="为犯罪嫌疑人、被告人及来访群众提供法律咨询、程序选择建议、申请变更强制措施等法律帮助。",
        kind=TaskKind.DUTY_SHIFT,
        category=Category.OTHER if station.kind == StationKind.COURT else Category.CRIMINAL,
        beneficiary_group=BeneficiaryGroup.GENERAL,
        region=station.region,
        location=station.address,
        starts_at=starts_at,
        ends_at=ends_at,
        seats=2,
        estimated_hours=Decimal((ends_at - starts_at).total_seconds() / 3600).quantize(Decimal("0.01")),
        eligible_kinds=list(DUTY_LAWYER_KINDS),
        status=TaskStatus.OPEN,
    )
    return DutyShift.objects.create(task=task, station=station, date=day, half_day=half)


def hold_past_shift(volunteer: Volunteer, day: date, half: str, all_stations: list[DutyStation]) -> Claim | None:
    """An accepted claim of ``volunteer`` on a past shift of ``day``'s ``half`` at a station with a
    seat left; None when every station's seat is taken that half-day."""
    for station in station_for(volunteer, day, all_stations):
        shift = past_shift(station, day, half)
        if Claim.objects.filter(task=shift.task, volunteer=volunteer).exists():
            return None
        if shift.task.seats_taken >= shift.task.seats:
            continue
        claim = Claim.objects.create(
            task=shift.task,
            volunteer=volunteer,
            status=ClaimStatus.ACCEPTED,
            decided_by=_coordinator(station),
            decided_at=shift.task.starts_at - timedelta(days=14),
        )
        AidTask.objects.filter(pk=shift.task_id).update(seats_taken=F("seats_taken") + 1)
        shift.task.seats_taken += 1
        return claim
    return None


def serve(claim: Claim, rng: random.Random, *, now: datetime) -> None:
    """The station records the shift served: what help was given, to how many people."""
    shift = DutyShift.objects.select_related("station__organization").get(task_id=claim.task_id)
    people = rng.choice([0, 1, 2, 2, 3, 4, 5])
    kinds = [HelpGiven.ADVICE, HelpGiven.PROCEDURE]
    if shift.station.kind != StationKind.COURT:
        kinds += [HelpGiven.PLEA_PRESENT, HelpGiven.BAIL_CHANGE]
    given = sorted(set(rng.sample(kinds, k=min(len(kinds), rng.randint(1, 3))))) if people else []
    note = {
        HelpGiven.PLEA_PRESENT: "在场见证认罪认罚具结书签署。",
        HelpGiven.BAIL_CHANGE: "协助申请变更强制措施为取保候审。",
    }
    services.shift_served_record(
        claim=claim,
        help_given=given,
        people_helped=people,
        note="".join(note.get(k, "") for k in given),
        by=_coordinator(shift.station),
        now=now,
    )


def ensure_stations(*, now: datetime) -> list[DutyStation]:
    """The demo's stations, each created once (the duty history needs them too)."""
    existing = {s.name for s in stations()}
    for name, kind, region_code, org_name, username, address, _ in STATIONS:
        organization = Organization.objects.filter(name=org_name).first()
        coordinator = User.objects.filter(username=username).first()
        region = Region.objects.filter(code=region_code).first()
        if name in existing or not (organization and coordinator and region):
            continue
        services.station_create(
            organization=organization,
            name=name,
            kind=kind,
            region=region,
            address=address,
            by=coordinator,
            now=now - timedelta(days=800),
        )
    return stations()


def seed(*, now: datetime) -> None:
    """Idempotent: a second run changes nothing."""
    if DutyStation.objects.filter(name=STATIONS[0][0]).exists():
        return
    created = ensure_stations(now=now)
    if not created:
        return
    today = timezone.localdate(now)
    rng = random.Random(30)  # Legal Aid Law Art. 30: duty lawyers
    posted: list[DutyShift] = []
    for station in created:
        weekdays, halves = next(row[6] for row in STATIONS if row[0] == station.name)
        posted += services.shifts_post(
            station=station,
            first_day=today + timedelta(days=1),
            last_day=today + timedelta(weeks=WEEKS_AHEAD),
            weekdays=weekdays,
            half_days=list(halves),
            seats=1,
            by=_coordinator(station),
            now=now,
        ).created
    lawyers = list(
        Volunteer.objects.filter(kind=VolunteerKind.LAWYER, status=VolunteerStatus.VERIFIED)
        .select_related("user", "region")
        .order_by("pk")
    )
    if not lawyers:
        return
    # Most shifts are taken; one in four of the coming week's stays uncovered (flagged, reminded).
    held: list[Claim] = []
    for shift in sorted(posted, key=lambda s: (s.date, s.half_day, s.pk)):
        if rng.random() < 0.25:
            continue
        for lawyer in rng.sample(lawyers, k=min(4, len(lawyers))):
            try:
                held.append(market.claim_create(task=shift.task, volunteer=lawyer, by=lawyer.user, now=now))
                break
            except DomainError:
                continue
    # A lawyer who cannot sit one of their shifts asks to hand it to a colleague.
    for claim in held[2:]:
        for other in lawyers:
            try:
                services.swap_request(
                    claim=claim,
                    to_volunteer=other,
                    reason="当日需出庭，无法值班，已与同事协商调换。",
                    by=claim.volunteer.user,
                    now=now,
                )
                return
            except DomainError:
                continue
