"""Legal aid applications (法律援助申请): intake, the statutory clock, decisions and objections.

An application is registered at a legal aid centre or at a station that forwards it; the centre
reviews it and decides (Art. 43), the applicant may object to a refusal before the justice bureau
(Art. 49), and an approval creates the case as an aid task of the centre (``case``).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.core.fields import HistoryEvent, Reveal, Timestamps, acting_user
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
    VICTIM_REPRESENTATION = TaskKind.VICTIM_REPRESENTATION.value, TaskKind.VICTIM_REPRESENTATION.label
    CIVIL_REPRESENTATION = TaskKind.CIVIL_REPRESENTATION.value, TaskKind.CIVIL_REPRESENTATION.label
    ADMINISTRATIVE_REPRESENTATION = (
        TaskKind.ADMINISTRATIVE_REPRESENTATION.value,
        TaskKind.ADMINISTRATIVE_REPRESENTATION.label,
    )
    STATE_COMPENSATION = TaskKind.STATE_COMPENSATION.value, TaskKind.STATE_COMPENSATION.label
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


class MaxPenalty(models.TextChoices):
    """The heaviest sentence a criminal defendant may face: death and life cases need a lawyer of
    at least ``LEGAL_AID_SERIOUS_CASE_YEARS`` years of practice (Art. 26)."""

    DEATH = "death", _("Death penalty")
    LIFE = "life", _("Life imprisonment")


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


class Application(Timestamps):
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
    # A criminal matter where the defendant may face death or life imprisonment (Art. 26); blank
    # for every other matter.
    max_penalty = models.CharField(
        _("heaviest possible sentence"), max_length=8, choices=MaxPenalty.choices, blank=True
    )
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
    # Timeliness for the statistics: the first decision and the first assignment (to a provider
    # or to a law firm), and whether each came by its due date then.
    decided_at = models.DateTimeField(_("first decided at"), null=True, blank=True)
    decided_on_time = models.BooleanField(null=True, blank=True)
    assigned_at = models.DateTimeField(_("first assigned at"), null=True, blank=True)
    assigned_on_time = models.BooleanField(null=True, blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    forwarded_by = acting_user(optional=True)
    # The case task of an approved (or urgent) matter; marketplace's models know nothing of it.
    case = models.OneToOneField(
        "marketplace.AidTask",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
        verbose_name=_("case"),
    )
    created_by = acting_user(optional=True)

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

    @property
    def needs_experienced_lawyer(self) -> bool:
        """Art. 26: a defendant who may face death or life imprisonment."""
        return self.matter_kind == MatterKind.CRIMINAL_DEFENSE and self.max_penalty in MaxPenalty.values

    @property
    def is_minors_criminal(self) -> bool:
        """A criminal case of a minor: lawyers familiar with minors' cases first (Minors
        Protection Law Art. 104)."""
        return self.matter_kind == MatterKind.CRIMINAL_DEFENSE and (
            self.beneficiary_group == BeneficiaryGroup.MINORS
            or self.category == Category.MINORS
            or self.hardship_basis == HardshipBasis.EXEMPT_MINOR
        )


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
    requested_by = acting_user()
    received_at = models.DateTimeField(null=True, blank=True)
    received_items = models.JSONField(default=list, blank=True)
    received_by = acting_user(optional=True, on_delete=models.PROTECT)
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
    decided_by = acting_user()

    class Meta:
        ordering = ["decided_at", "id"]


class Objection(models.Model):
    """The applicant's objection to a refusal, registered by the centre and decided by the justice
    bureau (Art. 49). One per refusal."""

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="objection")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="objections")
    grounds = models.TextField(max_length=2000)
    registered_at = models.DateTimeField()
    registered_by = acting_user()
    due = models.DateField()
    upheld = models.BooleanField(null=True, blank=True)
    reasons = models.TextField(max_length=2000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = acting_user(optional=True, on_delete=models.PROTECT)
    decided_by_org = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["registered_at", "id"]


class IdentityAccess(Reveal):
    """One reveal of an application's parties (applicant, opposing party): who saw them, when, how."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="identity_accesses")
    via = models.CharField(max_length=32)


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
    ASSIGNED = "assigned", _("Assigned")
    ASSIGNED_TO_FIRM = "assigned_to_firm", _("Assigned to a law firm")
    HANDLER_NAMED = "handler_named", _("The law firm named the handler")
    FIRM_ASSIGNMENT_WITHDRAWN = "firm_assignment_withdrawn", _("Law firm assignment withdrawn")
    HANDLER_REFUSED = "handler_refused", _("The handler refused the assignment")
    REFUSAL_ACCEPTED = "refusal_accepted", _("Refusal accepted: to be reassigned")
    REFUSAL_REJECTED = "refusal_rejected", _("Refusal rejected")


class ApplicationEvent(HistoryEvent):
    """The application's history: who did what, when (never a party's identity)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    note = models.CharField(max_length=500, blank=True)


class FirmAssignmentStatus(models.TextChoices):
    AWAITING_HANDLER = "awaiting_handler", _("Awaiting the handler")
    HANDLER_NAMED = "handler_named", _("Handler named")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class FirmAssignment(models.Model):
    """A case assigned to a law firm (Art. 43); the firm's director names the handler, one of its
    lawyers, within ``LEGAL_AID_HANDLER_HOURS`` (``handler_due``). The named handler's claim is
    the assignment from then on. The centre may withdraw an assignment still awaiting its handler."""

    task = models.ForeignKey("marketplace.AidTask", on_delete=models.PROTECT, related_name="firm_assignments")
    law_firm = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="firm_assignments"
    )
    status = models.CharField(max_length=20, choices=FirmAssignmentStatus.choices)
    assigned_at = models.DateTimeField()
    assigned_by = acting_user()
    handler_due = models.DateTimeField(_("handler due"))
    handler = models.ForeignKey(
        "volunteers.Volunteer", null=True, blank=True, on_delete=models.PROTECT, related_name="firm_assignments"
    )
    claim = models.OneToOneField(
        "marketplace.Claim", null=True, blank=True, on_delete=models.PROTECT, related_name="firm_assignment"
    )
    named_at = models.DateTimeField(null=True, blank=True)
    named_by = acting_user(optional=True, on_delete=models.PROTECT)
    withdrawn_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-assigned_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(status="awaiting_handler"),
                name="applications_firmassignment_one_awaiting_per_task",
            ),
        ]
        indexes = [
            # A firm director's list: the firm's assignments, awaiting ones first.
            models.Index(fields=["law_firm", "status"], name="applications_firm_idx"),
        ]

    @property
    def awaits_handler(self) -> bool:
        return self.status == FirmAssignmentStatus.AWAITING_HANDLER


class RefusalRuling(models.TextChoices):
    PENDING = "pending", _("Awaiting the centre's ruling")
    ACCEPTED = "accepted", _("Accepted: good reason")
    REJECTED = "rejected", _("Rejected: no good reason")


class AssignmentRefusal(models.Model):
    """A handler's refusal of an assignment (指派), with its reason, and the centre's ruling on it.

    The handler keeps the case until the centre rules: accepted, the claim is declined and the
    case is free to reassign; rejected, the handler keeps the case and the refusal stays on the
    declined-assignment register against them (Legal Aid Law Art. 64 and Lawyers Law Art. 47
    discipline refusals without good reason). One refusal per assignment."""

    claim = models.OneToOneField("marketplace.Claim", on_delete=models.PROTECT, related_name="refusal")
    reason = models.CharField(max_length=500)
    refused_at = models.DateTimeField()
    ruling = models.CharField(max_length=16, choices=RefusalRuling.choices, default=RefusalRuling.PENDING)
    ruled_at = models.DateTimeField(null=True, blank=True)
    ruled_by = acting_user(optional=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["-refused_at", "-id"]
        indexes = [
            # The centre's queue of refusals to rule on.
            models.Index(fields=["ruling", "refused_at"], name="applications_refusal_idx"),
        ]

    @property
    def awaits_ruling(self) -> bool:
        return self.ruling == RefusalRuling.PENDING


class CaseLoadCap(models.Model):
    """A legal aid centre's cap on the open cases one handler may carry (DOMAIN: a case never
    blocks other work by time; the centre may cap the load instead). Data the centre sets, not a
    constant: no row, no cap. Assignment respects it (``marketplace.applications.caseload``)."""

    centre = models.OneToOneField(
        "organizations.Organization", on_delete=models.CASCADE, related_name="case_load_cap", verbose_name=_("centre")
    )
    max_open_cases = models.PositiveIntegerField(_("open cases per handler"))
    set_by = acting_user(outlives_user=True)
    set_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(max_open_cases__gte=1), name="applications_caseloadcap_at_least_one"),
        ]
        verbose_name = _("case load cap")
        verbose_name_plural = _("case load caps")
