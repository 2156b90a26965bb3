"""Reads about applications, each starting from what the caller may see."""

from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import BooleanField, Case, Prefetch, Q, QuerySet, Value, When

from marketplace.applications import identity
from marketplace.applications.models import (
    Application,
    ApplicationStatus,
    Decision,
    IdentityAccess,
    MaterialsRequest,
    Objection,
    PartyKey,
)
from marketplace.models import TaskStatus
from organizations.models import Organization, OrganizationKind, Region
from organizations.selectors import coordinated_organization_ids, jurisdiction_region_codes, regulator_memberships

# Organisations that run legal aid stations (工作站): they register and forward applications.
STATION_KINDS = (
    OrganizationKind.TRADE_UNION,
    OrganizationKind.WOMENS_FEDERATION,
    OrganizationKind.DISABILITY_FEDERATION,
    OrganizationKind.YOUTH_LEAGUE,
    OrganizationKind.LAW_SCHOOL,
    OrganizationKind.COMMUNITY_STATION,
)
INTAKE_KINDS = (OrganizationKind.LEGAL_AID_CENTER, *STATION_KINDS)


# --- visibility ------------------------------------------------------------------------------


def applications_visible_to(user: User | AnonymousUser, *, today: date) -> QuerySet[Application]:
    """Coordinators: what their organisation registered, and what their centre decides.
    Regulators: every application in their region (without identities: see ``can_see_identity``).
    Annotated with ``overdue`` as of ``today``."""
    if not user.is_authenticated:
        return Application.objects.none()
    org_ids = coordinated_organization_ids(user)
    condition = Q(pk__in=[])
    if org_ids:
        condition |= Q(organization_id__in=org_ids) | Q(centre_id__in=org_ids)
    if regulator_memberships(user):
        condition |= Q(region_id__in=jurisdiction_region_codes(user))
    return with_timeliness(Application.objects.filter(condition), today=today)


def can_see_identity(user: User | AnonymousUser, application: Application) -> bool:
    """Coordinators of the registering organisation and of the deciding centre; never regulators."""
    org_ids = coordinated_organization_ids(user)
    return application.organization_id in org_ids or application.centre_id in org_ids


def for_display(qs: QuerySet[Application]) -> QuerySet[Application]:
    """What the API shows of each application, in a fixed number of queries."""
    return qs.select_related("organization", "centre", "region", "case").prefetch_related(
        Prefetch("decisions", queryset=Decision.objects.select_related("decided_by").order_by("decided_at", "id")),
        Prefetch("objections", queryset=Objection.objects.order_by("registered_at", "id")),
        Prefetch("materials_requests", queryset=MaterialsRequest.objects.order_by("requested_at", "id")),
    )


# --- the clock -------------------------------------------------------------------------------

# No provider holds the case yet: no task, or a draft or open task without an accepted claim.
_ASSIGNMENT_PENDING = Q(case__isnull=True) | Q(
    case__seats_taken=0, case__status__in=[TaskStatus.DRAFT, TaskStatus.OPEN]
)


def due_before(day: date) -> Q:
    """Applications with a running due date before ``day``: the decision while the clock runs
    (not while materials are awaited), the assignment until a provider holds the case, the
    objection until the bureau decides."""
    decision = Q(
        status__in=[ApplicationStatus.RECEIVED, ApplicationStatus.UNDER_REVIEW],
        decision_due__lt=day,
    )
    assignment = (
        Q(
            status__in=[
                ApplicationStatus.UNDER_REVIEW,
                ApplicationStatus.MATERIALS_PENDING,
                ApplicationStatus.APPROVED,
            ],
            assign_due__lt=day,
        )
        & _ASSIGNMENT_PENDING
    )
    objection = Q(status=ApplicationStatus.OBJECTION_PENDING, objection_due__lt=day)
    return decision | assignment | objection


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
    path = application.centre.region.path
    return [
        m
        for m in regulator_memberships(user)
        if m.organization.kind == OrganizationKind.JUSTICE_BUREAU and path.startswith(m.organization.region.path)
    ]


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
