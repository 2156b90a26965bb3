"""Demo data of the duties app, loaded by ``manage.py seed_demo`` after the other apps.

Two years of duty history for the Changzhou demo providers: lawyers sit dated half-day shifts at
the duty stations of the courts, the procuratorate and the detention centre (marketplace.rosters),
each recorded served by the station, which credits its hours; the other providers log hours on
dated consultation sessions at the city legal aid centre's window (confirmed by the centre);
represented cases credited when the centre accepts their closing reports, quota rules, and last year's
annual review decided with certificates: lawyers by the city lawyers' association, notaries and
grassroots workers by the city justice bureau; students, citizen volunteers and staff have none.
Some providers met their quota, some are behind, some are exempt. Everything goes through the
services, so the ledger's hash chain is genuine.

Idempotent: quota rules are created once; the history is written only if no session of it
exists yet.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import F
from django.utils import timezone

from duties import services
from duties.models import AnnualReview, DutyRule, ReviewStatus
from marketplace.cases.demo import assigned_case, close_case
from marketplace.models import AidTask, BeneficiaryGroup, Claim, ClaimStatus, TaskKind, TaskStatus
from marketplace.rosters import demo as rosters_demo
from marketplace.rosters.models import HalfDay, ServedShift
from organizations.models import Organization, Region
from volunteers.models import Category, Volunteer, VolunteerKind, VolunteerStatus

CITY = "320400"
TIANNING = "320402"
# (region, kind, minimum hours, minimum cases): the Ministry's default for lawyers (50 hours or
# 2 cases), lighter quotas for notaries and grassroots workers, and a district variant that
# shows "the most specific region wins".
RULES = [
    (CITY, VolunteerKind.LAWYER, 50, 2),
    (CITY, VolunteerKind.NOTARY, 30, 0),
    (CITY, VolunteerKind.GRASSROOTS_WORKER, 40, 2),
    (TIANNING, VolunteerKind.LAWYER, 40, 2),
]
SESSION_TITLE = "法律援助中心窗口咨询接待（{day}）"
# A lawyer's duty comes in half-day shifts of about this many hours (上午 3.5, 下午 4).
SHIFT_HOURS = Decimal("3.75")
CASE_TITLES = [
    (
        "农民工追讨欠薪劳动仲裁代理",
        TaskKind.MEDIATION_ARBITRATION,
        Category.LABOR_WAGES,
        BeneficiaryGroup.MIGRANT_WORKERS,
    ),
    ("工伤认定行政诉讼代理", TaskKind.CIVIL_REPRESENTATION, Category.WORK_INJURY, BeneficiaryGroup.WORKERS),
    ("未成年人刑事案件辩护", TaskKind.CRIMINAL_DEFENSE, Category.CRIMINAL, BeneficiaryGroup.MINORS),
    ("家暴受害妇女离婚诉讼代理", TaskKind.CIVIL_REPRESENTATION, Category.DOMESTIC_VIOLENCE, BeneficiaryGroup.WOMEN),
    ("老年人赡养纠纷代理", TaskKind.CIVIL_REPRESENTATION, Category.ELDERLY_RIGHTS, BeneficiaryGroup.ELDERLY),
]

# Last year's review of those the assessors did not find compliant: (decision, note).
REVIEW_EXEMPT = (ReviewStatus.EXEMPT, "因病长期休养，经申请免予年度考核。")
REVIEW_DEFICIENT = (ReviewStatus.DEFICIENT, "未达到年度法律援助服务时长或办案数量要求，已约谈提醒。")

# What each provider did in a year, by a pattern index: (hours, cases).
LAST_YEAR_PATTERNS = [(22, 0), (62, 0), (12, 2), (55, 1)]  # behind, met by hours, by cases, both
THIS_YEAR_PATTERNS = [(8, 0), (56, 0), (44, 0), (20, 1), (10, 2)]  # behind, met, on track, one case, met by cases


def _at(day: date, hour: int = 18) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _rules(years, by: User | None) -> None:
    regions = {r.code: r for r in Region.objects.filter(code__in=[CITY, TIANNING])}
    if len(regions) < 2:
        return
    for year in years:
        for code, kind, hours, cases in RULES:
            DutyRule.objects.get_or_create(
                year=year,
                region=regions[code],
                volunteer_kind=kind,
                defaults={"min_hours": Decimal(hours), "min_cases": cases, "created_by": by},
            )


def _session(center: Organization, day: date, now: datetime) -> AidTask:
    """The centre's walk-in consultation session of ``day`` (one a day, shared by its providers)."""
    title = SESSION_TITLE.format(day=day.isoformat())
    existing = AidTask.objects.filter(organization=center, title=title).first()
    if existing is not None:
        return existing
    starts_at, ends_at = _at(day, 9), _at(day, 17)
    return AidTask.objects.create(
        organization=center,
        title=title,
        summary="在法律援助中心接待窗口解答来访群众的法律咨询。",
        kind=TaskKind.CONSULTATION,
        category=Category.OTHER,
        beneficiary_group=BeneficiaryGroup.GENERAL,
        region=center.region,
        location="常州市法律援助中心接待大厅",
        starts_at=starts_at,
        ends_at=ends_at,
        seats=30,
        estimated_hours=Decimal("4.00"),
        eligible_kinds=[k for k in VolunteerKind.values if k != VolunteerKind.LAWYER],
        status=TaskStatus.COMPLETED if ends_at < now else TaskStatus.OPEN,
    )


def _plan_shifts(rng: random.Random, total: int, first: date, last: date) -> list[tuple[date, str]]:
    """About ``total`` hours as half-day shifts on distinct working days between two dates."""
    count = max(1, int((Decimal(total) / SHIFT_HOURS).to_integral_value()))
    days = [first + timedelta(days=n) for n in range(max((last - first).days, 1))]
    days = [d for d in days if d.weekday() < 5]
    picked = sorted(rng.sample(days, k=min(count, len(days))))
    return [(day, rng.choice(HalfDay.values)) for day in picked]


def _plan_hours(rng: random.Random, total: int, first: date, last: date) -> list[tuple[date, Decimal]]:
    """Split ``total`` hours into sessions of 2 to 6 hours on distinct days between two dates."""
    sessions = []
    left = Decimal(total)
    span = max((last - first).days, 1)
    used: set[date] = set()
    while left > 0:
        hours = min(left, Decimal(rng.choice([2, 2.5, 3, 3.5, 4, 5, 6])).quantize(Decimal("0.5")))
        day = first + timedelta(days=rng.randrange(span))
        if day in used:
            continue
        used.add(day)
        sessions.append((day, hours))
        left -= hours
    return sorted(sessions)


def seed(*, now: datetime) -> None:
    """Idempotent: a second run changes nothing."""
    this_year = timezone.localdate(now).year
    last_year = this_year - 1
    center = Organization.objects.filter(name="常州市法律援助中心").first()
    bureau = Organization.objects.filter(name="常州市司法局").first()
    coordinator = User.objects.filter(username="lac").first()
    regulator = User.objects.filter(username="bureau").first()
    _rules([last_year, this_year], regulator)
    if not (center and bureau and coordinator and regulator):
        return
    if (
        ServedShift.objects.exists()
        or AidTask.objects.filter(organization=center, title__startswith=SESSION_TITLE.split("（")[0]).exists()
    ):
        return

    rng = random.Random(2022)  # the year the Legal Aid Law came into force
    today = timezone.localdate(now)
    providers = list(
        Volunteer.objects.filter(status=VolunteerStatus.VERIFIED).select_related("user").order_by("kind", "id")
    )
    stations = rosters_demo.ensure_stations(now=now)

    # Work out every hour session and case first, then replay them in time order, so that the
    # ledger reads chronologically.
    actions: list[tuple[datetime, int, str, dict]] = []
    seq = 0
    for index, volunteer in enumerate(providers):
        for year, patterns in ((last_year, LAST_YEAR_PATTERNS), (this_year, THIS_YEAR_PATTERNS)):
            hours, cases = patterns[index % len(patterns)]
            if volunteer.kind in (VolunteerKind.LAW_STUDENT, VolunteerKind.CITIZEN_VOLUNTEER):
                hours, cases = 6 + index % 10, 0
            elif volunteer.kind != VolunteerKind.LAWYER:
                cases = 0
            last_day = date(year, 12, 20) if year < this_year else today - timedelta(days=1)
            if year == this_year:
                # This year's totals are for the whole year: scale to the share passed.
                hours = int(hours * (today.timetuple().tm_yday / 365)) + 1
            if volunteer.kind == VolunteerKind.LAWYER and stations:
                # Duty lawyers' hours are half-day shifts at the stations (Art. 14, 30).
                for day, half in _plan_shifts(rng, hours, date(year, 1, 6), last_day):
                    seq += 1
                    actions.append((_at(day), seq, "shift", {"volunteer": volunteer, "day": day, "half": half}))
                hours = 0
            for day, amount in _plan_hours(rng, hours, date(year, 1, 6), last_day) if hours else []:
                seq += 1
                actions.append((_at(day), seq, "hours", {"volunteer": volunteer, "day": day, "hours": amount}))
            for n in range(cases):
                day = date(year, 3 + 4 * n, 10) if year < this_year else today - timedelta(days=40 + 60 * n)
                if day.year != year:
                    continue
                seq += 1
                actions.append((_at(day, 17), seq, "case", {"volunteer": volunteer, "day": day, "n": n}))
    actions.sort(key=lambda a: (a[0], a[1]))

    claims: dict[tuple[int, AidTask], Claim] = {}
    recent = today - timedelta(days=14)
    declined_one = False
    for when, _, what, data in actions:
        volunteer, day = data["volunteer"], data["day"]
        if what == "shift":
            claim = rosters_demo.hold_past_shift(volunteer, day, data["half"], stations)
            if claim is not None and day < recent:  # the station has not recorded the last days yet
                rosters_demo.serve(claim, rng, now=when)
        elif what == "hours":
            session = _session(center, day, now)
            claim = claims.get((volunteer.pk, session.pk))
            if claim is None:
                claim = Claim.objects.create(
                    task=session, volunteer=volunteer, status=ClaimStatus.ACCEPTED, decided_by=coordinator
                )
                # An accepted claim holds a seat (seats_taken = accepted + completed claims).
                AidTask.objects.filter(pk=session.pk).update(seats_taken=F("seats_taken") + 1)
                claims[(volunteer.pk, session.pk)] = claim
            log = services.hours_log(
                claim=claim,
                date=day,
                hours=data["hours"],
                note="值班接待来访群众" if data["hours"] <= 8 else "开庭",
                by=volunteer.user,
                now=when,
            )
            if day >= recent:
                continue  # the centre has not confirmed these yet
            if not declined_one and day.year == this_year:
                declined_one = True
                services.hours_decline(
                    log=log, comment="当日排班表无此记录，请核对后重新登记。", by=coordinator, now=when
                )
                continue
            if rng.random() < 0.15:
                partial = max(log.hours - Decimal("1.00"), Decimal("1.00"))
                if partial < log.hours:
                    services.hours_confirm(
                        log=log, hours=partial, comment="其中一小时为候场时间，不计入。", by=coordinator, now=when
                    )
                    continue
            services.hours_confirm(log=log, by=coordinator, now=when + timedelta(hours=1))
        else:
            title, kind, category, group = CASE_TITLES[(volunteer.pk + data["n"]) % len(CASE_TITLES)]
            matter = (f"{title}（{day.year}）", kind, category, group)
            starts_at = _at(day - timedelta(days=30), 9)
            task = assigned_case(center, volunteer, matter, starts_at=starts_at, by=coordinator)
            # The case counts when the centre accepts its closing (one case to the handler).
            ended = day - timedelta(days=2)
            close_case(task, handler=volunteer.user, reviewer=coordinator, ended=ended, now=when, quality="good")

    # Past sessions are over: their accepted claims are completed.
    Claim.objects.filter(
        task__organization=center,
        task__title__startswith=SESSION_TITLE.split("（")[0],
        task__status=TaskStatus.COMPLETED,
        status=ClaimStatus.ACCEPTED,
    ).update(status=ClaimStatus.COMPLETED)

    # Last year's annual review (年度考核), held in spring.
    city = Region.objects.get(code=CITY)
    opened_at = min(now, _at(date(this_year, 3, 1), 9))
    decided_at = min(now, _at(date(this_year, 3, 20), 10))
    # Who assesses whom (volunteers.models.ASSESSED_BY): the association reviews the lawyers,
    # the bureau the notaries and grassroots workers; students, citizen volunteers and staff
    # are nobody's to review and get none.
    association = User.objects.filter(username="association").first()
    assessors = [user for user in (association, regulator) if user is not None]
    for assessor in assessors:
        services.reviews_open(year=last_year, region=city, by=assessor, now=opened_at)
        services.reviews_decide_compliant(year=last_year, region=city, by=assessor, now=decided_at)
    for n, review in enumerate(
        AnnualReview.objects.filter(year=last_year, status=ReviewStatus.OPEN).select_related("volunteer").order_by("id")
    ):
        # One in five of the rest was ill for much of the year.
        assessor = association if review.volunteer.kind == VolunteerKind.LAWYER and association else regulator
        decision, note = REVIEW_EXEMPT if n % 5 == 0 else REVIEW_DEFICIENT
        services.review_decide(review=review, decision=decision, note=note, by=assessor, now=decided_at)
