"""Reads about providers, each starting from what the caller may see."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from organizations.roles import roles_of
from volunteers import assessment
from volunteers.models import Volunteer


def volunteers_visible_to(user: User | AnonymousUser) -> QuerySet[Volunteer]:
    """Self; regulators of the provider's region (or above); coordinators of organisations
    the provider has claims with."""
    if not user.is_authenticated:
        return Volunteer.objects.none()
    roles = roles_of(user)
    condition = Q(user=user) | Q(region__in=roles.jurisdiction_codes())
    org_ids = roles.coordinated_ids
    if org_ids:
        condition |= Q(claims__task__organization_id__in=org_ids)
    visible_ids = Volunteer.objects.filter(condition).values("pk")
    return Volunteer.objects.filter(pk__in=visible_ids).select_related("user", "region", "practice_org")


def volunteers_in_jurisdiction(user: User | AnonymousUser) -> QuerySet[Volunteer]:
    """Providers a regulator may verify and review: its region and everything under it."""
    return Volunteer.objects.filter(region__in=roles_of(user).jurisdiction_codes()).select_related(
        "user", "region", "practice_org"
    )


def volunteers_to_verify(user: User | AnonymousUser, *, status: str | None) -> QuerySet[Volunteer]:
    """Providers of the regulator's jurisdiction of ``status`` (all when None) and of the kinds its
    organisation verifies (``assessment.VERIFIED_BY``), in the order they registered: the
    regulator's verification queue."""
    qs = (
        volunteers_in_jurisdiction(user)
        .filter(assessment.providers_regulated_by(user, verify=True))
        .order_by("created_at", "id")
    )
    return qs.filter(status=status) if status else qs
