"""Case subsidies (办案补贴, Legal Aid Law Art. 52): what the legal aid agency pays for a closed case.

A line is created, unpriced, when the centre accepts a case's closing (duties.receivers, on
``case_closed``). Pricing by the province's schedule (by kind, stage and quality) comes later:
``amount`` stays NULL and ``status`` ``unpriced`` until then.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SubsidyKind(models.TextChoices):
    CASE = "case", _("Case")


class SubsidyStatus(models.TextChoices):
    UNPRICED = "unpriced", _("Not priced yet")


class SubsidyLine(models.Model):
    """One subsidy owed for one closed case, to its lead handler."""

    task = models.ForeignKey(
        "marketplace.AidTask", on_delete=models.PROTECT, related_name="subsidy_lines", verbose_name=_("case")
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", on_delete=models.PROTECT, related_name="subsidy_lines", verbose_name=_("provider")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SubsidyKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=SubsidyStatus.choices, default=SubsidyStatus.UNPRICED)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # A case is subsidised once, however often its closing is reviewed.
            models.UniqueConstraint(
                fields=["task"], condition=Q(kind="case"), name="subsidies_subsidyline_one_per_case"
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="subsidies_subsidyline_amount_not_negative"
            ),
        ]
        indexes = [
            # The centre's list of lines to price, oldest first.
            models.Index(fields=["status", "created_at"], name="subsidies_line_status_idx"),
        ]
        verbose_name = _("subsidy line")
        verbose_name_plural = _("subsidy lines")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.task_id} → {self.volunteer_id}"
