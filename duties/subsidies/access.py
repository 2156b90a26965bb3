"""Who may read and write subsidies, and permission-checked fetches (404 for "missing" and
"not yours" alike).

- Schedules: written by reviewers and admins of a justice bureau whose region covers the
  schedule's; read by regulators and legal aid centres.
- Lines and batches: the coordinators of the legal aid centre that pays them (its own cases),
  and reviewers of a justice bureau for lines of their region (read only).
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from duties.subsidies.models import SubsidyBatch, SubsidyLine, SubsidySchedule
from marketplace.core.errors import Forbidden, Invalid, NotFound
from organizations.models import REGULATOR_KINDS, Membership, OrganizationKind, Region, Role
from organizations.roles import roles_of

COORDINATING = (Role.COORDINATOR, Role.ADMIN)
REGULATING = (Role.REVIEWER, Role.ADMIN)


@dataclass
class SubsidyRoles:
    """The caller's memberships that matter here: those of its roles (organizations.roles), read
    once per request."""

    user: User | AnonymousUser
    memberships: list[Membership] = field(default_factory=list)

    @classmethod
    def of(cls, user: User | AnonymousUser) -> "SubsidyRoles":
        return cls(user, roles_of(user).memberships)

    @cached_property
    def centre_ids(self) -> frozenset[int]:
        return frozenset(
            m.organization_id
            for m in self.memberships
            if m.role in COORDINATING and m.organization.kind == OrganizationKind.LEGAL_AID_CENTER
        )

    @cached_property
    def bureau_regions(self) -> list[Region]:
        return [
            m.organization.region
            for m in self.memberships
            if m.role in REGULATING and m.organization.kind == OrganizationKind.JUSTICE_BUREAU
        ]

    @cached_property
    def regulator_regions(self) -> list[Region]:
        return [
            m.organization.region
            for m in self.memberships
            if m.role in REGULATING and m.organization.kind in REGULATOR_KINDS
        ]

    @property
    def is_centre(self) -> bool:
        return bool(self.centre_ids)

    @property
    def is_bureau(self) -> bool:
        return bool(self.bureau_regions)

    @property
    def is_regulator(self) -> bool:
        return bool(self.regulator_regions)

    def bureau_for(self, region: Region):
        """The caller's justice bureau whose region covers ``region``, or None."""
        for m in self.memberships:
            if (
                m.role in REGULATING
                and m.organization.kind == OrganizationKind.JUSTICE_BUREAU
                and region.path.startswith(m.organization.region.path)
            ):
                return m.organization
        return None

    def regulates(self, region: Region) -> bool:
        return any(region.path.startswith(r.path) for r in self.regulator_regions)


def subsidy_roles(user: User | AnonymousUser) -> SubsidyRoles:
    return SubsidyRoles.of(user)


def require_schedule_reader(user: User | AnonymousUser) -> SubsidyRoles:
    roles = subsidy_roles(user)
    if not (roles.is_regulator or roles.is_centre):
        raise Forbidden(_("Subsidy schedules are for regulators and legal aid centres."))
    return roles


def require_schedule_writer(user: User | AnonymousUser, region: Region):
    """The justice bureau of ``region`` (403 for any other role, 400 on ``region`` outside its
    jurisdiction); returns the bureau."""
    roles = subsidy_roles(user)
    if not roles.is_bureau:
        raise Forbidden(_("Only a justice bureau sets subsidy schedules."), code="not_justice_bureau")
    bureau = roles.bureau_for(region)
    if bureau is None:
        raise Invalid(
            _("Region %(code)s is outside your jurisdiction.") % {"code": region.code},
            field="region",
            code="outside_jurisdiction",
        )
    return bureau


def require_line_reader(user: User | AnonymousUser) -> SubsidyRoles:
    roles = subsidy_roles(user)
    if not (roles.is_centre or roles.is_bureau):
        raise Forbidden(_("Subsidies are for legal aid centres and justice bureaus."))
    return roles


def require_centre(user: User | AnonymousUser) -> SubsidyRoles:
    roles = subsidy_roles(user)
    if not roles.is_centre:
        raise Forbidden(_("Only a legal aid centre batches and pays subsidies."), code="not_legal_aid_center")
    return roles


def schedules_visible_to(user: User | AnonymousUser) -> QuerySet[SubsidySchedule]:
    """Schedules are rules, not personal data: every regulator and centre reads them all."""
    roles = subsidy_roles(user)
    if not (roles.is_regulator or roles.is_centre):
        return SubsidySchedule.objects.none()
    return SubsidySchedule.objects.select_related("region").prefetch_related("rates")


def lines_visible_to(user: User | AnonymousUser) -> QuerySet[SubsidyLine]:
    roles = subsidy_roles(user)
    condition = Q(pk__in=[])
    if roles.centre_ids:
        condition |= Q(organization_id__in=roles.centre_ids)
    for region in roles.bureau_regions:
        condition |= Q(region__path__startswith=region.path)
    return SubsidyLine.objects.filter(condition)


def batches_visible_to(user: User | AnonymousUser) -> QuerySet[SubsidyBatch]:
    roles = subsidy_roles(user)
    condition = Q(pk__in=[])
    if roles.centre_ids:
        condition |= Q(organization_id__in=roles.centre_ids)
    for region in roles.bureau_regions:
        condition |= Q(organization__region__path__startswith=region.path)
    return SubsidyBatch.objects.filter(condition)


def access_schedule(user: User | AnonymousUser, schedule_id: int) -> SubsidySchedule:
    schedule = schedules_visible_to(user).filter(pk=schedule_id).first()
    if schedule is None:
        raise NotFound()
    return schedule


def access_line(user: User | AnonymousUser, line_id: int, *, for_write: bool = False) -> SubsidyLine:
    """The line if the caller may see it (404 otherwise); to change it, the caller must be its
    centre (403 ``not_legal_aid_center``)."""
    line = lines_visible_to(user).filter(pk=line_id).first()
    if line is None:
        raise NotFound()
    if for_write and line.organization_id not in subsidy_roles(user).centre_ids:
        raise Forbidden(_("Only the paying legal aid centre changes a subsidy line."), code="not_legal_aid_center")
    return line


def access_batch(user: User | AnonymousUser, batch_id: int, *, for_write: bool = False) -> SubsidyBatch:
    batch = batches_visible_to(user).filter(pk=batch_id).first()
    if batch is None:
        raise NotFound()
    if for_write and batch.organization_id not in subsidy_roles(user).centre_ids:
        raise Forbidden(_("Only the paying legal aid centre pays a batch."), code="not_legal_aid_center")
    return batch
