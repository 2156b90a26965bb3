"""Legal aid applications (法律援助申请): intake, the statutory clock, decisions and objections.

An application is registered at a legal aid centre or at a station that forwards it; the centre
reviews it and decides (Art. 43), the applicant may object to a refusal before the justice bureau
(Art. 49), and an approval creates the case as an aid task of the centre (``case``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.models import BeneficiaryGroup, TaskKind
from volunteers.models import Category


class Channel(models.TextChoices):
    """How the application reached the legal aid system (Art. 25, 35, 36)."""

    WALK_IN = "walk_in", _("In person")
    STATION = "station", _("Through a station")
    ONLINE = "online", _("Online")
    PHONE = "phone", _("By phone")
    COURT_NOTICE = "court_notice", _("Court notice")
    PROCURATORATE_NOTICE = "procuratorate_notice", _("Procuratorate notice")
    POLICE_NOTICE = "police_notice", _("Police notice")


# Art. 36: a court, procuratorate or police notice to assign counsel; assigned within 3 days.
NOTICE_CHANNELS = (Channel.COURT_NOTICE, Channel.PROCURATORATE_NOTICE, Channel.POLICE_NOTICE)


class MatterKind(models.TextChoices):
    """The form of aid asked for: a case kind, or consultation or document drafting (Art. 22)."""

    CONSULTATION = TaskKind.CONSULTATION.value, TaskKind.CONSULTATION.label
    DOCUMENT_DRAFTING = TaskKind.DOCUMENT_DRAFTING.value, TaskKind.DOCUMENT_DRAFTING.label
    CRIMINAL_DEFENSE = TaskKind.CRIMINAL_DEFENSE.value, TaskKind.CRIMINAL_DEFENSE.label
    CIVIL_REPRESENTATION = TaskKind.CIVIL_REPRESENTATION.value, TaskKind.CIVIL_REPRESENTATION.label
    MEDIATION_ARBITRATION = TaskKind.MEDIATION_ARBITRATION.value, TaskKind.MEDIATION_ARBITRATION.label


class HardshipBasis(models.TextChoices):
    """Why the applicant qualifies economically: a certified hardship, or no check at all."""

    HARDSHIP_CERTIFIED = "hardship_certified", _("Economic hardship certified")
    NO_CHECK_ART32 = "no_check_art32", _("No hardship check (Art. 32 matter)")
    EXEMPT_MINOR = "exempt_minor", _("Exempt: minor (Art. 42)")
    EXEMPT_ELDERLY_NO_INCOME = "exempt_elderly_no_income", _("Exempt: elderly without fixed income (Art. 42)")
    EXEMPT_DISABLED_NO_INCOME = "exempt_disabled_no_income", _("Exempt: disabled without fixed income (Art. 42)")
    EXEMPT_SOCIAL_ASSISTANCE = "exempt_social_assistance", _("Exempt: receives social assistance (Art. 42)")
    EXEMPT_MIGRANT_WAGES = "exempt_migrant_wages", _("Exempt: migrant worker claiming wages (Art. 42)")
    EXEMPT_WORK_INJURY = "exempt_work_injury", _("Exempt: claiming work-injury compensation (Art. 42)")
    CRIMINAL_NOTICE = "criminal_notice", _("Criminal case notified by a court, procuratorate or police (Art. 36)")
    OTHER_EXEMPT = "other_exempt", _("Exempt on another legal ground")


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", _("Received at a station")
    UNDER_REVIEW = "under_review", _("Under review")
    MATERIALS_PENDING = "materials_pending", _("Waiting for materials")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    OBJECTION_PENDING = "objection_pending", _("Objection pending")


# The centre's decision is still to come in these (its clock runs in the first two).
UNDECIDED_STATUSES = (ApplicationStatus.RECEIVED, ApplicationStatus.UNDER_REVIEW, ApplicationStatus.MATERIALS_PENDING)
# A decision letter exists for the current decision in these.
DECIDED_STATUSES = (ApplicationStatus.APPROVED, ApplicationStatus.REFUSED, ApplicationStatus.OBJECTION_PENDING)


class Application(models.Model):
    """One application for legal aid, from its registration to the centre's final decision."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="registered_applications",
        verbose_name=_("registered at"),
    )
    # The legal aid centre that reviews and decides: the registering centre, or the centre a
    # station forwarded to (empty until then).
    centre = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("legal aid centre"),
    )
    # 常援申〔2026〕第0001号: the centre's per-year sequence, given when the centre receives it.
    number = models.CharField(_("application number"), max_length=40, blank=True)
    number_year = models.PositiveIntegerField(null=True, blank=True)
    number_sequence = models.PositiveIntegerField(null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=32, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"))
    matter_kind = models.CharField(_("matter kind"), max_length=32, choices=MatterKind.choices)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    beneficiary_group = models.CharField(_("beneficiary group"), max_length=32, choices=BeneficiaryGroup.choices)
    region = models.ForeignKey("organizations.Region", on_delete=models.PROTECT, verbose_name=_("region"))
    summary = models.TextField(_("summary of the matter"), max_length=2000)
    court_or_agency = models.CharField(_("court or agency"), max_length=200, blank=True)
    hardship_basis = models.CharField(_("hardship basis"), max_length=32, choices=HardshipBasis.choices)
    urgent = models.BooleanField(_("urgent (Art. 44)"), default=False)
    # Named items received with the application (身份证复印件, ...).
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    # Fernet-encrypted JSON (marketplace.core.crypto). Never logged, never in a list.
    applicant_ciphertext = models.TextField(blank=True, default="")
    opposing_ciphertext = models.TextField(blank=True, default="")
    status = models.CharField(_("status"), max_length=32, choices=ApplicationStatus.choices)
    # The statutory clock (clock.py): the last day on which each act is on time.
    review_started_at = models.DateTimeField(_("review started at"))
    decision_due = models.DateField(_("decision due"), null=True, blank=True)
    assign_due = models.DateField(_("assignment due"), null=True, blank=True)
    objection_due = models.DateField(_("objection decision due"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("days paused"), default=0)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The case task of an approved (or urgent) matter; marketplace's models know nothing of it.
    case = models.OneToOneField(
        "marketplace.AidTask",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
        verbose_name=_("case"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "number_year", "number_sequence"],
                condition=Q(number_sequence__isnull=False),
                name="applications_application_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(status="received") | Q(centre__isnull=False),
                name="applications_application_centre_after_intake",
            ),
        ]
        indexes = [
            # A centre's desk: the applications it decides, by status.
            models.Index(fields=["centre", "status"], name="applications_centre_idx"),
            # A station's desk: the applications it registered.
            models.Index(fields=["organization", "status"], name="applications_org_idx"),
            # The overdue and due_before filters of undecided applications.
            models.Index(fields=["status", "decision_due"], name="applications_decision_due_idx"),
        ]
        verbose_name = _("legal aid application")
        verbose_name_plural = _("legal aid applications")

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def is_notice(self) -> bool:
        return self.channel in NOTICE_CHANNELS


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    OPPOSING = "opposing", _("Opposing party")


class PartyKeyKind(models.TextChoices):
    NAME = "name", _("Name")
    ID = "id", _("ID number")


class PartyKey(models.Model):
    """A keyed digest (HMAC-SHA256) of a party's normalised name or ID number (identity.py).

    The conflict check finds earlier applications with the same person through these, without
    any name or number in plain text."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="party_keys")
    role = models.CharField(max_length=16, choices=PartyRole.choices)
    kind = models.CharField(max_length=8, choices=PartyKeyKind.choices)
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "role", "kind"], name="applications_partykey_unique"),
        ]
        indexes = [
            # applications_matching_party: the applications holding a digest, in any role.
            models.Index(fields=["digest", "role"], name="applications_partykey_idx"),
        ]


class MaterialsRequest(models.Model):
    """The one list of missing materials of a review (一次性告知); the clock stops until they arrive."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials_requests")
    items = models.JSONField(default=list)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(null=True, blank=True)
    received_items = models.JSONField(default=list, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paused_days = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(received_at__isnull=True),
                name="applications_materials_one_open_request",
            ),
        ]


class DecisionChoice(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REFUSE = "refuse", _("Refuse")


class DecisionOutcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Decision(models.Model):
    """The centre's written decision (Art. 43): approve, or refuse with reasons."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=16, choices=DecisionOutcome.choices)
    reasons = models.TextField(max_length=2000)
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["decided_at", "id"]


class Objection(models.Model):
    """The applicant's objection to a refusal, registered by the centre and decided by the justice
    bureau (Art. 49). One per refusal."""

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="objection")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="objections")
    grounds = models.TextField(max_length=2000)
    registered_at = models.DateTimeField()
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due = models.DateField()
    upheld = models.BooleanField(null=True, blank=True)
    reasons = models.TextField(max_length=2000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by_org = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["registered_at", "id"]


class IdentityAccess(models.Model):
    """One reveal of an application's parties (applicant, opposing party): who saw them, when, how."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="identity_accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accessed_at = models.DateTimeField()
    via = models.CharField(max_length=32)

    class Meta:
        ordering = ["-accessed_at", "-id"]


class EventKind(models.TextChoices):
    REGISTERED = "registered", _("Application registered")
    FORWARDED = "forwarded", _("Forwarded to the centre")
    MATERIALS_REQUESTED = "materials_requested", _("Materials requested")
    MATERIALS_RECEIVED = "materials_received", _("Materials received")
    CASE_CREATED = "case_created", _("Case created")
    CASE_CANCELLED = "case_cancelled", _("Case cancelled")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    OBJECTION_REGISTERED = "objection_registered", _("Objection registered")
    OBJECTION_UPHELD = "objection_upheld", _("Objection upheld: review reopened")
    OBJECTION_REJECTED = "objection_rejected", _("Objection rejected")


class ApplicationEvent(models.Model):
    """The application's history: who did what, when (never a party's identity)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
