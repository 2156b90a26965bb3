"""Demo subsidies, loaded by ``manage.py seed_demo`` after the cases and the duty history.

The Changzhou justice bureau's schedule for last year and this year (this year's corrected
once, so it has two versions), shaped like a Jiangsu provincial standard. The amounts are
illustrative, not the official figures (docs/subsidies.md). Every line the demo's accepted
closings created is priced; the city centre's duty lawyers get a year of served half-day
shifts; last year's lines are batched per quarter and paid, this year's first quarter waits in
an open batch.

Idempotent: nothing is written if the city's schedule exists.
"""

import contextlib
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from duties.subsidies import services
from duties.subsidies.models import SubsidyKind, SubsidyLine, SubsidySchedule, SubsidyStatus
from marketplace.core.errors import DomainError
from organizations.models import Organization, OrganizationKind, Region
from volunteers.models import Volunteer, VolunteerKind, VolunteerStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Yuan per case (illustrative, Jiangsu-like): civil and administrative 1,500-3,000, criminal by stage.
RATES = [
    ("civil_representation", "", "2000.00"),
    ("administrative_representation", "", "2000.00"),
    ("state_compensation", "", "2000.00"),
    ("victim_representation", "", "1500.00"),
    ("mediation_arbitration", "", "1500.00"),
    ("criminal_defense", "investigation", "1200.00"),
    ("criminal_defense", "prosecution", "1200.00"),
    ("criminal_defense", "trial", "2500.00"),
    # A criminal matter whose stage was not recorded is paid as a trial.
    ("criminal_defense", "", "2500.00"),
]
MULTIPLIERS = {"excellent": Decimal("1.20"), "good": Decimal("1.00"), "pass": Decimal("0.80"), "fail": Decimal("0")}


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def seed(*, now: datetime) -> None:
    city = Region.objects.filter(code="320400").first()
    bureau_user = User.objects.filter(username="bureau").first()
    centre = Organization.objects.filter(name="常州市法律援助中心", kind=OrganizationKind.LEGAL_AID_CENTER).first()
    centre_user = User.objects.filter(username="lac").first()
    if not (city and bureau_user and centre and centre_user):
        return
    if SubsidySchedule.objects.filter(region=city).exists():
        return
    this_year = now.astimezone(SHANGHAI).year
    # Each year's schedule in January; then this year's correction: the duty half-day goes up,
    # lines keep the version they were priced with. (year, duty half-day, note, published on)
    schedules = [
        (year, "200.00", f"{year}年度常州市法律援助办案补贴标准（演示数据）", date(year, 1, 5))
        for year in (this_year - 1, this_year)
    ]
    schedules.append(
        (this_year, "220.00", f"{this_year}年度标准更正：值班补贴调整为每半天220元（演示数据）", date(this_year, 2, 1))
    )
    for year, duty_half_day, note, published in schedules:
        services.subsidy_schedule_create(
            year=year,
            region=city,
            rates=[services.RateInput(kind, stage, Decimal(amount)) for kind, stage, amount in RATES],
            duty_half_day=Decimal(duty_half_day),
            travel_supplement=Decimal("100.00"),
            multipliers=MULTIPLIERS,
            note=note,
            by=bureau_user,
            now=_at(published),
        )
    for line in SubsidyLine.objects.filter(status=SubsidyStatus.UNPRICED).select_related("volunteer", "region"):
        services.subsidy_price(line=line, now=now)
    _shifts(centre, city, now=now)
    _batches(centre, centre_user, this_year, now=now)


def _shifts(centre: Organization, city: Region, *, now: datetime) -> None:
    """Two half-days a month at the court's and the detention centre's stations, since January
    of last year, for the first three verified lawyers; only when no shift was served (the duty
    roster's demo records real served shifts, marketplace.rosters, and their lines exist)."""
    if SubsidyLine.objects.filter(kind=SubsidyKind.DUTY_SHIFT).exists():
        return
    lawyers = list(
        Volunteer.objects.filter(kind=VolunteerKind.LAWYER, status=VolunteerStatus.VERIFIED).order_by("pk")[:3]
    )
    today = now.astimezone(SHANGHAI).date()
    year, month = today.year - 1, 1
    while date(year, month, 1) <= today:
        for n, lawyer in enumerate(lawyers):
            served = date(year, month, 3 + 7 * n)
            if served > today:
                continue
            services.subsidy_line_for_shift(
                organization=centre,
                volunteer=lawyer,
                region=lawyer.region if lawyer.region.path.startswith(city.path) else city,
                served_on=served,
                reference=f"demo-shift:{lawyer.pk}:{served.isoformat()}",
                half_days=2 if n == 0 else 1,
                travel=n == 2,
                now=_at(served, 17),
            )
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)


def _batches(centre: Organization, by: User, this_year: int, *, now: datetime) -> None:
    """Last year's priced lines in four quarterly batches, paid; this year's first quarter in
    one batch awaiting payment."""
    priced = SubsidyLine.objects.filter(organization=centre, status=SubsidyStatus.PRICED, batch__isnull=True)
    for quarter in range(4):
        start, end = date(this_year - 1, 3 * quarter + 1, 1), date(this_year - 1, 3 * quarter + 3, 28)
        ids = list(priced.filter(year=this_year - 1, created_at__date__range=(start, end)).values_list("pk", flat=True))
        if not ids:
            continue
        try:
            batch = services.subsidy_batch_create(
                organization=centre, line_ids=ids, by=by, note=f"{this_year - 1}年第{quarter + 1}季度", now=_at(end)
            )
            services.subsidy_batch_paid(batch=batch, by=by, now=_at(end, 16))
        except DomainError:
            continue  # a line paying the coordinator themself: left for another coordinator
    ids = list(priced.filter(year=this_year, created_at__date__lte=date(this_year, 3, 31)).values_list("pk", flat=True))
    if ids:
        with contextlib.suppress(DomainError):
            services.subsidy_batch_create(
                organization=centre, line_ids=ids, by=by, note=f"{this_year}年第1季度", now=now
            )
