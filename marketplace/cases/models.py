"""A case from assignment to closing (Legal Aid Law Art. 46-50, 57): what the handler and the
centre record about one case task.

- ``Milestone``: progress (met the client, filed, hearing, judgment or agreement, other), from the
  handler, or the aided person's report recorded by the centre (Art. 46).
- ``CaseDocument``: a PDF, JPEG or PNG filed to the case, stored under a random name.
- ``ClosingReport``: the handler's closing report (结案报告) with the documents it files (Art. 50);
  ``ClosingReview``: the centre's acceptance or return of it.
- ``Termination``: the centre's decision to end the aid on an Art. 48 ground.
- ``Evaluation``: a quality evaluation of the case by the centre or the justice bureau (Art. 57).
"""

import uuid

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _

from marketplace.core.fields import acting_user, done_late


class MilestoneKind(models.TextChoices):
    MET_CLIENT = "met_client", _("Met the client")
    FILED = "filed", _("Filed with the court or agency")
    HEARING = "hearing", _("Hearing")
    JUDGMENT = "judgment", _("Judgment or award")
    AGREEMENT = "agreement", _("Agreement or mediation settlement")
    OTHER = "other", _("Other progress")


# The matter ends with these (Art. 50: the closing is due within the set time after it ends).
MATTER_END_KINDS = frozenset({MilestoneKind.JUDGMENT, MilestoneKind.AGREEMENT})


class MilestoneSource(models.TextChoices):
    HANDLER = "handler", _("The handler")
    # Art. 46: the aided person reports on the case; the centre records what they said.
    AIDED_PERSON = "aided_person", _("The aided person")


class Milestone(models.Model):
    task = models.ForeignKey("marketplace.AidTask", on_delete=models.PROTECT, related_name="milestones")
    kind = models.CharField(_("kind"), max_length=16, choices=MilestoneKind.choices)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), max_length=2000, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=MilestoneSource.choices)
    recorded_by = acting_user()
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["date", "id"]
        indexes = [
            # A case's progress, and its last milestone on the centre's list.
            models.Index(fields=["task", "date"], name="cases_milestone_task_idx"),
        ]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")


class _DocumentsStorage(LazyObject):
    """``settings.STORAGES["documents"]``, looked up when first used (and again after a test
    changes STORAGES), as Django's ``default_storage`` is."""

    def _setup(self):
        self._wrapped = storages["documents"]


_documents_storage = _DocumentsStorage()


def documents_storage():
    """The ``documents`` storage: local disk or an S3-compatible store (settings.DOCUMENTS_STORAGE)."""
    return _documents_storage


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs) -> None:
    if setting == "STORAGES":
        _documents_storage._wrapped = empty


def document_name(instance: "CaseDocument", filename: str) -> str:
    """A random name under the upload's year: nothing about the case, the person or the file's
    own name can be read or guessed from it. The extension is the one its content proved."""
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(instance.content_type, "bin")
    return f"{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"


class CaseDocument(models.Model):
    """A copy of a legal document filed to a case. Never changed: a closing that filed it keeps it."""

    task = models.ForeignKey("marketplace.AidTask", on_delete=models.PROTECT, related_name="documents")
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=32)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.FileField(storage=documents_storage, upload_to=document_name, max_length=200)
    uploaded_by = acting_user()
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["uploaded_at", "id"]
        indexes = [
            # A case's documents in upload order.
            models.Index(fields=["task", "uploaded_at"], name="cases_document_task_idx"),
        ]
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")

    def __str__(self) -> str:
        return self.name


class ClosingOutcome(models.TextChoices):
    SUPPORTED = "supported", _("Claims supported")
    PARTLY_SUPPORTED = "partly_supported", _("Claims partly supported")
    SETTLED = "settled", _("Settled or mediated")
    NOT_SUPPORTED = "not_supported", _("Claims not supported")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    OTHER = "other", _("Other outcome")


class ClosingStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned to the handler")


class ClosingReport(models.Model):
    """The handler's closing report (结案报告, Art. 50). A returned report stays; the handler files
    a new one. At most one awaits review, at most one is accepted, per case."""

    task = models.ForeignKey("marketplace.AidTask", on_delete=models.PROTECT, related_name="closing_reports")
    # The lead handler's claim and profile when filed: the case is credited to them on acceptance.
    claim = models.ForeignKey("marketplace.Claim", on_delete=models.PROTECT, related_name="+")
    handler = models.ForeignKey("volunteers.Volunteer", on_delete=models.PROTECT, related_name="closing_reports")
    outcome = models.CharField(_("outcome"), max_length=32, choices=ClosingOutcome.choices)
    summary = models.TextField(_("summary"), max_length=4000)
    documents = models.ManyToManyField(CaseDocument, through="ClosingDocument", related_name="closing_reports")
    status = models.CharField(_("status"), max_length=16, choices=ClosingStatus.choices, default=ClosingStatus.PENDING)
    # The due date as it stood when filed (null: the matter's end was not recorded).
    closing_due = models.DateField(_("closing due"), null=True, blank=True)
    filed_by = acting_user()
    filed_at = models.DateTimeField(_("filed at"))

    class Meta:
        ordering = ["filed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"], condition=Q(status="pending"), name="cases_closingreport_one_pending"
            ),
            models.UniqueConstraint(
                fields=["task"], condition=Q(status="accepted"), name="cases_closingreport_one_accepted"
            ),
        ]
        indexes = [
            # The centre's closing queue: reports awaiting review, oldest first.
            models.Index(fields=["status", "filed_at"], name="cases_closing_queue_idx"),
        ]
        verbose_name = _("closing report")
        verbose_name_plural = _("closing reports")

    @property
    def filed_late(self) -> bool:
        return done_late(self.filed_at, self.closing_due)


class ClosingDocument(models.Model):
    """A document filed with a closing report: from then on it cannot be deleted (PROTECT)."""

    report = models.ForeignKey(ClosingReport, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(CaseDocument, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "document"], name="cases_closingdocument_unique"),
        ]


class QualityGrade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class ClosingReview(models.Model):
    """The centre's review of one closing report (结案审查): accepted, or returned with reasons."""

    report = models.OneToOneField(ClosingReport, on_delete=models.PROTECT, related_name="review")
    accepted = models.BooleanField(_("accepted"))
    reasons = models.TextField(_("reasons"), max_length=2000, blank=True)
    quality = models.CharField(_("quality"), max_length=16, choices=QualityGrade.choices, blank=True)
    reviewed_by = acting_user()
    reviewed_at = models.DateTimeField(_("reviewed at"))

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted=False) | ~Q(quality=""), name="cases_closingreview_accepted_has_quality"
            ),
        ]


class TerminationGround(models.TextChoices):
    """Art. 48: the grounds on which the legal aid agency ends the aid."""

    NO_LONGER_IN_HARDSHIP = "no_longer_in_hardship", _("No longer in economic hardship")
    AID_NO_LONGER_NEEDED = "aid_no_longer_needed", _("Aid no longer needed (proceedings ended or withdrawn)")
    HIRED_OWN_LAWYER = "hired_own_lawyer", _("The aided person hired their own lawyer")
    DECEPTION_FOUND = "deception_found", _("Aid obtained by deception, facts hidden or aid misused")
    PERSON_ASKED_TO_END = "person_asked_to_end", _("The aided person asked to end it with good reason")
    OTHER_BY_LAW = "other_by_law", _("Another ground set by law")


class Termination(models.Model):
    task = models.OneToOneField("marketplace.AidTask", on_delete=models.PROTECT, related_name="termination")
    ground = models.CharField(_("ground"), max_length=32, choices=TerminationGround.choices)
    reasons = models.TextField(_("reasons"), max_length=2000)
    decided_by = acting_user()
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("termination")
        verbose_name_plural = _("terminations")


class EvaluationKind(models.TextChoices):
    """Art. 57: how the quality of a case is supervised."""

    FILE_REVIEW = "file_review", _("File review")
    FOLLOW_UP_CALL = "follow_up_call", _("Follow-up call with the aided person")
    COURT_OPINION = "court_opinion", _("Opinion of the court or agency")
    HEARING_ATTENDANCE = "hearing_attendance", _("Hearing attendance")


class Evaluation(models.Model):
    """A quality evaluation of a case, graded for its lead handler (read by the subsidy and the
    annual review through ``selectors.quality_grades_for``)."""

    task = models.ForeignKey("marketplace.AidTask", on_delete=models.PROTECT, related_name="evaluations")
    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.PROTECT, related_name="evaluations")
    kind = models.CharField(_("kind"), max_length=32, choices=EvaluationKind.choices)
    grade = models.CharField(_("grade"), max_length=16, choices=QualityGrade.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    # The closing review that graded the file, when it came from one.
    closing_review = models.OneToOneField(
        ClosingReview, null=True, blank=True, on_delete=models.PROTECT, related_name="evaluation"
    )
    evaluated_on = models.DateField(_("evaluated on"))
    evaluated_by = acting_user()
    evaluator_organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("evaluated by")
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["evaluated_on", "id"]
        indexes = [
            # quality_grades_for(volunteer, year): a provider's grades of a year.
            models.Index(fields=["volunteer", "evaluated_on"], name="cases_evaluation_vol_idx"),
            models.Index(fields=["task", "evaluated_on"], name="cases_evaluation_task_idx"),
        ]
        verbose_name = _("quality evaluation")
        verbose_name_plural = _("quality evaluations")
