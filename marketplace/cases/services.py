"""Every write to a case file. Views and pages call these; nothing else changes a case.

Each service checks who may act (403, or 404 through access.py), validates its input (400) and
the case's state (409) before it writes anything, then writes inside one transaction that locks
the case task first (``marketplace.services.case_lock``), as every task service does. The task's
own status moves only through the marketplace services (``case_submit_closing``,
``case_return_closing``, ``case_close``, ``case_terminate``); ``case_close`` sends
``case_closed``, on which duties credits the one case and creates the subsidy line.

==================  =======================  ===========================  ====================
service             who                      task status before           after
==================  =======================  ===========================  ====================
milestone_record    handler, centre          open, filled, closing_review  (same)
document_upload     handler, centre          open, filled, closing_review  (same)
closing_file        handler (lead)           open, filled                  closing_review
closing_review      centre, not the handler  closing_review                completed (accepted),
                                                                           open/filled (returned)
case_terminate      centre                   draft, open, filled           terminated
evaluation_record   centre, justice bureau   any with a handler            (same)
==================  =======================  ===========================  ====================
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace import services as task_services
from marketplace.cases import events, files, selectors
from marketplace.cases.access import CaseRoles, case_roles
from marketplace.cases.models import (
    CaseDocument,
    ClosingDocument,
    ClosingOutcome,
    ClosingReport,
    ClosingReview,
    ClosingStatus,
    Evaluation,
    EvaluationKind,
    Milestone,
    MilestoneKind,
    MilestoneSource,
    QualityGrade,
    Termination,
    TerminationGround,
)
from marketplace.core.errors import Conflict, Forbidden, Invalid, ensure_not_own_record
from marketplace.core.text import clean_choice
from marketplace.core.transitions import transition
from marketplace.models import CLAIMABLE_TASK_STATUSES, AidTask, TaskStatus

MAX_TEXT = 2000
MAX_SUMMARY = 4000
MAX_DOCUMENTS = 50
# A hearing may be entered ahead (the provider's calendar shows it); other progress has happened.
HEARING_AHEAD_DAYS = 366
# Statuses in which the handler and the centre add to the file.
OPEN_FILE_STATUSES = frozenset({*CLAIMABLE_TASK_STATUSES, TaskStatus.CLOSING_REVIEW})


# --- helpers ---------------------------------------------------------------------------------


def _require_case(task: AidTask) -> None:
    if not task.is_case:
        raise Conflict(_("Only a case (criminal defence or representation) has a case file."), code="not_a_case")


def _require_open_file(task: AidTask) -> None:
    if task.status not in OPEN_FILE_STATUSES:
        raise Conflict(
            _("The case is not being handled: nothing can be added to its file."), code="case_not_in_progress"
        )


def _text(value: str | None, *, field: str, limit: int, required: bool = False, message: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid(message or _("This field is required."), field=field, code="required")
    if len(value) > limit:
        raise Invalid(
            _("At most %(n)d characters (this has %(m)d).") % {"n": limit, "m": len(value)},
            field=field,
            code="max_length",
        )
    return value


def _locked(task: AidTask, user: User) -> tuple[AidTask, CaseRoles]:
    """Lock the case task, then read the caller's roles on it as they stand under the lock."""
    task = task_services.case_lock(task.pk)
    return task, case_roles(user, task)


def _not_before_case(task: AidTask) -> date:
    local = timezone.get_default_timezone()
    return min(timezone.localdate(task.starts_at, local), timezone.localdate(task.created_at, local))


# --- progress --------------------------------------------------------------------------------


def milestone_record(
    *,
    task: AidTask,
    kind: str,
    date: date,
    note: str = "",
    source: str | None = None,
    by: User,
    now: datetime | None = None,
) -> Milestone:
    """The handler records progress (source ``handler``); the centre records the aided person's
    report (source ``aided_person``, Art. 46). Precondition: a case being handled or in closing
    review; the date not before the case began, not in the future (a hearing up to a year ahead).
    403 ``not_handler`` for anyone else who reads the file; 400 on a source the caller cannot give."""
    now = now or timezone.now()
    kind = clean_choice(kind, MilestoneKind, field="kind")
    note = _text(note, field="note", limit=MAX_TEXT)
    with transaction.atomic():
        task, roles = _locked(task, by)
        _require_case(task)
        if roles.is_lead:
            own_source = MilestoneSource.HANDLER
        elif roles.centre:
            own_source = MilestoneSource.AIDED_PERSON
        else:
            raise Forbidden(_("Only the case's handler and the legal aid centre record progress."), code="not_handler")
        if source not in (None, "", own_source):
            raise Invalid(
                _("The handler records their own progress; the centre records the aided person's reports."),
                field="source",
                code="wrong_source",
            )
        _require_open_file(task)
        today = timezone.localdate(now)
        latest = today + timedelta(days=HEARING_AHEAD_DAYS) if kind == MilestoneKind.HEARING else today
        if date > latest:
            raise Invalid(_("The date is in the future."), field="date", code="future_date")
        if date < _not_before_case(task):
            raise Invalid(_("The date is before the case began."), field="date", code="before_case")
        return Milestone.objects.create(
            task=task, kind=kind, date=date, note=note, source=own_source, recorded_by=by, recorded_at=now
        )


# --- documents -------------------------------------------------------------------------------


def document_upload(*, task: AidTask, upload, by: User, now: datetime | None = None) -> CaseDocument:
    """The handler or the centre files a copy of a legal document: a PDF, JPEG or PNG (judged by
    its first bytes, which the name's extension must agree with), at most CASE_DOCUMENT_MAX_BYTES
    (413 ``file_too_large``). Stored through the ``documents`` storage under a random name, with
    its SHA-256. 400 ``unsupported_type``, ``type_mismatch``, ``empty``; 403 ``not_handler``."""
    now = now or timezone.now()
    roles = case_roles(by, task)
    _require_case(task)
    if not (roles.is_lead or roles.centre):
        raise Forbidden(_("Only the case's handler and the legal aid centre file documents."), code="not_handler")
    _require_open_file(task)

    def record(document: CaseDocument) -> None:
        locked, roles = _locked(task, by)
        if not (roles.is_lead or roles.centre):
            raise Forbidden(_("Only the case's handler and the legal aid centre file documents."), code="not_handler")
        _require_open_file(locked)
        document.task = locked
        document.save()

    return document_store(task=task, upload=upload, by=by, now=now, record=record)


def document_store(*, task: AidTask, upload, by: User, now: datetime, record) -> CaseDocument:
    """For services that file a copy into a case (their own checks done): the upload judged
    (``files.judge``, at most CASE_DOCUMENT_MAX_BYTES), stored first, then recorded by
    ``record(document)`` in one transaction; a failed record removes the stored file, so nothing
    is left."""
    name, content_type = files.judge(upload, limit=settings.CASE_DOCUMENT_MAX_BYTES)
    document = CaseDocument(
        task=task,
        name=name,
        content_type=content_type,
        size=upload.size,
        sha256=files.sha256_of(upload),
        uploaded_by=by,
        uploaded_at=now,
    )
    document.file.save(name, upload, save=False)
    try:
        with transaction.atomic():
            record(document)
    except BaseException:
        document.file.storage.delete(document.file.name)
        raise
    return document


# --- closing ---------------------------------------------------------------------------------


def closing_file(
    *,
    task: AidTask,
    outcome: str,
    summary: str,
    documents: list[int],
    by: User,
    now: datetime | None = None,
) -> ClosingReport:
    """The lead handler files the closing report (结案报告, Art. 50) with copies of the legal
    documents (at least one, each filed to this case): the case moves to ``closing_review``.
    Filing after ``closing_due`` is allowed and recorded (the queue shows it late). 403
    ``not_handler``; 400 on ``outcome``, ``summary``, ``documents``; 409 ``case_not_in_progress``."""
    now = now or timezone.now()
    outcome = clean_choice(outcome, ClosingOutcome, field="outcome")
    summary = _text(
        summary, field="summary", limit=MAX_SUMMARY, required=True, message=_("Summarise how the case ended.")
    )
    ids = sorted({int(pk) for pk in documents or []})
    if not ids:
        raise Invalid(_("File the closing with copies of the legal documents."), field="documents", code="required")
    if len(ids) > MAX_DOCUMENTS:
        raise Invalid(_("At most %(n)d documents.") % {"n": MAX_DOCUMENTS}, field="documents", code="too_many")
    with transaction.atomic():
        task, roles = _locked(task, by)
        _require_case(task)
        if not roles.is_lead:
            raise Forbidden(_("Only the case's lead handler files its closing."), code="not_handler")
        if task.status not in CLAIMABLE_TASK_STATUSES:
            raise Conflict(_("Only a case in progress can file its closing."), code="case_not_in_progress")
        found = list(CaseDocument.objects.filter(task=task, pk__in=ids))
        if len(found) != len(ids):
            raise Invalid(_("Each document must be one filed to this case."), field="documents", code="not_this_case")
        report = ClosingReport.objects.create(
            task=task,
            claim=roles.lead,
            handler=roles.lead.volunteer,
            outcome=outcome,
            summary=summary,
            closing_due=selectors.closing_due_for(task),
            filed_by=by,
            filed_at=now,
        )
        ClosingDocument.objects.bulk_create([ClosingDocument(report=report, document=d) for d in found])
        task_services.case_submit_closing(task=task, now=now)
        events.case_changed(task, action="closing_filed")
    return report


def closing_review(
    *,
    task: AidTask,
    accepted: bool,
    reasons: str = "",
    quality: str = "",
    by: User,
    now: datetime | None = None,
) -> ClosingReport:
    """The centre reviews the closing (结案审查). Accepted (``quality`` required): the case is
    completed and ``case_closed`` credits one case to the lead handler and creates the subsidy
    line, all in this transaction; the grade is also recorded as the case's file-review
    evaluation. Returned (``reasons`` required): the case goes back to the handler. Nobody
    reviews the closing of their own case (403 ``own_record``); a closing is reviewed once (409
    ``closing_not_in_review``)."""
    now = now or timezone.now()
    reasons = _text(reasons, field="reasons", limit=MAX_TEXT)
    if accepted:
        if not quality:
            raise Invalid(_("Grade the quality of the case."), field="quality", code="required")
        quality = clean_choice(quality, QualityGrade, field="quality")
    else:
        if not reasons:
            raise Invalid(_("Say why the closing is returned."), field="reasons", code="required")
        quality = clean_choice(quality, QualityGrade, field="quality") if quality else ""
    with transaction.atomic():
        task, roles = _locked(task, by)
        _require_case(task)
        if not roles.centre:
            raise Forbidden(_("Only the legal aid centre reviews a closing."), code="not_centre")
        report = selectors.pending_report(task)
        if report is not None:
            ensure_not_own_record(by, report.handler)
        if report is None or not task.in_closing_review:
            raise Conflict(_("The case has no closing under review."), code="closing_not_in_review")
        transition(
            report,
            from_statuses=[ClosingStatus.PENDING],
            conflict=Conflict(_("The case has no closing under review."), code="closing_not_in_review"),
            status=ClosingStatus.ACCEPTED if accepted else ClosingStatus.RETURNED,
        )
        review = ClosingReview.objects.create(
            report=report, accepted=accepted, reasons=reasons, quality=quality, reviewed_by=by, reviewed_at=now
        )
        if accepted:
            Evaluation.objects.create(
                task=task,
                volunteer=report.handler,
                kind=EvaluationKind.FILE_REVIEW,
                grade=quality,
                note=reasons,
                closing_review=review,
                evaluated_on=timezone.localdate(now),
                evaluated_by=by,
                evaluator_organization=task.organization,
                recorded_at=now,
            )
            task_services.case_close(task=task, lead=report.claim, by=by, now=now)
        else:
            task_services.case_return_closing(task=task, now=now)
        events.case_changed(task, action="closing_accepted" if accepted else "closing_returned")
    return report


# --- termination -----------------------------------------------------------------------------


def case_terminate(*, task: AidTask, ground: str, reasons: str, by: User, now: datetime | None = None) -> Termination:
    """The centre ends the aid on an Art. 48 ground, with reasons: the task is ``terminated``,
    no case is credited, the handler is told (``case.changed`` on /ws/me/). 403 ``not_centre``;
    409 ``case_not_in_progress`` (closed, cancelled, terminated, or a closing under review)."""
    now = now or timezone.now()
    ground = clean_choice(ground, TerminationGround, field="ground")
    reasons = _text(
        reasons, field="reasons", limit=MAX_TEXT, required=True, message=_("Give the reasons for the termination.")
    )
    with transaction.atomic():
        task, roles = _locked(task, by)
        _require_case(task)
        if not roles.centre:
            raise Forbidden(_("Only the legal aid centre terminates legal aid."), code="not_centre")
        task_services.case_terminate(task=task, by=by, now=now)
        termination = Termination.objects.create(
            task=task, ground=ground, reasons=reasons, decided_by=by, decided_at=now
        )
        events.case_changed(task, action="terminated")
    return termination


# --- quality ---------------------------------------------------------------------------------


def evaluation_record(
    *,
    task: AidTask,
    kind: str,
    grade: str,
    note: str = "",
    evaluated_on: date | None = None,
    by: User,
    now: datetime | None = None,
) -> Evaluation:
    """The centre, or a reviewer of a justice bureau whose region covers the case (Art. 57),
    grades the case's lead handler: a file review, a follow-up call with the aided person, the
    court's opinion or a hearing attended. 403 ``not_evaluator``, ``own_record``; 409
    ``no_handler`` on a case nobody handles; 400 on ``evaluated_on`` in the future."""
    now = now or timezone.now()
    kind = clean_choice(kind, EvaluationKind, field="kind")
    grade = clean_choice(grade, QualityGrade, field="grade")
    note = _text(note, field="note", limit=MAX_TEXT)
    today = timezone.localdate(now)
    evaluated_on = evaluated_on or today
    if evaluated_on > today:
        raise Invalid(_("The date is in the future."), field="evaluated_on", code="future_date")
    with transaction.atomic():
        task, roles = _locked(task, by)
        _require_case(task)
        if roles.centre:
            organization = task.organization
        elif roles.bureau is not None:
            organization = roles.bureau
        else:
            raise Forbidden(
                _("Only the legal aid centre and the justice bureau of the region evaluate a case."),
                code="not_evaluator",
            )
        if roles.lead is None:
            raise Conflict(_("Nobody handles this case yet."), code="no_handler")
        ensure_not_own_record(by, roles.lead.volunteer)
        if evaluated_on < _not_before_case(task):
            raise Invalid(_("The date is before the case began."), field="evaluated_on", code="before_case")
        evaluation = Evaluation.objects.create(
            task=task,
            volunteer=roles.lead.volunteer,
            kind=kind,
            grade=grade,
            note=note,
            evaluated_on=evaluated_on,
            evaluated_by=by,
            evaluator_organization=organization,
            recorded_at=now,
        )
        events.case_changed(task, action="evaluated")
    return evaluation
