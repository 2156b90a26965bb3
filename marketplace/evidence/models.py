"""Evidence requests (调查取证): the handler of a case asks a government department (police,
archives, land, housing, health, labour arbitration) for materials, with a letter from the legal
aid organisation; the department provides them free of charge or refuses with a reason.

The 2004 Changzhou opinion asks these departments to help collect evidence and provide evidence
materials free of charge; Legal Aid Law Art. 53 and local rules waive the fees.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.core.fields import Timestamps, acting_user, done_late

MAX_ITEMS = 20
ITEM_MAX = 200
PURPOSE_MAX = 1000
NOTE_MAX = 2000


class EvidenceStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the department")
    PROVIDED = "provided", _("Provided")
    REFUSED = "refused", _("Not provided")


class EvidenceRequest(Timestamps):
    """One request for materials, from the letter to the department's answer."""

    task = models.ForeignKey(
        "marketplace.AidTask", on_delete=models.PROTECT, related_name="evidence_requests", verbose_name=_("case")
    )
    department = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="evidence_requests",
        verbose_name=_("department"),
    )
    # The handler who asked (the provider holding the accepted claim on the case, then).
    handler = models.ForeignKey(
        "volunteers.Volunteer", on_delete=models.PROTECT, related_name="evidence_requests", verbose_name=_("handler")
    )
    requested_by = acting_user()
    # The organisation whose letter it is (the case's: the legal aid centre that assigned it), and
    # the letter's number, 常援调〔2026〕第0001号: its per-year sequence.
    issuer = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("letter number"), max_length=40)
    number_year = models.PositiveIntegerField()
    number_sequence = models.PositiveIntegerField()
    items = models.JSONField(_("materials asked for"), default=list)
    purpose = models.TextField(_("purpose"), max_length=PURPOSE_MAX)
    requested_at = models.DateTimeField(_("requested at"))
    # The last day on which the answer is on time (EVIDENCE_DUE_DAYS after the request).
    due = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=16, choices=EvidenceStatus.choices, default=EvidenceStatus.PENDING
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = acting_user(optional=True, on_delete=models.PROTECT)
    note = models.TextField(_("note"), max_length=NOTE_MAX, blank=True)
    # Whether the department waived its fees (null until it provides the materials).
    fee_waived = models.BooleanField(_("fee waived"), null=True, blank=True)
    # Copies of the materials the department filed into the case (marketplace.cases): the handler
    # and the centre read them with the case's documents.
    documents = models.ManyToManyField(
        "cases.CaseDocument", blank=True, related_name="evidence_requests", verbose_name=_("documents")
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "number_year", "number_sequence"], name="evidence_evidencerequest_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(answered_at__isnull=False),
                name="evidence_evidencerequest_answered_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(note=""),
                name="evidence_evidencerequest_refusal_has_reason",
            ),
        ]
        indexes = [
            # The department's queue: its requests by status and due day.
            models.Index(fields=["department", "status", "due"], name="evidence_department_idx"),
            # The handler's own requests, and a case's.
            models.Index(fields=["handler", "requested_at"], name="evidence_handler_idx"),
            models.Index(fields=["task", "requested_at"], name="evidence_task_idx"),
        ]
        verbose_name = _("evidence request")
        verbose_name_plural = _("evidence requests")

    def __str__(self) -> str:
        return self.number

    @property
    def is_pending(self) -> bool:
        """Awaiting the department's answer: its coordinators provide or refuse."""
        return self.status == EvidenceStatus.PENDING

    @property
    def takes_documents(self) -> bool:
        """Not refused: the department files copies of the materials (before or with its answer)."""
        return self.status != EvidenceStatus.REFUSED

    @property
    def answered_late(self) -> bool:
        return done_late(self.answered_at, self.due)
