from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duties.ledger import LEDGER_HASH_VERSION
from marketplace.core.fields import Decided, acting_user
from marketplace.core.text import choice_label
from marketplace.models import CASE_KINDS, TaskKind


class HourLogStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class HourLog(Decided):
    """Hours a provider worked on one day for one accepted claim, awaiting confirmation."""

    claim = models.ForeignKey("marketplace.Claim", on_delete=models.PROTECT, related_name="hour_logs")
    # Denormalised from the claim: the daily 8-hour check and the lists filter on it.
    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.PROTECT, related_name="hour_logs")
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    confirmed_hours = models.DecimalField(_("confirmed hours"), max_digits=5, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    comment = models.CharField(_("comment"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=HourLogStatus.choices, default=HourLogStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="duties_hourlog_hours_positive"),
            models.CheckConstraint(
                condition=Q(confirmed_hours__isnull=True) | Q(confirmed_hours__gt=0),
                name="duties_hourlog_confirmed_positive",
            ),
        ]
        indexes = [
            # The daily total across a provider's claims (8-hour rule).
            models.Index(fields=["volunteer", "date"], name="duties_hourlog_vol_date_idx"),
            models.Index(fields=["status", "created_at"], name="duties_hourlog_status_idx"),
        ]
        verbose_name = _("hour log")
        verbose_name_plural = _("hour logs")

    @property
    def awaits_decision(self) -> bool:
        """Pending: a coordinator of the task's organisation confirms or declines it."""
        return self.status == HourLogStatus.PENDING


class EntryKind(models.TextChoices):
    HOURS = "hours", _("Hours")
    CASE = "case", _("Case")
    REVERSAL = "reversal", _("Reversal")
    ADJUSTMENT = "adjustment", _("Adjustment")


class CreditKind(models.TextChoices):
    """What kind of work a ledger credit was: what a duty rule counts or leaves out.

    Derived from the task's kind in one place (``credit_kind_for``): hours worked on a case and
    the case itself are ``case``; a reversal carries the kind of the entry it reverses.
    """

    CASE = "case", _("Case handling")
    CONSULTATION = "consultation", _("Consultation")
    DOCUMENT = "document", _("Document drafting")
    DUTY_SHIFT = "duty_shift", _("Duty-lawyer legal help")
    OUTREACH = "outreach", _("Public legal education")
    COMMUNITY_MEDIATION = "community_mediation", _("Community mediation")


# The forms of legal aid (Art. 22): what a duty rule counts unless it says otherwise. Public
# legal education and community mediation are public legal service: recorded, not counted.
LEGAL_AID_CREDIT_KINDS = (CreditKind.CASE, CreditKind.CONSULTATION, CreditKind.DOCUMENT, CreditKind.DUTY_SHIFT)
CREDIT_KIND_OF_TASK = {
    TaskKind.CONSULTATION: CreditKind.CONSULTATION,
    TaskKind.DOCUMENT_DRAFTING: CreditKind.DOCUMENT,
    TaskKind.DUTY_SHIFT: CreditKind.DUTY_SHIFT,
    TaskKind.OUTREACH: CreditKind.OUTREACH,
    TaskKind.COMMUNITY_MEDIATION: CreditKind.COMMUNITY_MEDIATION,
    **dict.fromkeys(CASE_KINDS, CreditKind.CASE),
}


def credit_kind_for(task_kind: str) -> str:
    """The credit kind of work on a task of ``task_kind``: the only place this is decided."""
    return CREDIT_KIND_OF_TASK[task_kind]


def credit_kinds_text(kinds) -> str:
    """A set of credit kinds as a rule stores it: ``,case,consultation,`` (sorted, each between
    commas, so that SQL finds ``,<kind>,`` in it with one string search on every database)."""
    return "," + ",".join(sorted({str(kind) for kind in kinds})) + ","


def credit_kinds_of(text: str) -> list[str]:
    """The credit kinds a rule's stored text names, in ``CreditKind``'s order."""
    named = set(text.strip(",").split(","))
    return [kind.value for kind in CreditKind if kind.value in named]


DEFAULT_COUNTED_TEXT = credit_kinds_text(LEGAL_AID_CREDIT_KINDS)


class LedgerIsAppendOnly(Exception):
    """Raised on any attempt to change or remove a ledger row through the ORM."""


class DutyEntryQuerySet(models.QuerySet):
    # The ledger is append-only: bulk changes are refused like single ones. Corrections are
    # reversing entries (duties.services.entry_reverse).
    def update(self, **kwargs):
        raise LedgerIsAppendOnly("Duty entries are never updated.")

    def delete(self):
        raise LedgerIsAppendOnly("Duty entries are never deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise LedgerIsAppendOnly("Duty entries are never updated.")


class DutyEntry(models.Model):
    """One appended row of the duty ledger. Never updated, never deleted.

    ``hash`` is the SHA-256 of the row's canonical content and ``prev_hash``: editing,
    deleting or reordering any row breaks the chain from that row on. Rows are written only
    by ``duties.services`` (``ledger_append``); on PostgreSQL a trigger refuses UPDATE and
    DELETE on the table as well.
    """

    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.PROTECT, related_name="duty_entries")
    year = models.PositiveSmallIntegerField(_("year"))
    occurred_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2, default=0)
    cases = models.IntegerField(_("cases"), default=0)
    hour_log = models.ForeignKey(HourLog, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    claim = models.ForeignKey("marketplace.Claim", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reverses = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversals")
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    # What kind of work was credited (``credit_kind_for`` the task's kind); rules count by it.
    credit_kind = models.CharField(_("credit kind"), max_length=24, choices=CreditKind.choices, blank=True)
    # Which canonical form the hash covers (duties.ledger): 1 before credit kinds, then 2.
    hash_version = models.PositiveSmallIntegerField(default=LEDGER_HASH_VERSION)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = DutyEntryQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            # A confirmed hour log is credited once; a completed case claim once; an entry
            # is reversed at most once.
            models.UniqueConstraint(
                fields=["hour_log"], condition=Q(kind="hours"), name="duties_dutyentry_one_credit_per_log"
            ),
            models.UniqueConstraint(
                fields=["claim"], condition=Q(kind="case"), name="duties_dutyentry_one_case_per_claim"
            ),
            models.UniqueConstraint(
                fields=["reverses"], condition=Q(kind="reversal"), name="duties_dutyentry_one_reversal_per_entry"
            ),
            # Every row hashed with its credit kind has one (older rows got theirs by migration).
            models.CheckConstraint(
                condition=Q(hash_version=1) | ~Q(credit_kind=""), name="duties_dutyentry_credit_kind_recorded"
            ),
        ]
        indexes = [
            # Progress and reports sum a provider's entries for a year.
            models.Index(fields=["volunteer", "year"], name="duties_entry_vol_year_idx"),
        ]
        verbose_name = _("duty entry")
        verbose_name_plural = _("duty entries")

    def save(self, *args, **kwargs):
        if not self._state.adding or self.pk is not None:
            raise LedgerIsAppendOnly("Duty entries are never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerIsAppendOnly("Duty entries are never deleted.")


class SatisfiedBy(models.TextChoices):
    ANY = "any", _("Any (hours or cases)")
    ALL = "all", _("All (hours and cases)")


class DutyRule(models.Model):
    """The yearly quota for one kind of provider in one region; the most specific region wins."""

    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey("organizations.Region", on_delete=models.PROTECT, verbose_name=_("region"))
    volunteer_kind = models.CharField(_("provider kind"), max_length=32)
    min_hours = models.DecimalField(_("minimum hours"), max_digits=6, decimal_places=2, default=0)
    min_cases = models.PositiveIntegerField(_("minimum cases"), default=0)
    satisfied_by = models.CharField(
        _("satisfied by"), max_length=8, choices=SatisfiedBy.choices, default=SatisfiedBy.ANY
    )
    # Lawyers licensed during the year are exempt that year (annual assessment practice).
    exempt_if_licensed_in_year = models.BooleanField(_("exempt if licensed during the year"), default=True)
    # The credit kinds whose hours and cases count, as ``credit_kinds_text`` writes them: by
    # default the forms of legal aid; public legal service only where the rule says so.
    credit_kinds = models.CharField(_("credit kinds counted"), max_length=200, default=DEFAULT_COUNTED_TEXT)
    created_by = acting_user(optional=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "region", "volunteer_kind"]
        constraints = [
            models.UniqueConstraint(fields=["year", "region", "volunteer_kind"], name="duties_dutyrule_unique_scope"),
            models.CheckConstraint(condition=Q(min_hours__gte=0), name="duties_dutyrule_hours_nonnegative"),
        ]
        verbose_name = _("duty rule")
        verbose_name_plural = _("duty rules")

    @property
    def counted_kinds(self) -> list[str]:
        """The credit kinds this rule counts, in ``CreditKind``'s order."""
        return credit_kinds_of(self.credit_kinds)


class ReviewStatus(models.TextChoices):
    # "Open" of a review (待审核) is not "Open" of a task (开放中): the context tells them apart.
    OPEN = "open", pgettext_lazy("review status", "Open")
    COMPLIANT = "compliant", pgettext_lazy("review status", "Compliant")
    DEFICIENT = "deficient", pgettext_lazy("review status", "Deficient")
    EXEMPT = "exempt", pgettext_lazy("review status", "Exempt")


# What a regulator may decide an open review to be; a decided review locks the provider's year.
DECIDED_REVIEW_STATUSES = frozenset({ReviewStatus.COMPLIANT, ReviewStatus.DEFICIENT, ReviewStatus.EXEMPT})
# The decisions that carry a certificate (its code is drawn when the review is decided).
CERTIFIED_REVIEW_STATUSES = frozenset({ReviewStatus.COMPLIANT, ReviewStatus.EXEMPT})

# The decisions as choices, in ReviewStatus's order, for the API and the pages.
DECISION_CHOICES = [(status.value, status.label) for status in ReviewStatus if status in DECIDED_REVIEW_STATUSES]


class ProgressStatus(models.TextChoices):
    """A provider's progress against the quota of a year; computed (``duties.selectors``), not stored."""

    MET = "met", _("Met")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    EXEMPT = "exempt", _("Exempt")


# The words of a progress status once its year has ended: the year's outcome (DOMAIN: 达标 /
# 未达标 / 免除). "Behind" (进度滞后) and "on track" speak of a year still running.
ENDED_YEAR_PROGRESS_LABELS = {
    ProgressStatus.MET: _("Met"),
    ProgressStatus.ON_TRACK: _("Not met"),
    ProgressStatus.BEHIND: _("Not met"),
    ProgressStatus.EXEMPT: _("Exempt"),
}


def progress_label(status: str, *, year_ended: bool) -> str:
    """The words for a progress status: of a running year, or of one that has ended."""
    if year_ended and status in ENDED_YEAR_PROGRESS_LABELS:
        return str(ENDED_YEAR_PROGRESS_LABELS[status])
    return choice_label(ProgressStatus, status)


class ExemptReason(models.TextChoices):
    """Why a provider's progress is exempt (``Progress.exempt_reason``): codes, not shown as words."""

    NO_RULE = "no_rule"
    LICENSED_IN_YEAR = "licensed_in_year"
    REVIEW_EXEMPT = "review_exempt"


class AnnualReview(Decided):
    """A regulator's decision on one provider's duty for one year (年度考核)."""

    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.PROTECT, related_name="reviews")
    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey("organizations.Region", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    rule = models.ForeignKey(DutyRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=2, null=True, blank=True)
    cases = models.IntegerField(_("cases"), null=True, blank=True)
    ledger_head_hash = models.CharField(max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    opened_by = acting_user(outlives_user=True)
    opened_at = models.DateTimeField()
    # A year is reviewed after it ends; opening it before is a recorded choice with its reason.
    opened_early = models.BooleanField(_("opened before the year ended"), default=False)
    open_reason = models.CharField(_("reason for opening"), max_length=500, blank=True)
    decided_by_org = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    certificate_code = models.CharField(max_length=32, null=True, blank=True, unique=True)
    # 编号: the issuing body's abbreviation, the year and its sequence, e.g. 常律协证〔2025〕第0001号
    # (drawn with the code when the review is decided: ``duties.services.next_certificate_number``).
    certificate_number = models.CharField(_("certificate number"), max_length=64, null=True, blank=True, unique=True)
    certificate_revoked_at = models.DateTimeField(null=True, blank=True)
    certificate_revoke_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)

    class Meta:
        ordering = ["year", "volunteer_id"]
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "year"], name="duties_annualreview_one_per_year"),
            models.CheckConstraint(
                condition=Q(opened_early=False) | ~Q(open_reason=""), name="duties_annualreview_early_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["year", "status"], name="duties_review_year_status_idx"),
        ]
        verbose_name = _("annual review")
        verbose_name_plural = _("annual reviews")

    @property
    def is_open(self) -> bool:
        """Not decided yet: a regulator of its region decides it."""
        return self.status == ReviewStatus.OPEN

    @property
    def has_certificate(self) -> bool:
        """Decided compliant or exempt, with its code (revoked or not)."""
        return bool(self.certificate_code) and self.status in CERTIFIED_REVIEW_STATUSES

    @property
    def certificate_is_valid(self) -> bool:
        """A certificate that has not been revoked: its PDF can be downloaded."""
        return self.has_certificate and self.certificate_revoked_at is None


class CertificateSequence(models.Model):
    """The last certificate number an issuing body gave in a year; read and bumped under a row lock."""

    issuer = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year"], name="duties_certificatesequence_one_per_issuer_year"),
        ]
        verbose_name = _("certificate number sequence")
        verbose_name_plural = _("certificate number sequences")


class VolunteerServiceRecord(models.Model):
    """A volunteer service record (志愿服务记录证明) as issued to a law student or citizen volunteer.

    What the PDF said is kept (hours by month, organisations served) with its verification code,
    so ``/verify/{code}/`` shows the record as issued, whatever the ledger says later.
    """

    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.PROTECT, related_name="service_records")
    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(max_length=32, unique=True)
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=2)
    # [[month, "hours"], ...] for the months with service, and the organisations' names.
    months = models.JSONField(default=list)
    organizations = models.JSONField(default=list)
    issued_at = models.DateTimeField()
    issued_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("volunteer service record")
        verbose_name_plural = _("volunteer service records")
