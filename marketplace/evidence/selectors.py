"""Reads about evidence requests, each starting from what the caller may see."""

from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from marketplace.core.fields import with_overdue as overdue_among
from marketplace.evidence.models import EvidenceRequest, EvidenceStatus
from marketplace.models import CASE_KINDS, CLAIMABLE_TASK_STATUSES, HELD_CLAIM_STATUSES, AidTask, Claim, ClaimStatus
from organizations.models import Organization, OrganizationKind
from organizations.roles import roles_of
from volunteers.models import Volunteer


def evidence_requests_visible_to(user: User | AnonymousUser) -> QuerySet[EvidenceRequest]:
    """The handler's own requests; the queue of the departments the user coordinates; the
    requests on the cases of the organisations (centres) the user coordinates."""
    if not user.is_authenticated:
        return EvidenceRequest.objects.none()
    condition = Q(handler__user=user)
    org_ids = roles_of(user).coordinated_ids
    if org_ids:
        condition |= Q(department_id__in=org_ids) | Q(task__organization_id__in=org_ids)
    return (
        EvidenceRequest.objects.filter(condition)
        .select_related(
            "task__organization", "department__region", "handler__user", "handler__practice_org", "issuer__region"
        )
        .prefetch_related("documents")
    )


def with_overdue(qs: QuerySet[EvidenceRequest], *, today: date) -> QuerySet[EvidenceRequest]:
    """``overdue``: the department's answer is still to come and its due day is before ``today``."""
    return overdue_among(qs, waiting=Q(status=EvidenceStatus.PENDING), today=today)


def departments() -> QuerySet[Organization]:
    """The government departments a handler may ask (police, archives, housing, ...)."""
    return Organization.objects.filter(kind=OrganizationKind.GOVERNMENT_DEPARTMENT).select_related("region")


def coordinated_departments(user: User | AnonymousUser) -> list[Organization]:
    """The government departments the user coordinates: whose evidence queue is theirs."""
    return [
        m.organization
        for m in roles_of(user).memberships
        if m.organization_id in roles_of(user).coordinated_ids
        and m.organization.kind == OrganizationKind.GOVERNMENT_DEPARTMENT
    ]


def handler_claim(task: AidTask, volunteer: Volunteer | None) -> Claim | None:
    """The provider's accepted or completed claim on the case task, if the provider handles it."""
    if volunteer is None:
        return None
    return Claim.objects.filter(task=task, volunteer=volunteer, status__in=HELD_CLAIM_STATUSES).order_by("-id").first()


def cases_handled_by(volunteer: Volunteer | None) -> QuerySet[AidTask]:
    """The case tasks the provider handles now (accepted claim, the task still taking claims):
    those it may ask evidence for."""
    if volunteer is None:
        return AidTask.objects.none()
    return (
        AidTask.objects.filter(
            kind__in=list(CASE_KINDS),
            status__in=list(CLAIMABLE_TASK_STATUSES),
            claims__volunteer=volunteer,
            claims__status=ClaimStatus.ACCEPTED,
        )
        .select_related("organization")
        .distinct()
        .order_by("-starts_at", "-id")
    )
