"""Reads about regions, organisations and who holds which role where."""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from organizations.models import REGULATOR_KINDS, Membership, Organization, OrganizationKind, Region, Role


def region_subtree(region: Region | str) -> QuerySet[Region]:
    """The region and every region under it (one indexed prefix match on ``path``)."""
    if isinstance(region, str):
        region = Region.objects.get(code=region)
    return Region.objects.filter(path__startswith=region.path)


def region_contains(outer: Region, inner: Region) -> bool:
    return inner.path.startswith(outer.path)


def organizations_visible_to(user: User | AnonymousUser) -> QuerySet[Organization]:
    """Organisations are public: their names, kinds and regions are on every task."""
    return Organization.objects.select_related("region")


def memberships_of(user: User | AnonymousUser, *, roles: Iterable[str] | None = None) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    qs = Membership.objects.filter(user=user).select_related("organization", "organization__region")
    if roles is not None:
        qs = qs.filter(role__in=list(roles))
    return qs


def coordinated_organization_ids(user: User | AnonymousUser) -> set[int]:
    """Organisations whose tasks the user manages (coordinators and admins)."""
    return {m.organization_id for m in memberships_of(user, roles=[Role.COORDINATOR, Role.ADMIN])}


def is_coordinator_of(user: User | AnonymousUser, organization_id: int) -> bool:
    return organization_id in coordinated_organization_ids(user)


def regulator_memberships(user: User | AnonymousUser) -> list[Membership]:
    """Reviewer (or admin) memberships in justice bureaus and lawyers' associations."""
    return [
        m for m in memberships_of(user, roles=[Role.REVIEWER, Role.ADMIN]) if m.organization.kind in REGULATOR_KINDS
    ]


def regulated_regions(user: User | AnonymousUser) -> list[Region]:
    """Top regions of the user's jurisdictions; each covers itself and everything under it."""
    return [m.organization.region for m in regulator_memberships(user)]


def is_regulator(user: User | AnonymousUser) -> bool:
    return bool(regulator_memberships(user))


def is_regulator_of_region(user: User | AnonymousUser, region: Region) -> bool:
    return any(region_contains(outer, region) for outer in regulated_regions(user))


def jurisdiction_region_codes(user: User | AnonymousUser) -> QuerySet[Region]:
    """Every region code in the user's jurisdictions, as a subquery-ready queryset."""
    regions = regulated_regions(user)
    if not regions:
        return Region.objects.none().values_list("code", flat=True)
    from django.db.models import Q

    condition = Q()
    for outer in regions:
        condition |= Q(path__startswith=outer.path)
    return Region.objects.filter(condition).values_list("code", flat=True)


def is_legal_aid_coordinator(user: User | AnonymousUser, organization: Organization) -> bool:
    return organization.kind == OrganizationKind.LEGAL_AID_CENTER and is_coordinator_of(user, organization.pk)
