"""Who assesses and verifies which providers (``volunteers.models.ASSESSED_BY``, ``VERIFIED_BY``).

A regulator acts on a provider through a reviewer (or admin) membership of an organisation whose
region contains the provider's and whose kind assesses (or verifies) the provider's kind. These
helpers read the caller's roles (organizations.roles, loaded once per request) and answer for the
services of verification, rules and reviews; a refusal is 403 ``not_assessor``.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q
from django.utils.translation import gettext as _

from marketplace.core.errors import Forbidden
from organizations.models import Organization, Region
from organizations.roles import roles_of
from volunteers.models import ASSESSED_BY, VERIFIED_BY, Volunteer

NOT_ASSESSOR = "not_assessor"


def _regulating(user: User | AnonymousUser | None, region: Region) -> list[Organization]:
    """The regulating organisations (reviewer or admin) of ``user`` whose region contains ``region``."""
    return [m.organization for m in roles_of(user).regulating(region)]


def kinds_assessed_by(user: User | AnonymousUser | None, region: Region) -> frozenset[str]:
    """The provider kinds ``user``'s organisations assess in ``region``."""
    org_kinds = {org.kind for org in _regulating(user, region)}
    return frozenset(kind for kind, by in ASSESSED_BY.items() if by & org_kinds)


def assessing_organizations(user: User | AnonymousUser | None, region: Region) -> dict[str, Organization]:
    """For each provider kind ``user`` assesses in ``region``, the most specific organisation that does."""
    orgs = sorted(_regulating(user, region), key=lambda org: len(org.region.path))
    return {kind: org for org in orgs for kind, by in ASSESSED_BY.items() if org.kind in by}


def assessing_organization(user: User | AnonymousUser | None, volunteer: Volunteer) -> Organization | None:
    """The most specific of ``user``'s organisations that assesses ``volunteer`` (the certificate's issuer)."""
    kinds = ASSESSED_BY.get(volunteer.kind, frozenset())
    orgs = [org for org in _regulating(user, volunteer.region) if org.kind in kinds]
    return max(orgs, key=lambda org: len(org.region.path), default=None)


def providers_regulated_by(user: User | AnonymousUser | None, *, prefix: str = "", verify: bool = False) -> Q:
    """A filter on providers (``prefix`` to reach them, e.g. ``volunteer__``): those of a region
    one of ``user``'s regulating organisations covers, of a kind it assesses (``verify``: that it
    verifies). The lawyers' association sees lawyers, the justice bureau notaries and grassroots
    workers (and, to verify, the kinds nobody assesses); matches nothing for anyone else."""
    by = VERIFIED_BY if verify else ASSESSED_BY
    condition = Q(pk__in=[])
    for membership in roles_of(user).regulator_memberships:
        org = membership.organization
        kinds = sorted(kind for kind, orgs in by.items() if org.kind in orgs)
        if kinds:
            condition |= Q(**{f"{prefix}region__path__startswith": org.region.path, f"{prefix}kind__in": kinds})
    return condition


def require_assessor(user: User, volunteer: Volunteer, *, detail: str | None = None) -> Organization:
    """``user`` assesses ``volunteer``: the organisation, or 403 ``not_assessor``."""
    org = assessing_organization(user, volunteer)
    if org is None:
        raise Forbidden(detail or _("Your organisation does not assess this kind of provider."), code=NOT_ASSESSOR)
    return org


def require_kind_assessed(user: User, region: Region, kind: str) -> None:
    """``user``'s organisations assess providers of ``kind`` in ``region`` (a rule for them): 403 otherwise."""
    if kind not in kinds_assessed_by(user, region):
        raise Forbidden(_("Your organisation does not assess this kind of provider."), code=NOT_ASSESSOR)


def require_verifier(user: User, volunteer: Volunteer) -> None:
    """``user``'s organisations verify providers of ``volunteer``'s kind in its region: 403 otherwise."""
    kinds = VERIFIED_BY.get(volunteer.kind, frozenset())
    if not any(org.kind in kinds for org in _regulating(user, volunteer.region)):
        raise Forbidden(_("Your organisation does not verify this kind of provider."), code=NOT_ASSESSOR)
