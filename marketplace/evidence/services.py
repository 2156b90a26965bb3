"""Every write to evidence requests. The API and the pages call these; nothing else changes state.

===========================  ==================  ==================
service                      from                to
===========================  ==================  ==================
evidence_request_create      (new)               pending
evidence_request_respond     pending             provided, refused
evidence_document_upload     pending, provided   (unchanged)
===========================  ==================  ==================

Inputs and permissions are checked before anything is written; the answer is a conditional
``UPDATE ... WHERE status = 'pending'`` whose row count is checked, so a department answers once
(409 ``already_answered``), also when two answers race.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.cases.models import CaseDocument
from marketplace.cases.services import OPEN_FILE_STATUSES, document_store
from marketplace.core.errors import Conflict, Forbidden, Invalid
from marketplace.core.numbering import give_number
from marketplace.core.text import clean_items, clean_text
from marketplace.core.transitions import transition
from marketplace.evidence import events
from marketplace.evidence.models import (
    ITEM_MAX,
    MAX_ITEMS,
    NOTE_MAX,
    PURPOSE_MAX,
    EvidenceRequest,
    EvidenceStatus,
)
from marketplace.evidence.selectors import handler_claim
from marketplace.models import AidTask, ClaimStatus
from marketplace.selectors import volunteer_of
from organizations.models import Organization, OrganizationKind
from organizations.roles import roles_of


def _give_number(request: EvidenceRequest, *, issuer: Organization, year: int) -> None:
    """The issuer's next letter number of the year, 常援调〔2026〕第0001号, under the issuer's row
    lock (``give_number``); the unique constraint ``evidence_evidencerequest_number_unique`` backs it."""
    numbered = EvidenceRequest.objects.filter(issuer=issuer)
    give_number(request, numbered=numbered, organization=issuer, mark="援调", year=year)


def evidence_request_create(
    *,
    task: AidTask,
    department: Organization,
    items: list[str],
    purpose: str,
    by: User,
    now: datetime | None = None,
) -> EvidenceRequest:
    """The handler of a case (the provider holding the accepted claim on a case task) asks a
    government department for materials. 400 ``not_a_case``, ``not_a_department``; 403
    ``not_handler``; 409 ``case_closed`` when the handler's claim or the case has ended. The letter
    is numbered in the case organisation's yearly sequence; the answer is due in
    ``EVIDENCE_DUE_DAYS`` days. The department's coordinators are told after commit."""
    now = now or timezone.now()
    if not task.is_case:
        raise Invalid(_("Evidence is asked for a case (representation or defence)."), field="task", code="not_a_case")
    if department.kind != OrganizationKind.GOVERNMENT_DEPARTMENT:
        raise Invalid(_("Choose a government department."), field="department", code="not_a_department")
    claim = handler_claim(task, volunteer_of(by))
    if claim is None:
        raise Forbidden(_("Only the handler of the case asks for evidence."), code="not_handler")
    if claim.status != ClaimStatus.ACCEPTED or not task.case_in_progress:
        raise Conflict(_("The case is closed: no more evidence is asked for it."), code="case_closed")
    items = clean_items(items, field="items", max_items=MAX_ITEMS, max_length=ITEM_MAX)
    purpose = clean_text(purpose, field="purpose", max_length=PURPOSE_MAX, required=True)
    issuer = task.organization
    with transaction.atomic():
        request = EvidenceRequest(
            task=task,
            department=department,
            handler=claim.volunteer,
            requested_by=by,
            issuer=issuer,
            items=items,
            purpose=purpose,
            requested_at=now,
            due=timezone.localdate(now) + timedelta(days=settings.EVIDENCE_DUE_DAYS),
            status=EvidenceStatus.PENDING,
        )
        _give_number(request, issuer=issuer, year=timezone.localdate(now).year)
        request.save()
        events.evidence_changed(request)
    return request


def evidence_request_respond(
    *,
    request: EvidenceRequest,
    provided: bool,
    note: str = "",
    fee_waived: bool | None = None,
    by: User,
    now: datetime | None = None,
) -> EvidenceRequest:
    """Coordinators of the department asked: the materials are provided (say whether the fee was
    waived) or refused (with the reason, in ``note``). Once: 409 ``already_answered``. Anyone else
    who may see the request (the handler, the centre) gets 403 ``not_department``."""
    now = now or timezone.now()
    if not roles_of(by).is_coordinator_of(request.department_id):
        raise Forbidden(_("Only the department asked answers the request."), code="not_department")
    note = clean_text(note, field="note", max_length=NOTE_MAX, required=not provided)
    if provided and fee_waived is None:
        raise Invalid(_("Say whether the fee was waived."), field="fee_waived", code="required")
    if not request.is_pending:
        raise Conflict(_("The request has already been answered."), code="already_answered")
    status = EvidenceStatus.PROVIDED if provided else EvidenceStatus.REFUSED
    fields = {
        "status": status,
        "note": note,
        "fee_waived": bool(fee_waived) if provided else None,
        "answered_at": now,
        "answered_by": by,
        "updated_at": now,
    }
    with transaction.atomic():
        answered = Conflict(_("The request has already been answered."), code="already_answered")
        transition(request, from_statuses=[EvidenceStatus.PENDING], conflict=answered, **fields)
        events.evidence_changed(request)
    return request


def evidence_document_upload(
    *, request: EvidenceRequest, upload, by: User, now: datetime | None = None
) -> CaseDocument:
    """Coordinators of the department asked file a copy of the materials into the case (a
    ``marketplace.cases`` document, linked to the request): the handler and the centre read it
    with the case's documents. Judged as the case's own uploads are (``marketplace.cases.files``):
    PDF, JPEG or PNG by content, the name's extension agreeing (400 ``unsupported_type``,
    ``type_mismatch``, ``empty``), at most ``CASE_DOCUMENT_MAX_BYTES`` (413 ``file_too_large``).
    403 ``not_department``; 409 ``request_refused`` on a refused request, ``case_not_in_progress``
    when the case's file is closed."""
    now = now or timezone.now()
    if not roles_of(by).is_coordinator_of(request.department_id):
        raise Forbidden(_("Only the department asked files materials for the request."), code="not_department")
    if not request.takes_documents:
        raise Conflict(_("The request was refused: no materials are filed for it."), code="request_refused")
    if request.task.status not in OPEN_FILE_STATUSES:
        raise Conflict(
            _("The case is not being handled: nothing can be added to its file."), code="case_not_in_progress"
        )

    def record(document: CaseDocument) -> None:
        current = EvidenceRequest.objects.select_for_update().get(pk=request.pk)
        if not current.takes_documents:
            raise Conflict(_("The request was refused: no materials are filed for it."), code="request_refused")
        document.save()
        current.documents.add(document)
        events.evidence_changed(request)

    return document_store(task=request.task, upload=upload, by=by, now=now, record=record)
