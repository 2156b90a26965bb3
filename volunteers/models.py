import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.core.fields import acting_user
from organizations.models import OrganizationKind


# The category of a legal matter: a task's or an application's, and a provider's specialties.
class Category(models.TextChoices):
    LABOR_WAGES = "labor_wages", _("Labour and wages")
    WORK_INJURY = "work_injury", _("Work injury")
    FAMILY = "family", _("Family")
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence")
    MAINTENANCE = "maintenance", _("Maintenance")
    ELDERLY_RIGHTS = "elderly_rights", _("Rights of the elderly")
    DISABILITY_RIGHTS = "disability_rights", _("Disability rights")
    MINORS = "minors", _("Minors")
    CONSUMER = "consumer", _("Consumer")
    HOUSING_LAND = "housing_land", _("Housing and land")
    ADMINISTRATIVE = "administrative", _("Administrative")
    CRIMINAL = "criminal", _("Criminal")
    OTHER = "other", _("Other")


class VolunteerKind(models.TextChoices):
    LAWYER = "lawyer", _("Lawyer")
    NOTARY = "notary", _("Notary")
    GRASSROOTS_WORKER = "grassroots_worker", _("Grassroots legal service worker")
    LEGAL_AID_STAFF = "legal_aid_staff", _("Legal aid staff")
    LAW_STUDENT = "law_student", _("Law student")
    CITIZEN_VOLUNTEER = "citizen_volunteer", _("Citizen volunteer")


# Kinds that practise under a licence (执业证) and must register with its number.
LICENSED_KINDS = (
    VolunteerKind.LAWYER,
    VolunteerKind.NOTARY,
    VolunteerKind.GRASSROOTS_WORKER,
)


# Who assesses whom (年度考核) and verifies whom, by the kind of provider: the lawyers'
# association of the region assesses lawyers; the justice bureau assesses notaries and
# grassroots legal service workers. Nobody reviews law students, citizen volunteers or legal
# aid staff: they get a volunteer service record, never a duty certificate. Verification
# follows the same split, and the justice bureau verifies the kinds nobody assesses.
ASSESSED_BY: dict[str, frozenset[str]] = {
    VolunteerKind.LAWYER: frozenset({OrganizationKind.LAWYERS_ASSOCIATION}),
    VolunteerKind.NOTARY: frozenset({OrganizationKind.JUSTICE_BUREAU}),
    VolunteerKind.GRASSROOTS_WORKER: frozenset({OrganizationKind.JUSTICE_BUREAU}),
}
# The kinds with a yearly duty, an annual review and a certificate.
ASSESSED_KINDS = frozenset(ASSESSED_BY)
# The kinds whose service is recorded (志愿服务记录证明) rather than assessed.
VOLUNTEER_RECORD_KINDS = frozenset({VolunteerKind.LAW_STUDENT, VolunteerKind.CITIZEN_VOLUNTEER})
VERIFIED_BY: dict[str, frozenset[str]] = {
    kind: ASSESSED_BY.get(kind, frozenset({OrganizationKind.JUSTICE_BUREAU})) for kind in VolunteerKind
}


def new_calendar_nonce() -> str:
    """128 random bits, hex: the secret part of a provider's calendar link (volunteers/calendar.py)."""
    return secrets.token_hex(16)


class VolunteerStatus(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    VERIFIED = "verified", _("Verified")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")


# Providers who had a duty in a year: verified ones, and those suspended during it. The annual
# review opens for them and the compliance report counts them.
DUTY_BOUND_STATUSES = frozenset({VolunteerStatus.VERIFIED, VolunteerStatus.SUSPENDED})

# Which statuses a regulator may move a provider to, from each status (``volunteer_verify``).
VERIFY_TRANSITIONS: dict[str, frozenset[str]] = {
    VolunteerStatus.PENDING: frozenset({VolunteerStatus.VERIFIED, VolunteerStatus.REVOKED}),
    VolunteerStatus.VERIFIED: frozenset({VolunteerStatus.SUSPENDED, VolunteerStatus.REVOKED}),
    VolunteerStatus.SUSPENDED: frozenset({VolunteerStatus.VERIFIED, VolunteerStatus.REVOKED}),
    VolunteerStatus.REVOKED: frozenset({VolunteerStatus.VERIFIED}),
}
# The statuses a regulator sets (verified, suspended, revoked), and as choices in
# VolunteerStatus's order with its words, for the API and the pages.
VERIFY_STATUSES = frozenset().union(*VERIFY_TRANSITIONS.values())
VERIFY_CHOICES = [(status.value, status.label) for status in VolunteerStatus if status in VERIFY_STATUSES]


class Volunteer(models.Model):
    """A provider of legal aid: lawyer, notary, grassroots worker, staff, student or volunteer."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer")
    kind = models.CharField(_("kind"), max_length=32, choices=VolunteerKind.choices)
    licence_number = models.CharField(_("licence number"), max_length=40, blank=True)
    licensed_on = models.DateField(_("licensed on"), null=True, blank=True)
    practice_org = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("practice organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practitioners",
    )
    region = models.ForeignKey("organizations.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    specialties = models.JSONField(_("specialties"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=VolunteerStatus.choices, default=VolunteerStatus.PENDING
    )
    status_note = models.CharField(_("note"), max_length=500, blank=True)
    status_changed_by = acting_user(optional=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # The secret calendar link's random part (volunteers/calendar.py): 128 bits, hex; the link
    # carries it signed, so a guessed link fails the signature; a new value revokes the old link.
    # New providers get one at creation; rows older than the field get theirs on first use.
    calendar_nonce = models.CharField(
        max_length=32, blank=True, default=new_calendar_nonce, db_index=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            # 执业证号 identifies one practitioner within a profession.
            models.UniqueConstraint(
                fields=["kind", "licence_number"],
                condition=~Q(licence_number=""),
                name="volunteers_volunteer_unique_licence_per_kind",
            ),
        ]
        indexes = [
            # Regulators list providers of their region by status (verification queue, reviews).
            models.Index(fields=["region", "status"], name="volunteers_region_status_idx"),
        ]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.username

    @property
    def is_verified(self) -> bool:
        """Verified by a regulator: the provider may claim tasks."""
        return self.status == VolunteerStatus.VERIFIED

    @property
    def awaits_verification(self) -> bool:
        """Registered, not yet verified by a regulator of the provider's region."""
        return self.status == VolunteerStatus.PENDING

    @property
    def gets_service_record(self) -> bool:
        """A law student or citizen volunteer: a service record, never a review or certificate."""
        return self.kind in VOLUNTEER_RECORD_KINDS

    @property
    def is_barred(self) -> bool:
        """Suspended or revoked: the provider may not claim tasks."""
        return self.status in (VolunteerStatus.SUSPENDED, VolunteerStatus.REVOKED)

    def calendar_token(self) -> str:
        """The secret calendar link's token (issued on first use): volunteers/calendar.py."""
        from volunteers.calendar import calendar_token  # volunteers.calendar imports this module

        return calendar_token(self)

    def calendar_url(self, *, request=None) -> str:
        """The absolute address of the provider's calendar feed (its token issued on first use)."""
        from volunteers.calendar import calendar_url  # volunteers.calendar imports this module

        return calendar_url(self.calendar_token(), request=request)
