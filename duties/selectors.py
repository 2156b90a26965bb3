"""Reads of the duties app shared by the API, the pages and other apps.

Progress against a quota is computed by one queryset expression (``with_progress``): the
same SQL serves one provider's progress page, the ranking of assignment candidates, the
compliance report and the bulk decision of clearly compliant reviews.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Floor, Length, StrIndex
from django.utils import timezone

from duties.models import AnnualReview, DutyEntry, DutyRule, HourLog, ReviewStatus
from organizations.models import Region
from organizations.selectors import (
    coordinated_organization_ids,
    jurisdiction_region_codes,
    regulated_regions,
)
from volunteers.models import Volunteer


class ProgressStatus:
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    EXEMPT = "exempt"
    ALL = ("met", "on_track", "behind", "exempt")


HOURS = DecimalField(max_digits=9, decimal_places=2)
ZERO = Decimal("0.00")


def year_share(year: int, now: datetime) -> Decimal:
    """The share of ``year`` passed at ``now`` (local time): 0 before it, 1 after it."""
    today = timezone.localdate(now)
    if year < today.year:
        return Decimal(1)
    if year > today.year:
        return Decimal(0)
    start = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - start).days
    return (Decimal((today - start).days + 1) / Decimal(days)).quantize(Decimal("0.0001"))


def locked_year(*, volunteer_id: int, year: int) -> bool:
    """A decided annual review locks the provider's year: no new entries dated in it."""
    return AnnualReview.objects.filter(volunteer_id=volunteer_id, year=year).exclude(status=ReviewStatus.OPEN).exists()


def _applicable_rules(year: int) -> QuerySet[DutyRule]:
    """Rules for the outer provider's kind whose region contains the provider's, most specific first."""
    return (
        DutyRule.objects.filter(year=year, volunteer_kind=OuterRef("kind"))
        # The rule's region path is a prefix of the provider's: 320400/ covers 320400/320402/.
        .annotate(_prefix_at=StrIndex(OuterRef("region__path"), F("region__path")))
        .filter(_prefix_at=1)
        .order_by(Length("region__path").desc(), "-id")
    )


def with_progress(volunteers: QuerySet[Volunteer], *, year: int, now: datetime) -> QuerySet[Volunteer]:
    """Annotate providers with ``hours``, ``cases``, the applicable rule and ``progress_status``.

    Everything is computed in the database as correlated subqueries, so the query count does
    not grow with the number of providers.
    """
    share = Value(year_share(year, now), output_field=DecimalField(max_digits=6, decimal_places=4))
    entries = DutyEntry.objects.filter(volunteer=OuterRef("pk"), year=year).order_by().values("volunteer")
    rules = _applicable_rules(year)
    qs = volunteers.annotate(
        hours=Coalesce(Subquery(entries.annotate(s=Sum("hours")).values("s")[:1]), Value(ZERO), output_field=HOURS),
        cases=Coalesce(
            Subquery(entries.annotate(s=Sum("cases")).values("s")[:1]), Value(0), output_field=IntegerField()
        ),
        rule_id=Subquery(rules.values("id")[:1]),
        min_hours=Coalesce(Subquery(rules.values("min_hours")[:1]), Value(ZERO), output_field=HOURS),
        min_cases=Coalesce(Subquery(rules.values("min_cases")[:1]), Value(0), output_field=IntegerField()),
        satisfied_by=Subquery(rules.values("satisfied_by")[:1], output_field=CharField()),
        rule_exempts_new=Coalesce(
            Subquery(rules.values("exempt_if_licensed_in_year")[:1]), Value(False), output_field=BooleanField()
        ),
        review_exempt=Exists(
            AnnualReview.objects.filter(volunteer=OuterRef("pk"), year=year, status=ReviewStatus.EXEMPT)
        ),
        review_status=Subquery(
            AnnualReview.objects.filter(volunteer=OuterRef("pk"), year=year).values("status")[:1],
            output_field=CharField(),
        ),
    )
    hours_path = Q(min_hours__gt=0, hours__gte=F("min_hours"))
    cases_path = Q(min_cases__gt=0, cases__gte=F("min_cases"))
    nothing_required = Q(min_hours=0, min_cases=0)
    met = Q(satisfied_by="all", hours__gte=F("min_hours"), cases__gte=F("min_cases")) | (
        ~Q(satisfied_by="all") & (hours_path | cases_path | nothing_required)
    )
    hours_on_track = Q(hours__gte=F("min_hours") * share)
    # Cases come whole: on track means at least the whole cases due by now.
    cases_on_track = Q(cases__gte=Floor(F("min_cases") * share))
    on_track = Q(satisfied_by="all") & hours_on_track & cases_on_track | ~Q(satisfied_by="all") & (
        Q(min_hours__gt=0) & hours_on_track | Q(min_cases__gt=0) & cases_on_track
    )
    return qs.annotate(
        progress_status=Case(
            When(rule_id__isnull=True, then=Value(ProgressStatus.EXEMPT)),
            When(review_exempt=True, then=Value(ProgressStatus.EXEMPT)),
            When(rule_exempts_new=True, licensed_on__year=year, then=Value(ProgressStatus.EXEMPT)),
            When(met, then=Value(ProgressStatus.MET)),
            When(on_track, then=Value(ProgressStatus.ON_TRACK)),
            default=Value(ProgressStatus.BEHIND),
            output_field=CharField(),
        )
    )


@dataclass(frozen=True)
class Progress:
    volunteer: Volunteer
    year: int
    rule: DutyRule | None
    hours: Decimal
    cases: int
    required_hours: Decimal
    required_cases: int
    satisfied_by: str | None
    status: str
    exempt_reason: str | None
    share_of_year: Decimal
    expected_hours: Decimal
    review_status: str | None


def progress_for(volunteer: Volunteer, year: int, now: datetime | None = None) -> Progress:
    """One provider's hours, cases and status against the rule that applies for ``year``."""
    now = now or timezone.now()
    row = with_progress(Volunteer.objects.filter(pk=volunteer.pk), year=year, now=now).values(
        "hours",
        "cases",
        "rule_id",
        "min_hours",
        "min_cases",
        "satisfied_by",
        "rule_exempts_new",
        "review_exempt",
        "review_status",
        "progress_status",
    )[0]
    rule = DutyRule.objects.select_related("region").get(pk=row["rule_id"]) if row["rule_id"] else None
    exempt_reason = None
    if row["progress_status"] == ProgressStatus.EXEMPT:
        if rule is None:
            exempt_reason = "no_rule"
        elif row["review_exempt"]:
            exempt_reason = "review_exempt"
        else:
            exempt_reason = "licensed_in_year"
    share = year_share(year, now)
    return Progress(
        volunteer=volunteer,
        year=year,
        rule=rule,
        hours=Decimal(row["hours"]).quantize(Decimal("0.01")),
        cases=int(row["cases"]),
        required_hours=Decimal(row["min_hours"]).quantize(Decimal("0.01")),
        required_cases=int(row["min_cases"]),
        satisfied_by=row["satisfied_by"],
        status=row["progress_status"],
        exempt_reason=exempt_reason,
        share_of_year=share,
        expected_hours=(Decimal(row["min_hours"]) * share).quantize(Decimal("0.01")),
        review_status=row["review_status"],
    )


def shortfall_by_volunteer(*, volunteer_ids, year: int, now: datetime | None = None) -> dict[int, Decimal]:
    """Hours each provider is short of the rule for ``year``; 0 when met or exempt. One query."""
    ids = list(volunteer_ids)
    if not ids:
        return {}
    rows = with_progress(Volunteer.objects.filter(pk__in=ids), year=year, now=now or timezone.now()).values_list(
        "pk", "progress_status", "min_hours", "hours"
    )
    result = {}
    for pk, status, min_hours, hours in rows:
        if status in (ProgressStatus.MET, ProgressStatus.EXEMPT):
            result[pk] = ZERO
        else:
            result[pk] = max(Decimal(min_hours) - Decimal(hours), ZERO).quantize(Decimal("0.01"))
    return result


def ledger_totals(*, volunteer_id: int, year: int) -> tuple[Decimal, int]:
    agg = DutyEntry.objects.filter(volunteer_id=volunteer_id, year=year).aggregate(h=Sum("hours"), c=Sum("cases"))
    return (Decimal(agg["h"] or 0).quantize(Decimal("0.01")), int(agg["c"] or 0))


def ledger_head() -> str:
    from duties.ledger import GENESIS

    return DutyEntry.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS


def rule_for(volunteer: Volunteer, year: int) -> DutyRule | None:
    """The most specific rule for the provider's kind whose region contains the provider's."""
    codes = [c for c in volunteer.region.path.split("/") if c]
    rules = {
        r.region_id: r
        for r in DutyRule.objects.filter(year=year, volunteer_kind=volunteer.kind, region_id__in=codes).select_related(
            "region"
        )
    }
    for code in reversed(codes):
        if code in rules:
            return rules[code]
    return None


# --- what each caller may see -------------------------------------------------------------


def volunteers_in_jurisdiction(user: User | AnonymousUser) -> QuerySet[Volunteer]:
    return Volunteer.objects.filter(region_id__in=jurisdiction_region_codes(user))


def can_see_volunteer_duty(user: User | AnonymousUser, volunteer: Volunteer) -> bool:
    """The provider themself, or a regulator whose jurisdiction covers the provider's region."""
    if not user.is_authenticated:
        return False
    if volunteer.user_id == user.pk:
        return True
    return any(volunteer.region.path.startswith(r.path) for r in regulated_regions(user))


def duty_rules(*, region_codes=None) -> QuerySet[DutyRule]:
    """Quota rules, newest year first; anyone may read them. ``region_codes`` narrows them to a
    jurisdiction (a regulator's own rules page)."""
    qs = DutyRule.objects.select_related("region")
    if region_codes is not None:
        qs = qs.filter(region_id__in=region_codes)
    return qs.order_by("-year", "region__path", "volunteer_kind", "id")


def hour_logs_visible_to(user: User | AnonymousUser) -> QuerySet[HourLog]:
    """The provider's own logs and the logs on tasks of organisations the user coordinates."""
    if not user.is_authenticated:
        return HourLog.objects.none()
    condition = Q(volunteer__user=user)
    org_ids = coordinated_organization_ids(user)
    if org_ids:
        condition |= Q(claim__task__organization_id__in=org_ids)
    return HourLog.objects.filter(condition)


def entries_visible_to(user: User | AnonymousUser) -> QuerySet[DutyEntry]:
    """The provider's own entries and, for regulators, those of providers of their region."""
    if not user.is_authenticated:
        return DutyEntry.objects.none()
    condition = Q(volunteer__user=user)
    if regulated_regions(user):
        condition |= Q(volunteer__region_id__in=jurisdiction_region_codes(user))
    return DutyEntry.objects.filter(condition)


def reviews_visible_to(user: User | AnonymousUser) -> QuerySet[AnnualReview]:
    """The provider's own reviews and, for regulators, the reviews of their region."""
    if not user.is_authenticated:
        return AnnualReview.objects.none()
    condition = Q(volunteer__user=user)
    if regulated_regions(user):
        condition |= Q(region_id__in=jurisdiction_region_codes(user))
    return AnnualReview.objects.filter(condition)


def region_in_jurisdiction(user: User | AnonymousUser, region: Region) -> bool:
    return any(region.path.startswith(r.path) for r in regulated_regions(user))


# --- compliance report --------------------------------------------------------------------

REPORT_COLUMNS = (
    "volunteer_id",
    "name",
    "kind",
    "licence_number",
    "region",
    "region_name",
    "hours",
    "cases",
    "required_hours",
    "required_cases",
    "status",
    "review_status",
)

# Providers a regulator answers for: everyone who had a duty that year.
REPORTED_STATUSES = ("verified", "suspended")


def _report_providers(region: Region) -> QuerySet[Volunteer]:
    return Volunteer.objects.filter(region__path__startswith=region.path, status__in=REPORTED_STATUSES)


def compliance_report(*, region: Region, year: int, now: datetime) -> dict:
    """Counts of providers by progress status, district and kind, and by review status.

    Two queries whatever the number of providers: the database groups providers by
    (region, kind) with one conditional count per status; districts (the children of
    ``region``) are rolled up from those few groups.
    """
    qs = with_progress(_report_providers(region), year=year, now=now)
    counts = {s: Count("id", filter=Q(progress_status=s)) for s in ProgressStatus.ALL}
    review_counts = {f"review_{s}": Count("id", filter=Q(review_status=s)) for s in ReviewStatus.values}
    review_counts["review_none"] = Count("id", filter=Q(review_status__isnull=True))
    groups = list(qs.order_by().values("region_id", "kind").annotate(**counts, **review_counts))

    region_codes = {g["region_id"] for g in groups}
    paths = dict(Region.objects.filter(code__in=region_codes).values_list("code", "path"))
    children = {r.code: r for r in Region.objects.filter(parent=region)}

    def empty():
        return dict.fromkeys((*ProgressStatus.ALL, "total"), 0)

    by_status = empty()
    by_review = dict.fromkeys((*ReviewStatus.values, "none"), 0)
    by_district: dict[str, dict] = {}
    by_kind: dict[str, dict] = {}
    for g in groups:
        rest = paths[g["region_id"]][len(region.path) :].split("/")
        district = rest[0] if rest and rest[0] else region.code
        rows = [
            by_status,
            by_district.setdefault(district, empty()),
            by_kind.setdefault(g["kind"], empty()),
        ]
        for s in ProgressStatus.ALL:
            for row in rows:
                row[s] += g[s]
                row["total"] += g[s]
        for s in (*ReviewStatus.values, "none"):
            by_review[s] += g[f"review_{s}"]
    names = {code: r.name for code, r in children.items()} | {region.code: region.name}
    if any(code not in names for code in by_district):
        names |= dict(Region.objects.filter(code__in=list(by_district)).values_list("code", "name"))
    return {
        "year": year,
        "region": region.code,
        "region_name": region.name,
        "by_status": by_status,
        "by_review_status": by_review,
        "by_district": [
            {"region": code, "name": names.get(code, code), **by_district[code]} for code in sorted(by_district)
        ],
        "by_kind": [{"volunteer_kind": kind, **by_kind[kind]} for kind in sorted(by_kind)],
    }


def compliance_rows(*, region: Region, year: int, now: datetime) -> Iterator[tuple]:
    """The per-provider list, streamed from the database in chunks (memory stays flat)."""
    qs = (
        with_progress(_report_providers(region), year=year, now=now)
        .order_by("region_id", "id")
        .values_list(
            "pk",
            "user__first_name",
            "user__last_name",
            "user__username",
            "kind",
            "licence_number",
            "region_id",
            "region__name",
            "hours",
            "cases",
            "min_hours",
            "min_cases",
            "progress_status",
            "review_status",
        )
    )
    for pk, first, last, username, kind, licence, region_id, region_name, h, c, mh, mc, status, review in qs.iterator(
        chunk_size=2000
    ):
        yield (
            pk,
            f"{first} {last}".strip() or username,
            kind,
            licence,
            region_id,
            region_name,
            f"{Decimal(h):.2f}",
            int(c),
            f"{Decimal(mh):.2f}",
            int(mc),
            status,
            review or "",
        )
