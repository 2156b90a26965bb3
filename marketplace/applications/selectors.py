"""Reads about applications, each starting from what the caller may see."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from marketplace.applications import identity
from marketplace.applications.models import (
    Application,
    ApplicationStatus,
    AssignmentRefusal,
    Decision,
    FirmAssignment,
    FirmAssignmentStatus,
    IdentityAccess,
    MaterialsRequest,
    Objection,
    PartyKey,
    RefusalRuling,
)
from marketplace.models import AidTask, TaskStatus
from marketplace.visibility import visible_rows
from organizations.models import STATION_KINDS, Organization, OrganizationKind, Region
from organizations.roles import roles_of
from organizations.selectors import within_region

# Who registers applications: the centre, and the organisations that run stations (工作站).
INTAKE_KINDS = (OrganizationKind.LEGAL_AID_CENTER, *STATION_KINDS)


# --- visibility ------------------------------------------------------------------------------


def applications_visible_to(user: User | AnonymousUser, *, today: date) -> QuerySet[Application]:
    """Coordinators: what their organisation registered, and what their centre decides.
    Regulators: every application in their region (without identities: see ``can_see_identity``).
    Annotated with ``overdue`` as of ``today``."""
    applications = visible_rows(
        Application, user, own=Q(pk__in=[]), coordinated=["organization_id", "centre_id"], regulated="region_id"
    )
    return with_timeliness(applications, today=today)


def can_see_identity(user: User | AnonymousUser, application: Application) -> bool:
    """Coordinators of the registering organisation and of the deciding centre; never regulators."""
    org_ids = roles_of(user).coordinated_ids
    return application.organization_id in org_ids or application.centre_id in org_ids


def for_display(qs: QuerySet[Application]) -> QuerySet[Application]:
    """What the API shows of each application, in a fixed number of queries. The case is
    prefetched (one query for the page's cases), not joined: a join made PostgreSQL merge every
    task with a centre's applications before the page was cut (docs/bench.md)."""
    return qs.select_related("organization", "centre", "region").prefetch_related(
        Prefetch("decisions", queryset=Decision.objects.select_related("decided_by").order_by("decided_at", "id")),
        Prefetch("objections", queryset=Objection.objects.order_by("registered_at", "id")),
        Prefetch("materials_requests", queryset=MaterialsRequest.objects.order_by("requested_at", "id")),
        Prefetch(
            "case__firm_assignments",
            queryset=FirmAssignment.objects.select_related("law_firm").order_by("-assigned_at", "-id"),
        ),
    )


# --- the clock -------------------------------------------------------------------------------


def _case_unheld() -> Q:
    """The application's case is a draft or open task without an accepted claim.

    Looked up among the legal aid centres' own tasks (a case is always its deciding centre's task,
    ``_create_case``), through the tasks' (organisation, status) index: a join to the case, or an
    EXISTS on it, made PostgreSQL hash every draft or open task of the province to answer one
    centre's overdue queue (docs/bench.md, "The grown product")."""
    return Q(
        case_id__in=AidTask.objects.filter(
            organization__kind=OrganizationKind.LEGAL_AID_CENTER,
            seats_taken=0,
            status__in=[TaskStatus.DRAFT, TaskStatus.OPEN],
        ).values("pk")
    )


# No provider holds the case yet: no task, or a draft or open task without an accepted claim,
# and no law firm naming the handler (an assignment to a firm is an assignment, Art. 43).
def _assignment_pending() -> Q:
    return (Q(case__isnull=True) | _case_unheld()) & ~Q(
        Exists(FirmAssignment.objects.filter(task=OuterRef("case"), status=FirmAssignmentStatus.AWAITING_HANDLER))
    )


def _start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in TIME_ZONE (from 0001-01-02 on, so UTC can hold it)."""
    return timezone.make_aware(datetime.combine(max(day, date(1, 1, 2)), time.min))


def due_before(day: date) -> Q:
    """Applications with a running due date before ``day``: the decision while the clock runs
    (not while materials are awaited), the assignment until a provider holds the case or a law
    firm has it, the firm's naming of its handler (``handler_due``, a time: before ``day``
    began), the objection until the bureau decides."""
    decision = Q(
        status__in=[ApplicationStatus.RECEIVED, ApplicationStatus.UNDER_REVIEW],
        decision_due__lt=day,
    )
    assigning = [ApplicationStatus.UNDER_REVIEW, ApplicationStatus.MATERIALS_PENDING, ApplicationStatus.APPROVED]
    assignment = Q(status__in=assigning, assign_due__lt=day) & _assignment_pending()
    firm = Q(status__in=assigning) & Q(
        Exists(
            FirmAssignment.objects.filter(
                task=OuterRef("case"),
                status=FirmAssignmentStatus.AWAITING_HANDLER,
                handler_due__lt=_start_of(day),
            )
        )
    )
    objection = Q(status=ApplicationStatus.OBJECTION_PENDING, objection_due__lt=day)
    return decision | assignment | firm | objection


def with_timeliness(qs: QuerySet[Application], *, today: date) -> QuerySet[Application]:
    """``overdue``: a running due date has passed (it was before ``today``)."""
    return qs.annotate(
        overdue=Case(When(due_before(today), then=Value(True)), default=Value(False), output_field=BooleanField())
    )


# --- centres and bureaus ---------------------------------------------------------------------


def _ancestor_codes(region: Region) -> list[str]:
    return [code for code in region.path.split("/") if code]


def _nearest(kind: str, region: Region) -> Organization | None:
    """The organisation of ``kind`` whose region is ``region`` or its nearest ancestor (the
    lowest id when several share that region)."""
    codes = _ancestor_codes(region)
    candidates = list(Organization.objects.filter(kind=kind, region_id__in=codes).select_related("region"))
    if not candidates:
        return None
    return min(candidates, key=lambda org: (-len(org.region.path), org.pk))


def centre_for_station(station: Organization) -> Organization | None:
    """The legal aid centre a station forwards to: of the station's region or the nearest above."""
    return _nearest(OrganizationKind.LEGAL_AID_CENTER, station.region)


def bureau_for_centre(centre: Organization) -> Organization | None:
    """The justice bureau over a centre (of its region or the nearest above), named in refusals."""
    return _nearest(OrganizationKind.JUSTICE_BUREAU, centre.region)


def objection_bureau_memberships(user: User | AnonymousUser, application: Application) -> list:
    """The caller's regulator memberships of justice bureaus whose region covers the deciding
    centre's (Art. 49: the bureau that set up the centre, or one above it)."""
    if application.centre is None:
        return []
    return roles_of(user).regulating(application.centre.region, kind=OrganizationKind.JUSTICE_BUREAU)


# --- parties ---------------------------------------------------------------------------------


def applications_matching_party(
    *, name: str = "", id_number: str = "", role: str | None = None
) -> QuerySet[Application]:
    """Applications with a party of the same normalised name or the same ID number (either given),
    as applicant or opposing party (``role`` narrows it). Reads only the keyed digests."""
    digests = [d for d in (identity.name_digest(name), identity.id_digest(id_number)) if d]
    if not digests:
        return Application.objects.none()
    keys = PartyKey.objects.filter(digest__in=digests)
    if role is not None:
        keys = keys.filter(role=role)
    return Application.objects.filter(pk__in=keys.values("application_id"))


def reveals_of(application: Application) -> QuerySet[IdentityAccess]:
    return IdentityAccess.objects.filter(application=application).select_related("user")


# --- statistics (regulators: counts only) ----------------------------------------------------


@dataclass(frozen=True)
class ApplicationStats:
    """A region's applications received in a year, counted; no identity, no list."""

    region: Region
    year: int
    received: int
    decided: int
    approved: int
    refused: int
    decided_within_time: int
    assigned: int
    assigned_within_time: int
    overdue_now: int


def application_stats(*, region: Region, year: int, today: date) -> ApplicationStats:
    """Counts of the applications of ``region`` (and under it) received in ``year`` (local time):
    decided, approved, refused (a pending objection included), the first decision and the first
    assignment by their due dates, and those with a running due date passed as of ``today``.
    One query."""
    start = timezone.make_aware(datetime(year, 1, 1))
    end = timezone.make_aware(datetime(year + 1, 1, 1))
    qs = Application.objects.filter(within_region(region), received_at__gte=start, received_at__lt=end)
    counts = qs.aggregate(
        received=Count("pk"),
        decided=Count("pk", filter=Q(decided_at__isnull=False)),
        approved=Count("pk", filter=Q(status=ApplicationStatus.APPROVED)),
        refused=Count("pk", filter=Q(status__in=[ApplicationStatus.REFUSED, ApplicationStatus.OBJECTION_PENDING])),
        decided_within_time=Count("pk", filter=Q(decided_on_time=True)),
        assigned=Count("pk", filter=Q(assigned_at__isnull=False)),
        assigned_within_time=Count("pk", filter=Q(assigned_on_time=True)),
        overdue_now=Count("pk", filter=due_before(today)),
    )
    return ApplicationStats(region=region, year=year, **counts)


# --- the intake desk -------------------------------------------------------------------------

QUEUE_VIEWS = ("todo", "overdue", "materials", "assign", "all")


def _firm_awaiting() -> Exists:
    return Exists(FirmAssignment.objects.filter(task=OuterRef("case"), status=FirmAssignmentStatus.AWAITING_HANDLER))


def _refusal_pending() -> Exists:
    return Exists(AssignmentRefusal.objects.filter(claim__task=OuterRef("case"), ruling=RefusalRuling.PENDING))


def awaiting_assignment() -> Q:
    """Approved (or urgent and under review) with the case not yet held by a provider, or a law
    firm still naming its handler, or a handler's refusal awaiting the centre's ruling."""
    return Q(status__in=[ApplicationStatus.APPROVED, ApplicationStatus.UNDER_REVIEW], case__isnull=False) & (
        _case_unheld() | Q(_firm_awaiting()) | Q(_refusal_pending())
    )


def awaiting_action() -> Q:
    """Something is still to be done at intake: a review, materials, a decision, an objection, an
    assignment (``awaiting_assignment``)."""
    return (
        Q(
            status__in=[
                ApplicationStatus.RECEIVED,
                ApplicationStatus.UNDER_REVIEW,
                ApplicationStatus.MATERIALS_PENDING,
                ApplicationStatus.OBJECTION_PENDING,
            ]
        )
        | awaiting_assignment()
    )


def with_next_due(qs: QuerySet[Application]) -> QuerySet[Application]:
    """``next_due``: the running due date the desk works to (the decision, the assignment or the
    objection's), None while materials are awaited or nothing runs."""
    pending = _assignment_pending()
    return qs.annotate(
        next_due=Case(
            When(status__in=[ApplicationStatus.RECEIVED, ApplicationStatus.UNDER_REVIEW], then=F("decision_due")),
            When(Q(status=ApplicationStatus.APPROVED) & pending, then=F("assign_due")),
            When(status=ApplicationStatus.OBJECTION_PENDING, then=F("objection_due")),
            default=None,
            output_field=DateField(),
        )
    )


def intake_queue(user: User | AnonymousUser, *, today: date, show: str = "todo") -> QuerySet[Application]:
    """The desk's applications: what the user's centres review and stations registered, overdue
    first, then by the running due date (the nearest first), then the oldest received. ``show``:
    ``todo`` (something is to be done), ``overdue``, ``materials`` (awaited), ``assign`` (to be
    assigned), ``all``. Annotated with ``overdue`` and ``next_due``; no party."""
    qs = applications_visible_to(user, today=today)
    if show == "todo":
        qs = qs.filter(awaiting_action())
    elif show == "overdue":
        # The condition itself, not the annotation's CASE over it (the same rows).
        qs = qs.filter(due_before(today))
    elif show == "materials":
        qs = qs.filter(status=ApplicationStatus.MATERIALS_PENDING)
    elif show == "assign":
        qs = qs.filter(awaiting_assignment())
    firm_due = FirmAssignment.objects.filter(
        task=OuterRef("case"), status=FirmAssignmentStatus.AWAITING_HANDLER
    ).values("handler_due")[:1]
    return (
        with_next_due(qs)
        .annotate(firm_due=Subquery(firm_due))
        .select_related("organization", "centre", "region")
        .order_by("-overdue", F("next_due").asc(nulls_last=True), "received_at", "id")
    )
