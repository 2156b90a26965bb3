"""Volunteer service records (志愿服务记录证明) of law students and citizen volunteers.

They are nobody's to assess (``volunteers.models.ASSESSED_BY``): no rule, no annual review, no
duty certificate. Instead their service is recorded: hours by month from the ledger, the
organisations whose tasks they served, and a verification code (80 random bits, like a
certificate's) that ``/verify/{code}/`` checks. Each issue is kept as issued.
"""

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duties.models import DutyEntry, EntryKind, HourLog, HourLogStatus, VolunteerServiceRecord
from marketplace.core.errors import Conflict, NotFound
from organizations.models import Membership, Organization, Role
from volunteers.models import VOLUNTEER_RECORD_KINDS, Volunteer


def _served_organizations(volunteer: Volunteer, year: int) -> list[Organization]:
    """Organisations of the tasks the volunteer served in ``year`` (confirmed hours or cases)."""
    by_hours = HourLog.objects.filter(volunteer=volunteer, status=HourLogStatus.CONFIRMED, date__year=year).values(
        "claim__task__organization"
    )
    by_cases = DutyEntry.objects.filter(volunteer=volunteer, year=year, kind=EntryKind.CASE).values(
        "claim__task__organization"
    )
    served = Organization.objects.filter(pk__in=by_hours.order_by()) | Organization.objects.filter(
        pk__in=by_cases.order_by()
    )
    return list(served.distinct().order_by("name"))


def _served_ever(volunteer: Volunteer) -> set[int]:
    return set(
        HourLog.objects.filter(volunteer=volunteer).values_list("claim__task__organization", flat=True).distinct()
    )


def volunteer_for_record(user: User, volunteer_id: int) -> Volunteer:
    """The volunteer whose record ``user`` may have: their own, or one who served ``user``'s
    organisation (a coordinator or admin of it). Anyone else: 404, as for an unknown id."""
    volunteer = Volunteer.objects.select_related("user", "region").filter(pk=volunteer_id).first()
    if volunteer is None:
        raise NotFound()
    if volunteer.user_id == user.pk:
        return volunteer
    coordinated = Membership.objects.filter(
        user=user, role__in=(Role.COORDINATOR, Role.ADMIN), organization_id__in=_served_ever(volunteer)
    )
    if not coordinated.exists():
        raise NotFound()
    return volunteer


def hours_by_month(volunteer: Volunteer, year: int) -> list[tuple[int, Decimal]]:
    """The volunteer's credited hours in each month of ``year`` with any (reversals net out)."""
    months: dict[int, Decimal] = defaultdict(Decimal)
    for occurred_on, hours in DutyEntry.objects.filter(volunteer=volunteer, year=year).values_list(
        "occurred_on", "hours"
    ):
        months[occurred_on.month] += hours
    return [(month, hours) for month, hours in sorted(months.items()) if hours]


@transaction.atomic
def service_record_issue(
    *, volunteer: Volunteer, year: int, by: User, now: datetime | None = None
) -> VolunteerServiceRecord:
    """Issue a service record of ``year`` for a law student or citizen volunteer.

    Precondition: the volunteer is of a recorded kind (409 ``not_a_volunteer``: lawyers, notaries,
    grassroots workers and staff have annual reviews or neither). Change: a new record with a new
    code and what it says.
    """
    from duties.services import new_certificate_code

    if volunteer.kind not in VOLUNTEER_RECORD_KINDS:
        raise Conflict(
            _("Service records are for law students and citizen volunteers; this provider's duty is assessed."),
            code="not_a_volunteer",
        )
    months = hours_by_month(volunteer, year)
    return VolunteerServiceRecord.objects.create(
        volunteer=volunteer,
        year=year,
        code=new_certificate_code(),
        hours=sum((hours for _, hours in months), Decimal(0)),
        months=[[month, f"{hours:.2f}"] for month, hours in months],
        organizations=[org.name for org in _served_organizations(volunteer, year)],
        issued_at=now or timezone.now(),
        issued_to=by,
    )
