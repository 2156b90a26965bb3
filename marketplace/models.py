from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.core.fields import Decided, Reveal, Timestamps, acting_user
from volunteers.models import Category


class TaskKind(models.TextChoices):
    """The forms of legal aid (Legal Aid Law Art. 22), and two kinds of public legal service.

    The values are the API's: existing ones never change meaning (``duty_shift`` is the duty
    lawyer's legal help, ``mediation_arbitration`` the representation in labour-dispute mediation
    and arbitration); new forms are added as new values.
    """

    CONSULTATION = "consultation", _("Consultation")
    DOCUMENT_DRAFTING = "document_drafting", _("Document drafting")
    CRIMINAL_DEFENSE = "criminal_defense", _("Criminal defence")
    # Art. 22(3): representing the victim of a public prosecution or a private prosecutor.
    VICTIM_REPRESENTATION = "victim_representation", _("Representation of crime victims")
    CIVIL_REPRESENTATION = "civil_representation", _("Civil representation")
    ADMINISTRATIVE_REPRESENTATION = "administrative_representation", _("Administrative representation")
    STATE_COMPENSATION = "state_compensation", _("State compensation representation")
    MEDIATION_ARBITRATION = "mediation_arbitration", _("Labour-dispute mediation and arbitration representation")
    # Art. 30: a dated half-day shift at a court, procuratorate or detention centre station.
    DUTY_SHIFT = "duty_shift", _("Duty-lawyer legal help")
    # Public legal service, not legal aid (DOMAIN: recorded, counted only where a rule says so):
    # public legal education (普法) and community mediation (人民调解), which is never a case.
    OUTREACH = "outreach", _("Public legal education")
    COMMUNITY_MEDIATION = "community_mediation", _("Community mediation")


# Tasks of these kinds are cases: one lead handler, a closing report, and one case credited to
# the handler when the legal aid centre accepts the closing (marketplace.cases).
CASE_KINDS = (
    TaskKind.CRIMINAL_DEFENSE,
    TaskKind.VICTIM_REPRESENTATION,
    TaskKind.CIVIL_REPRESENTATION,
    TaskKind.ADMINISTRATIVE_REPRESENTATION,
    TaskKind.STATE_COMPENSATION,
    TaskKind.MEDIATION_ARBITRATION,
)
# Public legal service rather than legal aid (Art. 22 does not list them).
PUBLIC_LEGAL_SERVICE_KINDS = frozenset({TaskKind.OUTREACH, TaskKind.COMMUNITY_MEDIATION})


class CriminalStage(models.TextChoices):
    """The stage of a criminal matter the aid covers (侦查/审查起诉/审判); each stage is a case of
    its own for the subsidy (Art. 52: by kind and stage)."""

    INVESTIGATION = "investigation", _("Investigation")
    PROSECUTION = "prosecution", _("Review for prosecution")
    TRIAL = "trial", _("Trial")


class BeneficiaryGroup(models.TextChoices):
    MIGRANT_WORKERS = "migrant_workers", _("Migrant workers")
    WORKERS = "workers", _("Workers")
    WOMEN = "women", _("Women")
    MINORS = "minors", _("Minors")
    ELDERLY = "elderly", _("Elderly")
    DISABLED = "disabled", _("People with disabilities")
    STUDENTS = "students", _("Students")
    VETERANS = "veterans", _("Veterans")
    GENERAL = "general", _("General public")


class TaskStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    FILLED = "filled", _("Filled")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    # A case whose handler filed the closing report; the centre accepts it or returns it.
    CLOSING_REVIEW = "closing_review", _("Closing under review")
    # A case the centre ended on an Art. 48 ground (marketplace.cases.Termination says why).
    TERMINATED = "terminated", _("Terminated")


# The sets of task statuses each rule speaks of; every layer asks them (or AidTask's predicates).
# Everyone may read these; a draft stays with the posting organisation.
PUBLIC_TASK_STATUSES = frozenset(
    {
        TaskStatus.OPEN,
        TaskStatus.FILLED,
        TaskStatus.COMPLETED,
        TaskStatus.CANCELLED,
        TaskStatus.CLOSING_REVIEW,
        TaskStatus.TERMINATED,
    }
)
# The task takes claims (a filled one for the waiting list), is on the board by default, may be
# assigned and completed; its status follows its seats between these two.
CLAIMABLE_TASK_STATUSES = frozenset({TaskStatus.OPEN, TaskStatus.FILLED})
# Not yet completed or cancelled: the coordinators may still edit or cancel the task.
EDITABLE_TASK_STATUSES = frozenset({TaskStatus.DRAFT, TaskStatus.OPEN, TaskStatus.FILLED})


class AidTask(Timestamps):
    """A need posted by an organisation: a consultation session, a duty shift, a case."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="tasks", verbose_name=_("organisation")
    )
    title = models.CharField(_("title"), max_length=200)
    # max_length: the forms and the API refuse longer text (the column stays unbounded).
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=TaskKind.choices)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    beneficiary_group = models.CharField(_("beneficiary group"), max_length=32, choices=BeneficiaryGroup.choices)
    region = models.ForeignKey("organizations.Region", on_delete=models.PROTECT, verbose_name=_("region"))
    # Criminal defence only: the stage the aid covers, which prices its subsidy.
    criminal_stage = models.CharField(_("criminal stage"), max_length=16, choices=CriminalStage.choices, blank=True)
    location = models.CharField(_("location"), max_length=255, blank=True)
    is_remote = models.BooleanField(_("remote"), default=False)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    claim_deadline = models.DateTimeField(_("claim deadline"), null=True, blank=True)
    seats = models.PositiveIntegerField(_("seats"), default=1)
    # Accepted claims, kept in step by the claim services under the task's row lock.
    seats_taken = models.PositiveIntegerField(_("seats taken"), default=0)
    estimated_hours = models.DecimalField(_("estimated hours"), max_digits=6, decimal_places=2)
    eligible_kinds = models.JSONField(_("eligible provider kinds"), default=list, blank=True)
    requires_approval = models.BooleanField(_("requires approval"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.DRAFT)
    # The aided person's details, Fernet-encrypted JSON. Never logged, never in a list.
    confidential_ciphertext = models.TextField(blank=True, default="")
    # Words of the title and summary for search: Latin words lowercased, CJK text as
    # overlapping two-character grams, so a two-character word such as 欠薪 is one token.
    search_text = models.TextField(blank=True, default="", editable=False)
    cancel_reason = models.CharField(_("cancellation reason"), max_length=500, blank=True)
    created_by = acting_user(optional=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="marketplace_aidtask_seats_positive"),
            models.CheckConstraint(
                condition=Q(seats_taken__lte=models.F("seats")), name="marketplace_aidtask_not_oversold"
            ),
            models.CheckConstraint(
                condition=Q(estimated_hours__gt=0), name="marketplace_aidtask_estimated_hours_positive"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="marketplace_aidtask_ends_after_start"
            ),
        ]
        indexes = [
            # The board: open tasks by start time.
            models.Index(fields=["status", "starts_at"], name="marketplace_task_board_idx"),
            # A coordinator's desk: an organisation's tasks.
            models.Index(fields=["organization", "status"], name="marketplace_task_org_idx"),
        ]
        verbose_name = _("aid task")
        verbose_name_plural = _("aid tasks")

    def __str__(self) -> str:
        return self.title

    @property
    def seats_left(self) -> int:
        return max(self.seats - self.seats_taken, 0)

    @property
    def is_case(self) -> bool:
        return self.kind in CASE_KINDS

    @property
    def is_draft(self) -> bool:
        """Only the posting organisation sees it; publishing opens it on the board."""
        return self.status == TaskStatus.DRAFT

    @property
    def is_open(self) -> bool:
        """Published with a seat left."""
        return self.status == TaskStatus.OPEN

    @property
    def takes_claims(self) -> bool:
        """Open or filled: providers claim it (a filled task for the waiting list), a legal aid
        centre assigns it."""
        return self.status in CLAIMABLE_TASK_STATUSES

    @property
    def can_complete(self) -> bool:
        """A task completes while it takes claims (``task_complete`` also waits for its start);
        a case completes only by the centre's acceptance of its closing (marketplace.cases)."""
        return self.takes_claims and not self.is_case

    @property
    def is_editable(self) -> bool:
        """Neither completed nor cancelled: its coordinators may edit or cancel it."""
        return self.status in EDITABLE_TASK_STATUSES

    @property
    def case_in_progress(self) -> bool:
        """A case being handled: its handler records progress and files the closing."""
        return self.is_case and self.takes_claims

    @property
    def in_closing_review(self) -> bool:
        """A case whose closing report awaits the centre's review."""
        return self.status == TaskStatus.CLOSING_REVIEW


class ClaimStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    WAITLISTED = "waitlisted", _("Waitlisted")
    ACCEPTED = "accepted", _("Accepted")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


# The sets of claim statuses each rule speaks of; every layer asks them (or Claim's predicates).
# Live: a provider holds at most one of these per task (the unique index below).
LIVE_CLAIM_STATUSES = frozenset(
    {ClaimStatus.REQUESTED, ClaimStatus.WAITLISTED, ClaimStatus.ACCEPTED, ClaimStatus.COMPLETED}
)
# Live and not finished: the provider may withdraw it (or decline an assignment); cancelling or
# completing the task ends it.
UNFINISHED_CLAIM_STATUSES = frozenset({ClaimStatus.REQUESTED, ClaimStatus.WAITLISTED, ClaimStatus.ACCEPTED})
# Awaiting the coordinators' decision: accept or decline.
PENDING_CLAIM_STATUSES = frozenset({ClaimStatus.REQUESTED, ClaimStatus.WAITLISTED})
# Holding a seat of the task (completed claims keep theirs): the provider logs hours, confirms
# having no conflict of interest and sees the aided person.
HELD_CLAIM_STATUSES = frozenset({ClaimStatus.ACCEPTED, ClaimStatus.COMPLETED})


class Claim(Decided, Timestamps):
    """A provider's claim on a task, or an assignment (指派) made by a legal aid centre."""

    task = models.ForeignKey(AidTask, on_delete=models.PROTECT, related_name="claims")
    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.PROTECT, related_name="claims")
    status = models.CharField(_("status"), max_length=16, choices=ClaimStatus.choices)
    is_assignment = models.BooleanField(_("assignment"), default=False)
    assigned_by = acting_user(optional=True)
    # Why it was withdrawn, declined or cancelled; for a declined assignment, the provider's reason.
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    declined_by_provider = models.BooleanField(default=False)
    no_conflict_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "volunteer"],
                # In ClaimStatus's order, so that the migration state stays the same.
                condition=Q(status__in=[s.value for s in ClaimStatus if s in LIVE_CLAIM_STATUSES]),
                name="marketplace_claim_one_live_per_provider",
            ),
        ]
        indexes = [
            # Promotion picks the oldest waitlisted claim of a task; seat counts read accepted ones.
            models.Index(fields=["task", "status", "created_at"], name="marketplace_claim_task_idx"),
            # "My tasks" and the overlap check read a provider's live claims.
            models.Index(fields=["volunteer", "status"], name="marketplace_claim_vol_idx"),
        ]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")

    def __str__(self) -> str:
        return f"{self.volunteer} → {self.task} ({self.status})"

    @property
    def awaits_decision(self) -> bool:
        """Requested or waitlisted: the task's coordinators accept or decline it."""
        return self.status in PENDING_CLAIM_STATUSES

    @property
    def can_decline_assignment(self) -> bool:
        """A current assignment (指派): its provider declines it with a reason, never withdraws it."""
        return self.is_assignment and self.status == ClaimStatus.ACCEPTED

    @property
    def can_withdraw(self) -> bool:
        """Its provider may withdraw it: live and unfinished, and not a current assignment."""
        return self.status in UNFINISHED_CLAIM_STATUSES and not self.can_decline_assignment

    @property
    def can_log_hours(self) -> bool:
        """Accepted or completed: its provider logs hours worked on the task."""
        return self.status in HELD_CLAIM_STATUSES

    @property
    def can_reveal(self) -> bool:
        """Accepted or completed: its provider may confirm having no conflict of interest and
        then see the aided person's details."""
        return self.status in HELD_CLAIM_STATUSES


class ConfidentialAccess(Reveal):
    """One reveal of a task's confidential details: who saw them, when."""

    task = models.ForeignKey(AidTask, on_delete=models.CASCADE, related_name="confidential_accesses")
    via = models.CharField(max_length=32, blank=True)
