"""Complaints about a legal aid matter or a provider (Legal Aid Law Art. 57-59).

Anyone may complain to the justice bureau, which investigates and tells the complainant the
result. A complaint is about a task (a case) or a provider, or both; it belongs to the region of
the task, else the provider's, and the justice bureaus whose jurisdiction covers that region
handle it within ``due``.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.core.fields import HistoryEvent, Timestamps, acting_user

# The public form's size limits: a complaint is a page of text, not a file.
SUBJECT_MAX = 200
TEXT_MAX = 5000
CONTACT_MAX = 200
FINDING_MAX = 5000
ACTION_MAX = 2000


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Awaiting investigation")
    INVESTIGATING = "investigating", _("Under investigation")
    RESOLVED = "resolved", _("Resolved")


# The bureau has still to record its finding: the due date runs, and ``overdue`` may be true.
OPEN_COMPLAINT_STATUSES = frozenset({ComplaintStatus.RECEIVED, ComplaintStatus.INVESTIGATING})


def _complained_of(model: str, verbose_name) -> models.ForeignKey:
    """What a complaint is about: a task, a provider, or both (the constraint below wants one), so
    each is optional; a task or provider complained of is never deleted."""
    return models.ForeignKey(
        model, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints", verbose_name=verbose_name
    )


class Complaint(Timestamps):
    """One complaint, from filing to the bureau's finding."""

    # The tracking code the complainant keeps: 80 random bits, printed ABCD-EFGH-IJKL-MNOP, always
    # with a letter, so that it is never read as a complaint's id (services.new_tracking_code).
    code = models.CharField(_("tracking code"), max_length=19, unique=True)
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX)
    task = _complained_of("marketplace.AidTask", _("task"))
    volunteer = _complained_of("volunteers.Volunteer", _("provider"))
    text = models.TextField(_("complaint"), max_length=TEXT_MAX)
    # The complainant's contact (phone, email, address), Fernet-encrypted JSON: for the bureau only.
    contact_ciphertext = models.TextField(blank=True, default="")
    filed_by = acting_user(optional=True)
    region = models.ForeignKey("organizations.Region", on_delete=models.PROTECT, verbose_name=_("region"))
    filed_at = models.DateTimeField(_("filed at"))
    # The last day on which the finding is on time (COMPLAINT_DUE_DAYS after filing).
    due = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=16, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    investigation_started_at = models.DateTimeField(null=True, blank=True)
    investigated_by = acting_user(optional=True)
    finding = models.TextField(_("finding"), max_length=FINDING_MAX, blank=True)
    action = models.TextField(_("action taken"), max_length=ACTION_MAX, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = acting_user(optional=True)
    resolved_by_org = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(task__isnull=False) | Q(volunteer__isnull=False),
                name="complaints_complaint_has_subject",
            ),
            models.CheckConstraint(
                condition=~Q(status="resolved") | (Q(resolved_at__isnull=False) & ~Q(finding="")),
                name="complaints_complaint_resolved_has_finding",
            ),
        ]
        indexes = [
            # The bureau's desk: its region's open complaints by due date.
            models.Index(fields=["region", "status", "due"], name="complaints_desk_idx"),
            # A provider's page for regulators: the complaints against the provider.
            models.Index(fields=["volunteer", "filed_at"], name="complaints_volunteer_idx"),
        ]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        """The bureau has not yet recorded its finding."""
        return self.status in OPEN_COMPLAINT_STATUSES

    @property
    def can_start(self) -> bool:
        """Received: the bureau may take it up (start the investigation)."""
        return self.status == ComplaintStatus.RECEIVED

    @property
    def can_resolve(self) -> bool:
        """Received or under investigation: the bureau may record its finding."""
        return self.is_open


class ComplaintEventKind(models.TextChoices):
    FILED = "filed", _("Complaint filed")
    INVESTIGATION_STARTED = "investigation_started", _("Investigation started")
    RESOLVED = "resolved", _("Finding recorded")


class ComplaintEvent(HistoryEvent):
    """The complaint's history: who did what, when."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=ComplaintEventKind.choices)
