"""Who the user is, loaded once per request: memberships, regulator scope, provider profile.

``roles_of(user)`` builds a ``Roles`` on first use and keeps it on the user object. That object
lives for one request (session and token authentication both load the user afresh), so a page
asks the database who its user is once, however many checks the navigation, the page guard, the
access helpers, the selectors and the services make. API permission classes
(``organizations.api.permissions``), page guards (``frontend.views.common``), access helpers,
selectors and services all speak its one vocabulary: ``require_coordinator``, ``require_centre``,
``require_regulator``, ``is_coordinator_of``, ``regulates``.

A user object can outlive a request: a test client signs the same object in for many requests, a
test or a management command calls services with the same ``by``. So a kept ``Roles`` also goes
stale when another request starts (in this context) and on any write to a membership, organisation
or region in the process: such an object never answers with roles from before the change.
"""

import contextvars
import itertools
from functools import cached_property

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.core.errors import Forbidden, Invalid
from organizations.models import REGULATOR_KINDS, Membership, Organization, OrganizationKind, Region, Role
from organizations.selectors import region_contains, within_regions

# Coordinators (and admins) manage their organisation's tasks, claims, hour logs and applications.
COORDINATING_ROLES = (Role.COORDINATOR, Role.ADMIN)
# Reviewers (and admins) of a justice bureau or lawyers' association are the regulators.
REGULATING_ROLES = (Role.REVIEWER, Role.ADMIN)

REGULATORS_ONLY = gettext_lazy("Only regulators may do this.")
CENTRES_ONLY = gettext_lazy("Only legal aid centres assign matters.")

_generations = itertools.count(1)
_generation = 0
_request: contextvars.ContextVar[object | None] = contextvars.ContextVar("roles_request", default=None)


def roles_changed(**kwargs) -> None:
    """Receiver of writes to memberships, organisations and regions: kept ``Roles`` go stale."""
    global _generation
    _generation = next(_generations)


def request_started(**kwargs) -> None:
    """Receiver of ``request_started``: a ``Roles`` kept from an earlier request is not reused."""
    _request.set(object())


def _freshness() -> tuple:
    return _generation, _request.get()


class Roles:
    """The roles of one user. Each part is read from the database at most once, when first asked."""

    def __init__(self, user: User | AnonymousUser | None = None):
        self.user = user if user is not None and user.is_authenticated else None
        self.freshness = _freshness()

    # --- what the user holds -------------------------------------------------------------------

    @cached_property
    def memberships(self) -> list[Membership]:
        """Every membership, with its organisation and the organisation's region (one query)."""
        if self.user is None:
            return []
        return list(Membership.objects.filter(user=self.user).select_related("organization__region"))

    @cached_property
    def coordinated_ids(self) -> frozenset[int]:
        """Organisations whose tasks, claims, hour logs and applications the user manages."""
        return frozenset(m.organization_id for m in self.memberships if m.role in COORDINATING_ROLES)

    @cached_property
    def coordinated_organizations(self) -> list[Organization]:
        """Those organisations, each once, in id order (with their regions)."""
        orgs = {m.organization_id: m.organization for m in self.memberships if m.role in COORDINATING_ROLES}
        return [orgs[pk] for pk in sorted(orgs)]

    @cached_property
    def centre_ids(self) -> frozenset[int]:
        """The legal aid centres among them: the organisations that assign matters and decide."""
        return frozenset(
            m.organization_id
            for m in self.memberships
            if m.role in COORDINATING_ROLES and m.organization.kind == OrganizationKind.LEGAL_AID_CENTER
        )

    @cached_property
    def regulator_memberships(self) -> list[Membership]:
        """Reviewer (or admin) memberships of justice bureaus and lawyers' associations."""
        return [m for m in self.memberships if m.role in REGULATING_ROLES and m.organization.kind in REGULATOR_KINDS]

    @property
    def regulated_regions(self) -> list[Region]:
        """Top regions of the jurisdictions; each covers itself and everything under it."""
        return [m.organization.region for m in self.regulator_memberships]

    @cached_property
    def provider(self):
        """The provider profile (``user.volunteer``, with its region), or None.

        Read through the reverse one-to-one, so this app needs no import of ``volunteers``; the
        profile is kept where Django keeps ``user.volunteer``, so both answer alike."""
        if self.user is None:
            return None
        relation = self.user._meta.get_field("volunteer")
        if not relation.is_cached(self.user):
            profile = relation.related_model.objects.select_related("region").filter(user=self.user).first()
            relation.set_cached_value(self.user, profile)
            if profile is not None:
                relation.field.set_cached_value(profile, self.user)
        return relation.get_cached_value(self.user)

    @property
    def is_admin(self) -> bool:
        """Staff of the site: the administration pages are theirs."""
        return self.user is not None and self.user.is_staff

    @property
    def is_provider(self) -> bool:
        return self.provider is not None

    @property
    def is_coordinator(self) -> bool:
        return bool(self.coordinated_ids)

    @property
    def is_centre_coordinator(self) -> bool:
        return bool(self.centre_ids)

    @property
    def is_regulator(self) -> bool:
        return bool(self.regulator_memberships)

    # --- questions -----------------------------------------------------------------------------

    def is_coordinator_of(self, organization: Organization | int | None) -> bool:
        return _pk(organization) in self.coordinated_ids

    def coordinates_centre(self, organization: Organization | int | None) -> bool:
        """The organisation is a legal aid centre and the user coordinates it."""
        return _pk(organization) in self.centre_ids

    def regulating(self, region: Region, *, kind: str | None = None) -> list[Membership]:
        """Regulator memberships (of ``kind``, if given) whose jurisdiction covers ``region``."""
        return [
            m
            for m in self.regulator_memberships
            if (kind is None or m.organization.kind == kind) and region_contains(m.organization.region, region)
        ]

    def regulates(self, region: Region, *, kind: str | None = None) -> bool:
        """``region`` lies in one of the user's jurisdictions (of a regulator of ``kind``, if given)."""
        return bool(self.regulating(region, kind=kind))

    def regions_regulated_as(self, kind: str) -> list[Region]:
        """The top regions of the user's jurisdictions as a regulator of ``kind`` (a justice
        bureau, say); each covers itself and everything under it."""
        return [m.organization.region for m in self.regulator_memberships if m.organization.kind == kind]

    def jurisdiction_codes(self) -> QuerySet:
        """Every region code in the user's jurisdictions, as a subquery (``region_id__in=``)."""
        regions = self.regulated_regions
        if not regions:
            return Region.objects.none().values_list("code", flat=True)
        return Region.objects.filter(within_regions(regions, field=None)).values_list("code", flat=True)

    # --- requirements: each raises the one error of its rule -----------------------------------

    def require_coordinator(self, organization: Organization | int | None = None, *, detail: str | None = None) -> None:
        """The user coordinates ``organization`` (without one: any organisation); 403 otherwise."""
        allowed = self.is_coordinator if organization is None else self.is_coordinator_of(organization)
        if not allowed:
            raise Forbidden(detail)

    def require_centre(self, organization: Organization | int | None, *, detail: str | None = None) -> None:
        """Only legal aid centres assign matters and decide applications: the user coordinates
        ``organization`` and it is a legal aid centre (403 ``not_legal_aid_center``)."""
        if not self.coordinates_centre(organization):
            raise Forbidden(detail or CENTRES_ONLY, code="not_legal_aid_center")

    def require_regulator(
        self,
        region: Region | None = None,
        *,
        kind: str | None = None,
        detail: str | None = None,
        code: str | None = None,
    ) -> None:
        """The user is a regulator (of ``kind``, if given): 403 otherwise. With ``region``, the
        region the caller asks to act on lies in its jurisdiction: 400 ``outside_jurisdiction``
        on ``region`` otherwise."""
        if not any(kind is None or m.organization.kind == kind for m in self.regulator_memberships):
            raise Forbidden(detail or REGULATORS_ONLY, code=code)
        if region is not None and not self.regulates(region, kind=kind):
            raise Invalid(
                _("Region %(code)s is outside your jurisdiction.") % {"code": region.code},
                field="region",
                code="outside_jurisdiction",
            )


def _pk(organization: Organization | int | None) -> int | None:
    return organization.pk if isinstance(organization, Organization) else organization


NOBODY = Roles()


def roles_of(user: User | AnonymousUser | None) -> Roles:
    """The user's roles, built once and kept on the user object; anonymous users have none."""
    if user is None or not user.is_authenticated:
        return NOBODY
    roles = getattr(user, "_roles", None)
    if roles is None or roles.freshness != _freshness():
        roles = Roles(user)
        user._roles = roles
    return roles
