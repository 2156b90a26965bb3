"""Case subsidies (办案补贴, Legal Aid Law Art. 52): what the legal aid agency pays for a closed
case or a served duty shift.

The justice bureau sets a schedule per year and region (``SubsidySchedule``, its rates by case
kind and criminal stage in ``SubsidyRate``). A schedule is never edited: a correction is a new
version of the same year and region. A line is created when the centre accepts a case's closing
(duties.receivers, on ``case_closed``) or when a duty shift is served, and priced at once from
the version in force; it keeps that version, so ``subsidy_recompute`` can prove its amount. A
paid line is never changed, only reversed by a line of the opposite amount.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.cases.models import QualityGrade
from marketplace.core.fields import acting_user
from marketplace.core.text import choice_label
from marketplace.models import CriminalStage, TaskKind

MONEY = {"max_digits": 12, "decimal_places": 2}
CENT = Decimal("0.01")


class SubsidyKind(models.TextChoices):
    CASE = "case", _("Case")
    DUTY_SHIFT = "duty_shift", _("Duty-lawyer shift")


class SubsidyStatus(models.TextChoices):
    UNPRICED = "unpriced", _("Not priced yet")
    PRICED = "priced", _("Priced, awaiting payment")
    BATCHED = "batched", _("In a payment batch")
    PAID = "paid", _("Paid")


# The rates a schedule may set, (case kind, criminal stage), in the order forms show them; a
# criminal rate without a stage prices criminal matters whose stage was not recorded.
RATE_KEYS = [
    ("civil_representation", ""),
    ("administrative_representation", ""),
    ("state_compensation", ""),
    ("victim_representation", ""),
    ("mediation_arbitration", ""),
    ("criminal_defense", "investigation"),
    ("criminal_defense", "prosecution"),
    ("criminal_defense", "trial"),
    ("criminal_defense", ""),
]

# Lines the centre may still (re)price from a schedule: nothing promised to a payee yet.
REPRICEABLE_STATUSES = frozenset({SubsidyStatus.UNPRICED, SubsidyStatus.PRICED})


class QualityMultipliers(models.Model):
    """Abstract: the quality multipliers of a schedule, by the case's grade."""

    multiplier_excellent = models.DecimalField(_("multiplier: excellent"), max_digits=4, decimal_places=2)
    multiplier_good = models.DecimalField(_("multiplier: good"), max_digits=4, decimal_places=2)
    multiplier_pass = models.DecimalField(_("multiplier: pass"), max_digits=4, decimal_places=2)
    multiplier_fail = models.DecimalField(_("multiplier: fail"), max_digits=4, decimal_places=2)

    class Meta:
        abstract = True

    def multiplier(self, grade: str) -> Decimal:
        """The multiplier of ``grade``; a case without a grade is paid at 1."""
        return getattr(self, f"multiplier_{grade}", None) if grade else Decimal("1.00")


class SubsidySchedule(QualityMultipliers):
    """One version of the subsidy standard of a year and region, set by its justice bureau."""

    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey("organizations.Region", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("version"))
    duty_half_day = models.DecimalField(_("per duty half-day"), **MONEY)
    travel_supplement = models.DecimalField(_("travel supplement"), **MONEY, default=Decimal("0.00"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    created_by = acting_user(outlives_user=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-year", "region_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "region", "version"], name="subsidies_schedule_unique_version"),
            models.CheckConstraint(
                condition=Q(duty_half_day__gte=0) & Q(travel_supplement__gte=0),
                name="subsidies_schedule_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(multiplier_excellent__gte=0)
                & Q(multiplier_good__gte=0)
                & Q(multiplier_pass__gte=0)
                & Q(multiplier_fail__gte=0),
                name="subsidies_schedule_multipliers_not_negative",
            ),
        ]
        verbose_name = _("subsidy schedule")
        verbose_name_plural = _("subsidy schedules")

    def __str__(self) -> str:
        return f"{self.year} {self.region_id} v{self.version}"

    def rate(self, kind: str, stage: str) -> Decimal | None:
        """The amount per case of ``kind`` at ``stage`` ("" for matters without stages)."""
        for rate in self.rates.all():
            if rate.kind == kind and rate.stage == stage:
                return rate.amount
        return None


class SubsidyRate(models.Model):
    """The amount per case of one kind (and, for criminal matters, one stage) in a schedule."""

    schedule = models.ForeignKey(SubsidySchedule, on_delete=models.PROTECT, related_name="rates")
    kind = models.CharField(_("kind"), max_length=32)
    stage = models.CharField(_("stage"), max_length=16, choices=CriminalStage.choices, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        ordering = ["kind", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "kind", "stage"], name="subsidies_rate_unique_kind_stage"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="subsidies_rate_amount_not_negative"),
        ]
        verbose_name = _("subsidy rate")
        verbose_name_plural = _("subsidy rates")

    @property
    def kind_label(self) -> str:
        """The case kind in words (民事案件代理); the code when it is not a kind of today."""
        return choice_label(TaskKind, self.kind)


class BatchStatus(models.TextChoices):
    OPEN = "open", _("Awaiting payment")
    PAID = "paid", _("Paid")


class SubsidyBatch(models.Model):
    """Priced lines of one centre handed to its finance office for payment."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=8, choices=BatchStatus.choices, default=BatchStatus.OPEN)
    total = models.DecimalField(_("total"), **MONEY)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = acting_user(outlives_user=True)
    created_at = models.DateTimeField()
    paid_by = acting_user(optional=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("subsidy batch")
        verbose_name_plural = _("subsidy batches")

    @property
    def is_paid(self) -> bool:
        return self.status == BatchStatus.PAID


class SubsidyLine(models.Model):
    """One subsidy owed for one closed case or one served shift, to its handler (or their firm).

    The inputs of the price (kind, stage, grade, half-days, travel) and the schedule version are
    kept on the line, so the amount is always ``subsidy_amount(schedule, inputs)``."""

    task = models.ForeignKey(
        "marketplace.AidTask",
        on_delete=models.PROTECT,
        related_name="subsidy_lines",
        verbose_name=_("case"),
        null=True,
        blank=True,
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", on_delete=models.PROTECT, related_name="subsidy_lines", verbose_name=_("provider")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SubsidyKind.choices)
    # The paying centre and where the work was done (the schedule's region is matched against it).
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    region = models.ForeignKey("organizations.Region", on_delete=models.PROTECT, related_name="+", null=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True)
    # Inputs of the price.
    case_kind = models.CharField(_("case kind"), max_length=32, blank=True)
    stage = models.CharField(_("stage"), max_length=16, choices=CriminalStage.choices, blank=True)
    grade = models.CharField(_("quality"), max_length=16, blank=True)
    half_days = models.PositiveSmallIntegerField(_("half-days"), default=0)
    travel = models.BooleanField(_("travel supplement"), default=False)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    # The price.
    schedule = models.ForeignKey(SubsidySchedule, on_delete=models.PROTECT, related_name="lines", null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=SubsidyStatus.choices, default=SubsidyStatus.UNPRICED)
    # Who is paid: the provider's law firm, or the provider when this is null.
    payee_org = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, related_name="reversed_by", null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    batch = models.ForeignKey(SubsidyBatch, on_delete=models.PROTECT, related_name="lines", null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # A case is subsidised once, however often its closing is reviewed (reversals aside).
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(kind="case", reverses__isnull=True),
                name="subsidies_subsidyline_one_per_case",
            ),
            # A served shift is subsidised once: the roster's reference of the shift.
            models.UniqueConstraint(
                fields=["reference"],
                condition=Q(kind="duty_shift", reverses__isnull=True),
                name="subsidies_subsidyline_one_per_shift",
            ),
            # Only a reversal is negative.
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0) | Q(reverses__isnull=False),
                name="subsidies_subsidyline_amount_not_negative",
            ),
            # A priced line has its amount and the schedule it was priced with (reversals: the
            # reversed line's).
            models.CheckConstraint(
                condition=Q(status="unpriced", amount__isnull=True) | (~Q(status="unpriced") & Q(amount__isnull=False)),
                name="subsidies_subsidyline_priced_has_amount",
            ),
        ]
        indexes = [
            # The centre's list of lines to price, oldest first.
            models.Index(fields=["status", "created_at"], name="subsidies_line_status_idx"),
            # The centre's lines of a year (its list and the lines it may batch).
            models.Index(fields=["organization", "year", "status"], name="subsidies_line_org_year_idx"),
        ]
        verbose_name = _("subsidy line")
        verbose_name_plural = _("subsidy lines")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} → {self.volunteer_id}"

    @property
    def is_paid(self) -> bool:
        return self.status == SubsidyStatus.PAID

    @property
    def can_reprice(self) -> bool:
        return self.status in REPRICEABLE_STATUSES and self.reverses_id is None

    @property
    def can_batch(self) -> bool:
        return self.status == SubsidyStatus.PRICED and self.batch_id is None

    @property
    def grade_label(self) -> str:
        """The closing's quality in words (优秀); empty for a line without one (a duty shift)."""
        return choice_label(QualityGrade, self.grade)
