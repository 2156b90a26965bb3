"""Writes for providers: self-registration and verification by regulators."""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.core.errors import Conflict, Forbidden, Invalid, ensure_not_own_record
from marketplace.core.events import to_users
from organizations.models import Organization, Region
from organizations.roles import roles_of
from volunteers.assessment import require_verifier
from volunteers.models import (
    LICENSED_KINDS,
    VERIFY_STATUSES,
    VERIFY_TRANSITIONS,
    Category,
    Volunteer,
    VolunteerKind,
    VolunteerStatus,
)


def volunteer_register(
    *,
    user: User,
    kind: str,
    region: Region,
    licence_number: str = "",
    practice_org: Organization | None = None,
    specialties: list[str] | None = None,
    languages: list[str] | None = None,
    phone: str = "",
    licensed_on=None,
) -> Volunteer:
    """A signed-in user without a profile registers as a provider, status pending.

    Licensed professions (lawyer, notary, grassroots worker) must give their licence number,
    unique within the profession.
    """
    if kind not in VolunteerKind.values:
        raise Invalid(_("Unknown provider kind."), field="kind")
    licence_number = (licence_number or "").strip()
    if kind in LICENSED_KINDS and not licence_number:
        raise Invalid(_("A licence number is required for this kind of provider."), field="licence_number")
    unknown = [s for s in specialties or [] if s not in Category.values]
    if unknown:
        raise Invalid(_("Unknown specialty: %(s)s.") % {"s": ", ".join(unknown)}, field="specialties")
    with transaction.atomic():
        if Volunteer.objects.filter(user=user).exists():
            raise Conflict(_("You have already registered as a provider."), code="already_registered")
        if licence_number and Volunteer.objects.filter(kind=kind, licence_number=licence_number).exists():
            raise Invalid(_("This licence number is already registered."), field="licence_number")
        try:
            with transaction.atomic():
                return Volunteer.objects.create(
                    user=user,
                    kind=kind,
                    region=region,
                    licence_number=licence_number,
                    practice_org=practice_org,
                    specialties=list(specialties or []),
                    languages=list(languages or []),
                    phone=phone,
                    licensed_on=licensed_on,
                    status=VolunteerStatus.PENDING,
                )
        except IntegrityError:
            # Lost a race with a registration of the same user or licence number.
            raise Invalid(_("This licence number is already registered."), field="licence_number") from None


def volunteer_verify(
    *, volunteer: Volunteer, status: str, note: str = "", by: User, now: datetime | None = None
) -> Volunteer:
    """A regulator whose region contains the provider's sets its status (verified,
    suspended or revoked), with a note; never on their own profile (403 ``own_record``). The
    change is a conditional update on the status read."""
    now = now or timezone.now()
    if status not in VERIFY_STATUSES:
        raise Invalid(_("Status must be verified, suspended or revoked."), field="status")
    if not roles_of(by).regulates(volunteer.region):
        raise Forbidden(_("Only a regulator of the provider's region may verify it."))
    # The association verifies lawyers, the bureau every other kind (VERIFIED_BY): 403 not_assessor.
    require_verifier(by, volunteer)
    ensure_not_own_record(by, volunteer)
    with transaction.atomic():
        current = volunteer.status
        if status not in VERIFY_TRANSITIONS.get(current, frozenset()):
            raise Conflict(
                _("A provider who is %(current)s cannot become %(status)s.")
                % {"current": VolunteerStatus(current).label, "status": VolunteerStatus(status).label},
                code="invalid_transition",
            )
        updated = Volunteer.objects.filter(pk=volunteer.pk, status=current).update(
            status=status, status_note=note, status_changed_by=by, status_changed_at=now
        )
        if updated != 1:
            raise Conflict(_("The provider was changed meanwhile; reload and try again."), code="stale")
        volunteer.refresh_from_db()
        to_users(
            [volunteer.user_id], {"type": "volunteer.changed", "volunteer": {"id": volunteer.pk, "status": status}}
        )
    return volunteer
