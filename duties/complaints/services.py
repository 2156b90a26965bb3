"""Every write to complaints. The API and the pages call these; nothing else changes state.

=================  ==========================  =============
service            from                        to
=================  ==========================  =============
complaint_file     (new)                       received
complaint_start    received                    investigating
complaint_resolve  received, investigating     resolved
=================  ==========================  =============

Inputs and permissions are checked before anything is written; a transition is a conditional
``UPDATE ... WHERE status IN (...)`` whose row count is checked (409 ``complaint_changed`` when a
concurrent request won).
"""

import base64
import re
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duties.complaints import events
from duties.complaints.models import (
    ACTION_MAX,
    CONTACT_MAX,
    FINDING_MAX,
    OPEN_COMPLAINT_STATUSES,
    SUBJECT_MAX,
    TEXT_MAX,
    Complaint,
    ComplaintEvent,
    ComplaintEventKind,
    ComplaintStatus,
)
from marketplace.core.crypto import decrypt_json, encrypt_json
from marketplace.core.errors import Conflict, Forbidden, Invalid, OwnRecord, ensure_not_own_record
from marketplace.core.text import clean_text
from marketplace.core.transitions import transition
from marketplace.models import AidTask
from organizations.models import OrganizationKind
from organizations.roles import roles_of
from volunteers.models import Volunteer

# Anything that reads as an HTML or XML tag: <b>, </p>, <!-- -->, <?xml, <a href=...>. A lone
# "<" (a < b, <3) is not markup. The public form refuses markup rather than storing it: a
# complaint is plain text, and the pages escape it anyway.
MARKUP = re.compile(r"<\s*[/!?]?\s*[A-Za-z!?][^<>]*>")


def new_tracking_code() -> str:
    """80 random bits in base32, printed ABCD-EFGH-IJKL-MNOP (as certificate codes are).

    A draw of only digits (2-7, about one in 4·10^11) is drawn again, so every code holds a
    letter and ``/complaints/{code}/`` never looks like ``/complaints/{id}/``."""
    while True:
        raw = base64.b32encode(secrets.token_bytes(10)).decode()
        if any(ch.isalpha() for ch in raw):
            return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _text(value, *, field: str, max_length: int, required: bool = True) -> str:
    """Plain text (``clean_text``) holding no HTML tag (400 ``markup_not_allowed``)."""
    text = clean_text(value, field=field, max_length=max_length, required=required)
    if MARKUP.search(text):
        raise Invalid(
            _("Write plain text: HTML tags such as <b> are not accepted."), field=field, code="markup_not_allowed"
        )
    return text


def contact_of(complaint: Complaint) -> str:
    """The complainant's contact, decrypted: for the bureau handling the complaint only."""
    return decrypt_json(complaint.contact_ciphertext).get("contact", "")


def _record(complaint: Complaint, kind: str, *, by: User | None, at: datetime) -> None:
    ComplaintEvent.objects.create(complaint=complaint, kind=kind, by=by, at=at)


def complaint_file(
    *,
    subject: str,
    text: str,
    contact: str = "",
    task: AidTask | None = None,
    volunteer: Volunteer | None = None,
    by: User | AnonymousUser | None = None,
    now: datetime | None = None,
) -> Complaint:
    """Anyone, signed in or not (Art. 57-59): a complaint about ``task`` or ``volunteer`` (or
    both), in plain text. Someone not signed in must leave a contact. The caller has already
    found ``task`` among the tasks it may see. It belongs to the task's region, else the
    provider's; due ``COMPLAINT_DUE_DAYS`` days later. The bureau's reviewers are told after commit."""
    now = now or timezone.now()
    signed_in = by is not None and by.is_authenticated
    if task is None and volunteer is None:
        raise Invalid(_("Say which task or which provider the complaint is about."), field="task", code="no_subject")
    subject = _text(subject, field="subject", max_length=SUBJECT_MAX)
    text = _text(text, field="text", max_length=TEXT_MAX)
    contact = _text(contact, field="contact", max_length=CONTACT_MAX, required=False)
    if not contact and not signed_in:
        raise Invalid(
            _("Leave a phone number or an address so that the bureau can tell you the result."),
            field="contact",
            code="contact_required",
        )
    region = task.region if task is not None else volunteer.region
    with transaction.atomic():
        complaint = Complaint.objects.create(
            code=new_tracking_code(),
            subject=subject,
            task=task,
            volunteer=volunteer,
            text=text,
            contact_ciphertext=encrypt_json({"contact": contact} if contact else {}),
            filed_by=by if signed_in else None,
            region=region,
            filed_at=now,
            due=timezone.localdate(now) + timedelta(days=settings.COMPLAINT_DUE_DAYS),
            status=ComplaintStatus.RECEIVED,
        )
        _record(complaint, ComplaintEventKind.FILED, by=complaint.filed_by, at=now)
        events.complaint_changed(complaint)
    return complaint


def _require_bureau(complaint: Complaint, by: User) -> None:
    """Reviewers (or admins) of a justice bureau whose region covers the complaint's (403
    ``not_justice_bureau``); never on a complaint against or by themselves (403 ``own_record``)."""
    if not roles_of(by).regulating(complaint.region, kind=OrganizationKind.JUSTICE_BUREAU):
        raise Forbidden(_("Only the justice bureau of the region handles complaints."), code="not_justice_bureau")
    ensure_not_own_record(by, complaint.volunteer)
    if complaint.filed_by_id is not None and complaint.filed_by_id == by.pk:
        raise OwnRecord()


def _move(complaint: Complaint, *, from_statuses, to: str, now: datetime, **fields) -> None:
    conflict = Conflict(_("The complaint changed meanwhile; reload it."), code="complaint_changed")
    transition(complaint, from_statuses=from_statuses, conflict=conflict, status=to, updated_at=now, **fields)


def complaint_start(*, complaint: Complaint, by: User, now: datetime | None = None) -> Complaint:
    """The justice bureau of the region takes up a received complaint: under investigation."""
    now = now or timezone.now()
    _require_bureau(complaint, by)
    if not complaint.can_start:
        raise Conflict(_("The investigation has already started."), code="complaint_not_received")
    with transaction.atomic():
        _move(
            complaint,
            from_statuses=[ComplaintStatus.RECEIVED],
            to=ComplaintStatus.INVESTIGATING,
            now=now,
            investigation_started_at=now,
            investigated_by=by,
        )
        _record(complaint, ComplaintEventKind.INVESTIGATION_STARTED, by=by, at=now)
        events.complaint_changed(complaint)
    return complaint


def complaint_resolve(*, complaint: Complaint, finding: str, action: str, by: User, now: datetime | None = None):
    """The justice bureau of the region records its finding and the action taken (Art. 59: it
    tells the complainant the result, who reads it by the tracking code). Once."""
    now = now or timezone.now()
    _require_bureau(complaint, by)
    finding = _text(finding, field="finding", max_length=FINDING_MAX)
    action = _text(action, field="action", max_length=ACTION_MAX)
    if not complaint.can_resolve:
        raise Conflict(_("The complaint is already resolved."), code="complaint_resolved")
    bureau = roles_of(by).regulating(complaint.region, kind=OrganizationKind.JUSTICE_BUREAU)
    # The nearest of the caller's bureaus over the region signs the finding.
    org = max((m.organization for m in bureau), key=lambda o: len(o.region.path))
    fields = {"finding": finding, "action": action, "resolved_at": now, "resolved_by": by, "resolved_by_org": org}
    if complaint.investigation_started_at is None:
        fields |= {"investigation_started_at": now, "investigated_by": by}
    with transaction.atomic():
        _move(complaint, from_statuses=OPEN_COMPLAINT_STATUSES, to=ComplaintStatus.RESOLVED, now=now, **fields)
        _record(complaint, ComplaintEventKind.RESOLVED, by=by, at=now)
        events.complaint_changed(complaint)
    return complaint
