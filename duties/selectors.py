"""Reads of the duties app shared by the API, the pages and other apps.

Progress against a quota is stated once, as one SQL CASE (``_status_case``). ``with_progress``
feeds it correlated subqueries per provider: one provider's progress page, the ranking of
assignment candidates and the bulk decision of clearly compliant reviews. The compliance
report and its export (``_progress_table``) feed it the same inputs joined in one pass, so
that the status is computed once per provider at province scale.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from typing import NamedTuple

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, connections
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    DecimalField,
    Exists,
    Expression,
    F,
    FilteredRelation,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, ExtractYear, Floor, Length, StrIndex
from django.db.models.lookups import Exact, GreaterThan, GreaterThanOrEqual, IsNull, YearExact
from django.db.models.sql import Query
from django.utils import timezone
from django.utils.translation import gettext_lazy

from duties.models import (
    DEFAULT_COUNTED_TEXT,
    AnnualReview,
    CreditKind,
    DutyEntry,
    DutyRule,
    ExemptReason,
    HourLog,
    HourLogStatus,
    ProgressStatus,
    ReviewStatus,
    SatisfiedBy,
    progress_label,
)
from marketplace.core.exports import DECIMAL, INTEGER, TEXT, Column
from marketplace.core.replica import report_db
from marketplace.models import EDITABLE_TASK_STATUSES, AidTask, Claim, ClaimStatus
from marketplace.selectors import tasks_managed_by
from marketplace.visibility import visible_rows
from organizations.models import Region
from organizations.roles import roles_of
from organizations.selectors import within_region
from volunteers import assessment
from volunteers.models import DUTY_BOUND_STATUSES, Volunteer, VolunteerKind

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
    rules = _applicable_rules(year)
    # Only the credit kinds the provider's rule counts (without a rule, the forms of legal aid).
    volunteers = volunteers.annotate(counted_kinds=_counted_kinds(Subquery(rules.values("credit_kinds")[:1])))
    entries = (
        DutyEntry.objects.filter(volunteer=OuterRef("pk"), year=year)
        .filter(entry_counted(OuterRef("counted_kinds")))
        .order_by()
        .values("volunteer")
    )
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
    return qs.annotate(
        progress_status=_status_case(
            year=year,
            share=share,
            no_rule=Q(rule_id__isnull=True),
            review_exempt=Q(review_exempt=True),
            rule_exempts_new=Q(rule_exempts_new=True),
            licensed_on=F("licensed_on"),
            hours=F("hours"),
            cases=F("cases"),
            min_hours=F("min_hours"),
            min_cases=F("min_cases"),
            satisfied_by=F("satisfied_by"),
        )
    )


def _counted_kinds(kinds_text) -> Coalesce:
    """A rule's stored credit kinds, or the default (the forms of legal aid) where there is no rule."""
    return Coalesce(kinds_text, Value(DEFAULT_COUNTED_TEXT), output_field=CharField())


def entry_counted(kinds_text) -> Q:
    """A filter on ledger entries: the entry's credit kind is among ``kinds_text`` (a rule's
    ``credit_kinds``, e.g. ``,case,consultation,``): one string search, the same on every database."""
    wrapped = Concat(Value(","), F("credit_kind"), Value(","), output_field=CharField())
    return Q(GreaterThan(StrIndex(kinds_text, wrapped), 0))


def _kind_counted(kinds_text, kind: str) -> Q:
    """``kind`` is among the credit kinds ``kinds_text`` names (a column of the report's rule)."""
    return Q(GreaterThan(StrIndex(kinds_text, Value(f",{kind},")), 0))


def _status_case(
    *,
    year: int,
    share: Value,
    no_rule: Q,
    review_exempt: Q,
    rule_exempts_new: Q,
    licensed_on,
    hours,
    cases,
    min_hours,
    min_cases,
    satisfied_by,
) -> Case:
    """The progress status (met, on track, behind, exempt) from its inputs, as one SQL CASE.

    The only statement of the rule: ``with_progress`` feeds it the provider's annotations,
    the compliance report (``_progress_table``) the columns of its one-pass derived table.
    """
    is_all = Q(Exact(satisfied_by, SatisfiedBy.ALL.value))
    hours_needed = Q(GreaterThan(min_hours, 0))
    cases_needed = Q(GreaterThan(min_cases, 0))
    hours_path = hours_needed & Q(GreaterThanOrEqual(hours, min_hours))
    cases_path = cases_needed & Q(GreaterThanOrEqual(cases, min_cases))
    nothing_required = Q(Exact(min_hours, 0)) & Q(Exact(min_cases, 0))
    met = is_all & Q(GreaterThanOrEqual(hours, min_hours)) & Q(GreaterThanOrEqual(cases, min_cases)) | (
        ~is_all & (hours_path | cases_path | nothing_required)
    )
    hours_on_track = Q(GreaterThanOrEqual(hours, min_hours * share))
    # Cases come whole: on track means at least the whole cases due by now.
    cases_on_track = Q(GreaterThanOrEqual(cases, Floor(min_cases * share)))
    on_track = is_all & hours_on_track & cases_on_track | ~is_all & (
        hours_needed & hours_on_track | cases_needed & cases_on_track
    )
    return Case(
        When(no_rule, then=Value(ProgressStatus.EXEMPT)),
        When(review_exempt, then=Value(ProgressStatus.EXEMPT)),
        When(rule_exempts_new & Q(YearExact(ExtractYear(licensed_on), year)), then=Value(ProgressStatus.EXEMPT)),
        When(met, then=Value(ProgressStatus.MET)),
        When(on_track, then=Value(ProgressStatus.ON_TRACK)),
        default=Value(ProgressStatus.BEHIND),
        output_field=CharField(),
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

    @property
    def requires_all(self) -> bool:
        """The rule asks for its hours and its cases (not either)."""
        return self.satisfied_by == SatisfiedBy.ALL


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
            exempt_reason = ExemptReason.NO_RULE
        elif row["review_exempt"]:
            exempt_reason = ExemptReason.REVIEW_EXEMPT
        else:
            exempt_reason = ExemptReason.LICENSED_IN_YEAR
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


def ledger_totals(*, volunteer_id: int, year: int, rule: DutyRule | None) -> tuple[Decimal, int]:
    """The provider's hours and cases of ``year`` that ``rule`` counts (without a rule, the forms
    of legal aid): what a review records."""
    kinds = Value(rule.credit_kinds if rule is not None else DEFAULT_COUNTED_TEXT, output_field=CharField())
    agg = (
        DutyEntry.objects.filter(volunteer_id=volunteer_id, year=year)
        .filter(entry_counted(kinds))
        .aggregate(h=Sum("hours"), c=Sum("cases"))
    )
    return (Decimal(agg["h"] or 0).quantize(Decimal("0.01")), int(agg["c"] or 0))


def ledger_head() -> str:
    """The hash of the newest ledger row: the next row links to it (``GENESIS`` on an empty ledger)."""
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


# --- a law firm's lawyers (Art. 16) ----------------------------------------------------------


class FirmLawyerRow(NamedTuple):
    """One lawyer of a law firm with their duty progress in a year."""

    volunteer: int
    name: str
    licence_number: str
    hours: Decimal
    cases: int
    required_hours: Decimal
    required_cases: int
    status: str


@dataclass(frozen=True)
class FirmProgress:
    """A law firm's lawyers (those whose practice organisation it is) and the firm's totals."""

    firm: int
    name: str
    year: int
    lawyers: list[FirmLawyerRow]
    totals: dict[str, int | Decimal]


def firm_progress(firm, year: int, now: datetime | None = None) -> FirmProgress:
    """The firm's verified or suspended lawyers with their progress (what each one's rule counts),
    and the firm's totals: lawyers, hours, cases and how many of each progress status. Two queries."""
    now = now or timezone.now()
    lawyers = with_progress(
        Volunteer.objects.filter(practice_org=firm, kind=VolunteerKind.LAWYER, status__in=DUTY_BOUND_STATUSES)
        .select_related("user")
        .order_by("id"),
        year=year,
        now=now,
    )
    two_places = Decimal("0.01")
    rows = [
        FirmLawyerRow(
            volunteer=lawyer.pk,
            name=lawyer.display_name,
            licence_number=lawyer.licence_number,
            hours=_decimal(lawyer.hours).quantize(two_places),
            cases=int(lawyer.cases),
            required_hours=_decimal(lawyer.min_hours).quantize(two_places),
            required_cases=int(lawyer.min_cases),
            status=lawyer.progress_status,
        )
        for lawyer in lawyers
    ]
    totals: dict[str, int | Decimal] = {
        "lawyers": len(rows),
        "hours": sum((row.hours for row in rows), ZERO),
        "cases": sum(row.cases for row in rows),
    }
    for status in ProgressStatus:
        totals[status.value] = sum(1 for row in rows if row.status == status)
    return FirmProgress(firm=firm.pk, name=firm.name, year=year, lawyers=rows, totals=totals)


# --- what each caller may see -------------------------------------------------------------


def can_see_volunteer_duty(user: User | AnonymousUser, volunteer: Volunteer) -> bool:
    """The provider themself, or a regulator whose jurisdiction covers the provider's region."""
    if not user.is_authenticated:
        return False
    if volunteer.user_id == user.pk:
        return True
    return roles_of(user).regulates(volunteer.region)


def duty_rules(*, region_codes=None) -> QuerySet[DutyRule]:
    """Quota rules, newest year first, each with ``in_use``; anyone may read them.
    ``region_codes`` narrows them to a jurisdiction (a regulator's own rules page)."""
    qs = DutyRule.objects.select_related("region").annotate(
        in_use=Exists(AnnualReview.objects.filter(rule=OuterRef("pk")))
    )
    if region_codes is not None:
        qs = qs.filter(region_id__in=region_codes)
    return qs.order_by("-year", "region__path", "volunteer_kind", "id")


def rule_in_use(rule: DutyRule) -> bool:
    """An annual review recorded the rule: the one it was opened under or decided against."""
    return AnnualReview.objects.filter(rule=rule).exists()


def rules_touching(*, region: Region, year: int) -> QuerySet[DutyRule]:
    """Rules of ``year`` that can apply to someone in ``region``: those of the region, of a region
    above it, or of a region below it."""
    ancestors = [code for code in region.path.split("/") if code]
    return DutyRule.objects.filter(Q(region_id__in=ancestors) | within_region(region), year=year)


def providers_with_rule(providers: QuerySet[Volunteer], *, year: int) -> QuerySet[Volunteer]:
    """``providers`` annotated with ``rule_id``: the rule of ``year`` that applies (or None)."""
    return providers.annotate(rule_id=Subquery(_applicable_rules(year).values("id")[:1]))


@dataclass(frozen=True)
class ReviewToDecide:
    """An open review whose ledger meets its rule: what a bulk decision decides compliant."""

    review_id: int
    volunteer_id: int
    volunteer_name: str
    volunteer_kind: str
    hours: Decimal
    cases: int
    required_hours: Decimal
    required_cases: int


def open_reviews_meeting_rule(*, year: int, region: Region, now: datetime) -> list[ReviewToDecide]:
    """Open reviews of ``region`` and below for ``year`` whose provider's progress is ``met``,
    in review order. One query whatever their number."""
    reviews = AnnualReview.objects.filter(within_region(region), year=year, status=ReviewStatus.OPEN)
    rows = (
        with_progress(Volunteer.objects.filter(pk__in=reviews.values("volunteer_id")), year=year, now=now)
        .filter(progress_status=ProgressStatus.MET)
        .annotate(review_id=Subquery(reviews.filter(volunteer_id=OuterRef("pk")).values("pk")[:1]))
        .order_by("review_id")
        .values_list(
            "review_id",
            "pk",
            "user__first_name",
            "user__last_name",
            "user__username",
            "kind",
            "hours",
            "cases",
            "min_hours",
            "min_cases",
        )
    )
    two_places = Decimal("0.01")
    return [
        ReviewToDecide(
            review_id=review_id,
            volunteer_id=pk,
            volunteer_name=f"{first} {last}".strip() or username,
            volunteer_kind=kind,
            hours=_decimal(hours).quantize(two_places),
            cases=int(cases),
            required_hours=_decimal(min_hours).quantize(two_places),
            required_cases=int(min_cases),
        )
        for review_id, pk, first, last, username, kind, hours, cases, min_hours, min_cases in rows
    ]


def hour_logs_visible_to(user: User | AnonymousUser) -> QuerySet[HourLog]:
    """The provider's own logs and the logs on tasks of organisations the user coordinates."""
    return visible_rows(HourLog, user, own=Q(volunteer__user=user), coordinated=["claim__task__organization_id"])


def hour_logs_latest_first(user: User | AnonymousUser) -> QuerySet[HourLog]:
    """The hour logs ``user`` may see with their task and provider, the latest day first."""
    return hour_logs_visible_to(user).select_related("claim__task", "volunteer__user").order_by("-date", "-id")


def hour_logs_on_task(user: User | AnonymousUser, task: AidTask) -> QuerySet[HourLog]:
    """The hour logs on ``task`` that ``user`` may see, by status (confirmed, declined, pending),
    then the latest day first."""
    return (
        hour_logs_visible_to(user)
        .filter(claim__task=task)
        .select_related("volunteer__user")
        .order_by("status", "-date", "-id")
    )


def hour_logs_of_claim(user: User | AnonymousUser, claim: Claim) -> QuerySet[HourLog]:
    """The hour logs of ``claim`` that ``user`` may see, the latest day first."""
    return hour_logs_visible_to(user).filter(claim=claim).order_by("-date", "-id")


def hours_to_confirm(user: User | AnonymousUser, *, organization_ids) -> QuerySet[HourLog]:
    """The pending hour logs on tasks of ``organization_ids`` (those the user coordinates), the
    earliest day first: the coordinator's hours page."""
    return (
        hour_logs_visible_to(user)
        .filter(claim__task__organization_id__in=organization_ids, status=HourLogStatus.PENDING)
        .select_related("claim__task", "volunteer__user")
        .order_by("date", "id")
    )


def _count_per_task(rows: QuerySet, task: str) -> Coalesce:
    """The number of ``rows`` (filtered on the outer task by ``OuterRef``), 0 when none."""
    counted = rows.order_by().values(task).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), Value(0), output_field=IntegerField())


def desk_tasks(user: User | AnonymousUser, *, status: str | None) -> QuerySet[AidTask]:
    """The tasks the user manages, of ``status`` (without one: those still to be done), each with
    ``pending_claims`` (requested) and ``pending_hours`` (hour logs to confirm): the coordinator's
    desk. Tasks still to be done, the first to start first; finished ones, the latest first."""
    # Two counts by the task's key, not one GROUP BY over claims x hour logs (that join grew with
    # every claim and log of every listed task: docs/bench.md, "List pages").
    claims = Claim.objects.filter(task=OuterRef("pk"), status=ClaimStatus.REQUESTED)
    logs = HourLog.objects.filter(claim__task=OuterRef("pk"), status=HourLogStatus.PENDING)
    tasks = tasks_managed_by(user).annotate(
        pending_claims=_count_per_task(claims, "task"), pending_hours=_count_per_task(logs, "claim__task")
    )
    if not status:
        return tasks.filter(status__in=EDITABLE_TASK_STATUSES).order_by("starts_at", "id")
    tasks = tasks.filter(status=status)
    return (
        tasks.order_by("starts_at", "id") if status in EDITABLE_TASK_STATUSES else tasks.order_by("-starts_at", "-id")
    )


def entries_visible_to(user: User | AnonymousUser) -> QuerySet[DutyEntry]:
    """The provider's own entries and, for regulators, those of providers of their region."""
    return visible_rows(DutyEntry, user, own=Q(volunteer__user=user), regulated="volunteer__region_id")


def ledger_latest_first(user: User | AnonymousUser) -> QuerySet[DutyEntry]:
    """The ledger entries ``user`` may see, each with its provider and ``is_reversed`` (a later
    entry reverses it), the newest first."""
    return (
        entries_visible_to(user)
        .select_related("volunteer__user")
        .annotate(is_reversed=Exists(DutyEntry.objects.filter(reverses=OuterRef("pk"))))
        .order_by("-id")
    )


def entries_of_volunteer(
    user: User | AnonymousUser, volunteer: Volunteer, *, year: int, newest_first: bool, limit: int
) -> QuerySet[DutyEntry]:
    """The first ``limit`` ledger entries of ``volunteer`` in ``year`` that ``user`` may see."""
    entries = entries_visible_to(user).filter(volunteer=volunteer, year=year)
    return entries.order_by("-id" if newest_first else "id")[:limit]


def reviews_visible_to(user: User | AnonymousUser) -> QuerySet[AnnualReview]:
    """The provider's own reviews and, for regulators, the reviews of their region."""
    return visible_rows(AnnualReview, user, own=Q(volunteer__user=user), regulated="region_id")


def reviews_latest_first(user: User | AnonymousUser) -> QuerySet[AnnualReview]:
    """The annual reviews ``user`` may see with their provider, the latest year first."""
    return reviews_visible_to(user).select_related("volunteer__user").order_by("-year", "volunteer_id")


class ProgressFigures(NamedTuple):
    """A provider's ledger totals for a year and the progress status they give."""

    hours: Decimal
    cases: int
    status: str

    @property
    def is_met(self) -> bool:
        """The ledger meets the rule: a compliant decision needs no note."""
        return self.status == ProgressStatus.MET


@dataclass(frozen=True)
class ReviewRow:
    """An annual review as the regulator's review page lists it, beside the provider's progress
    in the review's year (None only for a provider the progress query did not return)."""

    review: AnnualReview
    progress: ProgressFigures | None


def reviews_in_region(
    user: User | AnonymousUser, *, year: int, region: Region | None, status: str = ""
) -> QuerySet[AnnualReview]:
    """The reviews of ``year`` in ``region`` and below of the providers ``user``'s organisation
    assesses (a lawyers' association: lawyers; a justice bureau: notaries and grassroots workers),
    none without a region, of ``status`` when one is given; open ones last, then by district and
    provider."""
    if region is None:
        return reviews_visible_to(user).none()
    qs = (
        reviews_visible_to(user)
        .filter(within_region(region), year=year)
        .filter(assessment.providers_regulated_by(user, prefix="volunteer__"))
        .select_related("volunteer__user", "volunteer__region")
        .order_by("status", "volunteer__region_id", "volunteer_id")
    )
    return qs.filter(status=status) if status else qs


def review_rows(reviews: Iterable[AnnualReview], *, year: int, now: datetime) -> list[ReviewRow]:
    """``reviews`` (a page of them) each with its provider's progress in ``year``: one query for
    all of them, none when there are none."""
    reviews = list(reviews)
    progress: dict[int, ProgressFigures] = {}
    if reviews:
        ids = [r.volunteer_id for r in reviews]
        rows = with_progress(Volunteer.objects.filter(pk__in=ids), year=year, now=now).values_list(
            "pk", "hours", "cases", "progress_status"
        )
        progress = {pk: ProgressFigures(hours, cases, status) for pk, hours, cases, status in rows}
    return [ReviewRow(review=r, progress=progress.get(r.volunteer_id)) for r in reviews]


def year_has_ended(year: int, now: datetime) -> bool:
    """``year`` is over in local time (Asia/Shanghai): its annual review is due."""
    return year < timezone.localdate(now, timezone.get_default_timezone()).year


def jurisdiction_regions(user: User | AnonymousUser) -> QuerySet[Region]:
    """The regions of the user's jurisdictions, each before the regions under it: what a
    regulator chooses from on its pages."""
    return Region.objects.filter(code__in=roles_of(user).jurisdiction_codes()).order_by("path")


def reviews_of_volunteer(user: User | AnonymousUser, volunteer: Volunteer) -> QuerySet[AnnualReview]:
    """The annual reviews of ``volunteer`` that ``user`` may see, the latest year first."""
    return reviews_visible_to(user).filter(volunteer=volunteer).order_by("-year")


# --- compliance report --------------------------------------------------------------------

# The columns of the per-provider export, in the order of ``compliance_export_rows``.
REPORT_COLUMNS = (
    Column(gettext_lazy("Provider ID"), INTEGER, 10),
    Column(gettext_lazy("Name"), TEXT, 16),
    Column(gettext_lazy("Kind"), TEXT, 18),
    Column(gettext_lazy("Licence number"), TEXT, 22),
    Column(gettext_lazy("Region code"), TEXT, 10),
    Column(gettext_lazy("Region"), TEXT, 12),
    Column(gettext_lazy("Hours"), DECIMAL, 10),
    Column(gettext_lazy("Cases"), INTEGER, 8),
    Column(gettext_lazy("Required hours"), DECIMAL, 12),
    Column(gettext_lazy("Required cases"), INTEGER, 12),
    Column(gettext_lazy("Progress"), TEXT, 12),
    Column(gettext_lazy("Annual review"), TEXT, 12),
)


def _report_providers(region: Region, kinds: Iterable[str] | None = None) -> QuerySet[Volunteer]:
    """The providers a regulator answers for: everyone who had a duty that year, of ``kinds``
    when given (those its organisation assesses: ``volunteers.assessment.kinds_assessed_by``)."""
    providers = Volunteer.objects.filter(within_region(region), status__in=DUTY_BOUND_STATUSES)
    return providers if kinds is None else providers.filter(kind__in=list(kinds))


class _Column(Expression):
    """A column of a derived table in the report's SQL (``_progress_table``), not a model field."""

    def __init__(self, table: str, column: str, output_field):
        super().__init__(output_field=output_field)
        self.table, self.column = table, column

    def as_sql(self, compiler, connection):
        qn = connection.ops.quote_name
        return f"{qn(self.table)}.{qn(self.column)}", []


def _compile(expression) -> tuple[str, list]:
    """SQL for a standalone expression over ``_Column``s (no model field is involved)."""
    query = Query(Volunteer)
    compiler = query.get_compiler(connection=connection)
    return compiler.compile(expression.resolve_expression(query, allow_joins=False))


def _progress_table(
    *, region: Region, year: int, now: datetime, fields: dict[str, str], kinds: Iterable[str] | None = None
) -> tuple[str, list]:
    """SQL for one row per reported provider with its status, computed once per provider.

    ``with_progress`` repeats its correlated subqueries wherever the status CASE names an
    input, and a report's grouping repeats the CASE again: half a minute at province scale.
    Here each input is computed once and joined: the providers with their review of the year
    (``p``); their ledger sums for the year, one grouped pass over their entries (``s``); the
    rule for each (region, kind) present, looked up by ``_applicable_rules`` for one provider
    standing for the pair (``k``: the rule depends on nothing else), and its thresholds
    (``r``). The same ``_status_case`` as ``with_progress`` then reads the plain columns. Only
    the joins are written here: each part is an ORM query compiled for the database in use.

    Columns: ``v_id``, ``v_region``, ``v_kind``, ``v_path``, ``review_status``, ``hours``,
    ``cases``, ``min_hours``, ``min_cases``, ``progress_status`` and ``fields`` (alias: path).
    """
    providers = _report_providers(region, kinds)
    p_sql, p_params = (
        providers.annotate(year_review=FilteredRelation("reviews", condition=Q(reviews__year=year)))
        .values(
            v_id=F("pk"),
            v_region=F("region_id"),
            v_kind=F("kind"),
            v_path=F("region__path"),
            v_licensed_on=F("licensed_on"),
            review_status=F("year_review__status"),
            **{alias: F(path) for alias, path in fields.items()},
        )
        .order_by()
        .query.sql_with_params()
    )
    # The sums by credit kind, side by side: the rule of each provider picks those it counts.
    by_kind = {}
    for kind in CreditKind.values:
        by_kind[f"h_{kind}"] = Sum("hours", filter=Q(credit_kind=kind))
        by_kind[f"c_{kind}"] = Sum("cases", filter=Q(credit_kind=kind))
    s_sql, s_params = (
        DutyEntry.objects.filter(year=year, volunteer__in=providers.order_by().values("pk"))
        .order_by()
        .values(s_volunteer=F("volunteer_id"))
        .annotate(**by_kind)
        .query.sql_with_params()
    )
    one_per_pair = providers.order_by().values("region_id", "kind").annotate(first=Min("pk")).values("first")
    k_sql, k_params = (
        Volunteer.objects.filter(pk__in=one_per_pair)
        .values(k_region=F("region_id"), k_kind=F("kind"))
        .annotate(k_rule=Subquery(_applicable_rules(year).values("id")[:1]))
        .order_by()
        # Already one row per pair; DISTINCT tells PostgreSQL so, which keeps its join estimates right.
        .distinct()
        .query.sql_with_params()
    )

    col = _Column
    counted = _counted_kinds(col("r", "credit_kinds", CharField()))

    def counted_sum(prefix: str, field, zero):
        return sum(
            (
                Case(
                    When(_kind_counted(counted, kind), then=Coalesce(col("s", f"{prefix}_{kind}", field), zero)),
                    default=zero,
                    output_field=field,
                )
                for kind in CreditKind.values
            ),
            start=zero,
        )

    hours = counted_sum("h", HOURS, Value(ZERO, output_field=HOURS))
    cases = counted_sum("c", IntegerField(), Value(0, output_field=IntegerField()))
    min_hours = Coalesce(col("r", "min_hours", HOURS), Value(ZERO), output_field=HOURS)
    min_cases = Coalesce(col("r", "min_cases", IntegerField()), Value(0), output_field=IntegerField())
    share = Value(year_share(year, now), output_field=DecimalField(max_digits=6, decimal_places=4))
    status = _status_case(
        year=year,
        share=share,
        no_rule=Q(IsNull(col("r", "id", IntegerField()), True)),
        review_exempt=Q(Exact(col("p", "review_status", CharField()), ReviewStatus.EXEMPT)),
        rule_exempts_new=Q(Exact(col("r", "exempt_if_licensed_in_year", BooleanField()), True)),
        licensed_on=col("p", "v_licensed_on", DateField()),
        hours=hours,
        cases=cases,
        min_hours=min_hours,
        min_cases=min_cases,
        satisfied_by=col("r", "satisfied_by", CharField()),
    )
    select = [_compile(e) for e in (hours, cases, min_hours, min_cases, status)]
    columns = ", ".join(f"{sql} AS {name}" for (sql, _), name in zip(select, _TABLE_COLUMNS, strict=True))
    rules = connection.ops.quote_name(DutyRule._meta.db_table)
    # Only compiled ORM SQL and fixed names are spliced in; every value is a parameter.
    sql = (
        f"SELECT p.*, {columns} FROM ({p_sql}) p"  # noqa: S608
        f" LEFT JOIN ({s_sql}) s ON s.s_volunteer = p.v_id"
        f" LEFT JOIN ({k_sql}) k ON k.k_region = p.v_region AND k.k_kind = p.v_kind"
        f" LEFT JOIN {rules} r ON r.id = k.k_rule"
    )
    return sql, [*(param for _, params in select for param in params), *p_params, *s_params, *k_params]


_TABLE_COLUMNS = ("hours", "cases", "min_hours", "min_cases", "progress_status")


def compliance_report(*, region: Region, year: int, now: datetime, kinds: Iterable[str] | None = None) -> dict:
    """Counts of providers by progress status, district and kind, and by review status.

    Two queries whatever the number of providers: the database computes each provider's
    status once (``_progress_table``) and counts them by (region, kind, review status,
    status); districts (the children of ``region``) are rolled up from those few groups.
    """
    table_sql, params = _progress_table(region=region, year=year, now=now, fields={}, kinds=kinds)
    # A report: read from the replica when one is configured (marketplace/core/replica.py).
    with connections[report_db()].cursor() as cursor:
        cursor.execute(
            "SELECT t.v_region, t.v_kind, t.v_path, t.review_status, t.progress_status, COUNT(*)"  # noqa: S608
            f" FROM ({table_sql}) t"
            " GROUP BY t.v_region, t.v_kind, t.v_path, t.review_status, t.progress_status",
            params,
        )
        groups = cursor.fetchall()
    children = {r.code: r for r in Region.objects.using(report_db()).filter(parent=region)}

    def empty():
        return dict.fromkeys((*ProgressStatus.values, "total"), 0)

    by_status = empty()
    by_review = dict.fromkeys((*ReviewStatus.values, "none"), 0)
    by_district: dict[str, dict] = {}
    by_kind: dict[str, dict] = {}
    for _region_id, kind, path, review, status, count in groups:
        rest = path[len(region.path) :].split("/")
        district = rest[0] if rest and rest[0] else region.code
        for row in (by_status, by_district.setdefault(district, empty()), by_kind.setdefault(kind, empty())):
            row[status] += count
            row["total"] += count
        by_review[review or "none"] += count
    names = {code: r.name for code, r in children.items()} | {region.code: region.name}
    if any(code not in names for code in by_district):
        names |= dict(Region.objects.using(report_db()).filter(code__in=list(by_district)).values_list("code", "name"))
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


def _decimal(value) -> Decimal:
    # A raw cursor gives SQLite's numbers as int or float: str() keeps a float's two decimals.
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value or 0)


class ComplianceRow(NamedTuple):
    """One provider of the compliance list: the page and the exports read its fields by name."""

    volunteer_id: int
    name: str
    kind: str
    licence_number: str
    region_code: str
    region_name: str
    hours: Decimal
    cases: int
    required_hours: Decimal
    required_cases: int
    progress_status: str
    review_status: str  # "" when the year has no review for the provider


def compliance_rows(
    *, region: Region, year: int, now: datetime, chunk_size: int = 2000, kinds: Iterable[str] | None = None
) -> Iterator[ComplianceRow]:
    """The per-provider list, streamed from the database in chunks (memory stays flat).

    A generator: nothing is read until the first row is asked for. On PostgreSQL the rows come
    from a server-side cursor, as with ``QuerySet.iterator()``.
    """
    fields = {
        "v_first_name": "user__first_name",
        "v_last_name": "user__last_name",
        "v_username": "user__username",
        "v_licence": "licence_number",
        "v_region_name": "region__name",
    }
    table_sql, params = _progress_table(region=region, year=year, now=now, fields=fields, kinds=kinds)
    sql = (
        "SELECT t.v_id, t.v_first_name, t.v_last_name, t.v_username, t.v_kind, t.v_licence, t.v_region,"  # noqa: S608
        " t.v_region_name, t.hours, t.cases, t.min_hours, t.min_cases, t.progress_status, t.review_status"
        f" FROM ({table_sql}) t ORDER BY t.v_region, t.v_id"
    )
    two_places = Decimal("0.01")
    reports = connections[report_db()]  # the replica when configured, like compliance_report
    server_side = not reports.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    with reports.chunked_cursor() if server_side else reports.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(chunk_size):
            for pk, first, last, username, kind, licence, region_id, region_name, h, c, mh, mc, status, review in chunk:
                yield ComplianceRow(
                    volunteer_id=pk,
                    name=f"{first} {last}".strip() or username,
                    kind=kind,
                    licence_number=licence,
                    region_code=region_id,
                    region_name=region_name,
                    hours=_decimal(h).quantize(two_places),
                    cases=int(c),
                    required_hours=_decimal(mh).quantize(two_places),
                    required_cases=int(mc),
                    progress_status=status,
                    review_status=review or "",
                )


def compliance_rows_with_status(
    *, region: Region, year: int, now: datetime, status: str = "", limit: int, kinds: Iterable[str] | None = None
) -> list[ComplianceRow]:
    """The first ``limit`` rows of the compliance list, only those whose progress is ``status``
    when one is given (the regulator's page; the exports take the whole list)."""
    rows = compliance_rows(region=region, year=year, now=now, kinds=kinds)
    if status:
        rows = (row for row in rows if row.progress_status == status)
    return list(islice(rows, limit))


def compliance_export_rows(
    *, region: Region, year: int, now: datetime, kinds: Iterable[str] | None = None
) -> Iterator[tuple]:
    """``compliance_rows`` as the exports show them, a tuple in the order of ``REPORT_COLUMNS``:
    kinds and statuses by their labels in the active language (an ended year's progress as its
    outcome: 未达标, never 进度滞后), hours and cases as numbers. Lazy like ``compliance_rows``;
    the labels are resolved now, in the caller's language."""
    kind_words = {code: str(label) for code, label in VolunteerKind.choices}
    ended = year_has_ended(year, now)
    progress = {code: progress_label(code, year_ended=ended) for code in ProgressStatus.values}
    reviews = {code: str(label) for code, label in ReviewStatus.choices}
    return (
        (
            row.volunteer_id,
            row.name,
            kind_words.get(row.kind, row.kind),
            row.licence_number,
            row.region_code,
            row.region_name,
            row.hours,
            row.cases,
            row.required_hours,
            row.required_cases,
            progress.get(row.progress_status, row.progress_status),
            reviews.get(row.review_status, row.review_status),
        )
        for row in compliance_rows(region=region, year=year, now=now, kinds=kinds)
    )
