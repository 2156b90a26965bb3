"""Reads about complaints, each starting from what the caller may see."""

import re
from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from duties.complaints.models import OPEN_COMPLAINT_STATUSES, Complaint
from marketplace.core.fields import with_overdue as overdue_among
from organizations.models import Organization, OrganizationKind, Region
from organizations.roles import roles_of
from organizations.selectors import within_regions
from volunteers.models import Volunteer

_NOT_CODE = re.compile(r"[^A-Z2-7]")
CODE_LETTERS = 16


def normalise_code(raw: str) -> str:
    """Codes are printed ABCD-EFGH-IJKL-MNOP; any case, spacing or dashes are accepted."""
    letters = _NOT_CODE.sub("", str(raw).upper())
    return "-".join(letters[i : i + 4] for i in range(0, len(letters), 4))


def complaint_by_code(raw: str) -> Complaint | None:
    """The complaint with this tracking code, or None (the public lookup)."""
    code = normalise_code(raw)
    if len(code) != CODE_LETTERS + 3:
        return None
    return Complaint.objects.select_related("task").filter(code=code).first()


def with_overdue(qs: QuerySet[Complaint], *, today: date) -> QuerySet[Complaint]:
    """``overdue``: the finding is still to come and its due day is before ``today``."""
    return overdue_among(qs, waiting=Q(status__in=list(OPEN_COMPLAINT_STATUSES)), today=today)


def bureau_regions(user: User | AnonymousUser) -> list[Region]:
    """Top regions of the justice bureaus where the user is a reviewer (or admin)."""
    return roles_of(user).regions_regulated_as(OrganizationKind.JUSTICE_BUREAU)


def is_complaints_handler(user: User | AnonymousUser) -> bool:
    """A reviewer (or admin) of a justice bureau: the complaints desk is theirs."""
    return bool(bureau_regions(user))


def complaints_handled_by(user: User | AnonymousUser) -> QuerySet[Complaint]:
    """The complaints of the regions of the user's justice bureaus (each region and below)."""
    regions = bureau_regions(user)
    if not regions:
        return Complaint.objects.none()
    return Complaint.objects.filter(within_regions(regions)).select_related(
        "task", "volunteer__user", "region", "resolved_by_org", "resolved_by"
    )


def complaints_against(volunteer: Volunteer) -> QuerySet[Complaint]:
    """The complaints about a provider, newest first (the provider's page for regulators: the
    caller has already been allowed to see the provider)."""
    return (
        Complaint.objects.filter(volunteer=volunteer)
        .select_related("task", "resolved_by_org")
        .order_by("-filed_at", "-id")
    )


def bureaus_over(region: Region) -> QuerySet[Organization]:
    """The justice bureaus whose jurisdiction covers ``region`` (its own and those above it)."""
    codes = [code for code in region.path.split("/") if code]
    return Organization.objects.filter(kind=OrganizationKind.JUSTICE_BUREAU, region_id__in=codes)


def bureau_for(region: Region) -> Organization | None:
    """The nearest justice bureau over ``region``: the one that handles its complaints."""
    return max(bureaus_over(region).select_related("region"), key=lambda org: len(org.region.path), default=None)


def provider_by_licence(licence_number: str) -> Volunteer | None:
    """The provider with this licence number (执业证号; unique within a profession, so the first
    match), for the public form: a complainant knows the number, not our id."""
    number = licence_number.strip()
    if not number:
        return None
    return Volunteer.objects.select_related("region").filter(licence_number__iexact=number).order_by("id").first()
