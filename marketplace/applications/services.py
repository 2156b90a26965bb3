"""Every write to legal aid applications. Views and pages call these; nothing else changes state.

Each service checks who may act (403), the application's state (409, by a conditional UPDATE on
the status whose row count is checked), changes it inside one transaction, records an
``ApplicationEvent`` and publishes ``application.changed`` after commit. Inputs are validated
before anything is written, so a refused request writes nothing.

Transitions (status before -> after):

===================  =========================================  =====================
service              from                                       to
===================  =========================================  =====================
register             (new)                                      received (station),
                                                                under_review (centre)
forward              received                                   under_review
request_materials    under_review                               materials_pending
materials_received   materials_pending                          under_review
decide               under_review                               approved, refused
objection_register   refused (its refusal not yet objected to)  objection_pending
objection_decide     objection_pending                          under_review (upheld),
                                                                refused (rejected)
===================  =========================================  =====================
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace import services as task_services
from marketplace.applications import clock, identity
from marketplace.applications import events as application_events
from marketplace.applications.models import (
    NOTICE_CHANNELS,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    BeneficiaryGroup,
    Category,
    Channel,
    Decision,
    DecisionChoice,
    DecisionOutcome,
    EventKind,
    HardshipBasis,
    IdentityAccess,
    MaterialsRequest,
    MatterKind,
    MaxPenalty,
    Objection,
    PartyKey,
    PartyKeyKind,
    PartyRole,
)
from marketplace.applications.selectors import (
    INTAKE_KINDS,
    STATION_KINDS,
    can_see_identity,
    centre_for_station,
    objection_bureau_memberships,
)
from marketplace.core.crypto import decrypt_json, encrypt_json
from marketplace.core.errors import Conflict, Forbidden, Invalid
from marketplace.core.numbering import give_number
from marketplace.core.text import clean_choice, clean_items, clean_text, in_product_language
from marketplace.core.transitions import transition
from marketplace.models import AidTask, TaskKind, TaskStatus
from marketplace.search import search_text_for
from organizations.models import Organization, OrganizationKind, Region
from organizations.roles import roles_of
from organizations.selectors import region_contains

MAX_TEXT = 2000
MAX_ITEMS = 50
MAX_ITEM_LENGTH = 200
ITEM_LIMITS = {"max_items": MAX_ITEMS, "max_length": MAX_ITEM_LENGTH}
APPLICANT_FIELDS = {"name": 100, "id_number": 40, "phone": 40, "address": 255}
OPPOSING_FIELDS = {"name": 200, "id_number": 40}

# Who may take a case of each kind: criminal defence is for lawyers (Art. 25: legal aid lawyers
# defend); representation also by grassroots legal service workers and legal aid staff (Art. 13,
# 16); consultation and drafting by any provider. The centre may narrow it on the draft.
CASE_ELIGIBLE_KINDS = {
    TaskKind.CRIMINAL_DEFENSE: ["lawyer"],
    TaskKind.VICTIM_REPRESENTATION: ["lawyer"],
    TaskKind.CIVIL_REPRESENTATION: ["lawyer", "grassroots_worker", "legal_aid_staff"],
    TaskKind.ADMINISTRATIVE_REPRESENTATION: ["lawyer", "grassroots_worker", "legal_aid_staff"],
    TaskKind.STATE_COMPENSATION: ["lawyer", "grassroots_worker", "legal_aid_staff"],
    TaskKind.MEDIATION_ARBITRATION: ["lawyer", "grassroots_worker", "legal_aid_staff"],
    TaskKind.CONSULTATION: [],
    TaskKind.DOCUMENT_DRAFTING: [],
}
# A nominal estimate shown on the task; providers log the hours they really spend.
CASE_ESTIMATED_HOURS = {
    TaskKind.CRIMINAL_DEFENSE: Decimal("20.00"),
    TaskKind.VICTIM_REPRESENTATION: Decimal("20.00"),
    TaskKind.CIVIL_REPRESENTATION: Decimal("20.00"),
    TaskKind.ADMINISTRATIVE_REPRESENTATION: Decimal("20.00"),
    TaskKind.STATE_COMPENSATION: Decimal("20.00"),
    TaskKind.MEDIATION_ARBITRATION: Decimal("10.00"),
    TaskKind.CONSULTATION: Decimal("1.00"),
    TaskKind.DOCUMENT_DRAFTING: Decimal("2.00"),
}
# A case has no time slot. Its task carries a short nominal window from its creation, so that it
# never blocks the handler's other work by time overlap (DOMAIN: a case never does).
CASE_WINDOW = timedelta(hours=1)


# --- helpers ---------------------------------------------------------------------------------


def _record(application: Application, kind: str, *, by: User | None, at: datetime, note: str = "") -> None:
    ApplicationEvent.objects.create(application=application, kind=kind, by=by, at=at, note=note[:500])


def _move(application: Application, *, from_statuses, to: str, now: datetime, **fields) -> None:
    conflict = Conflict(_("The application changed meanwhile; reload it."), code="application_changed")
    transition(application, from_statuses=from_statuses, conflict=conflict, status=to, updated_at=now, **fields)


def _require_centre(application: Application, by: User) -> None:
    """Only coordinators of the reviewing legal aid centre decide and run the review (403)."""
    roles_of(by).require_centre(
        application.centre_id, detail=_("Only the legal aid centre reviewing the application may do this.")
    )


def _text(value, *, field: str, required: bool, max_length: int = MAX_TEXT) -> str:
    return clean_text(value, field=field, required=required, max_length=max_length)


def _party(data, *, role: str) -> dict:
    """A party's details as text, checked; the applicant needs a name and a valid ID number."""
    prefix = "applicant" if role == PartyRole.APPLICANT else "opposing_party"
    allowed = APPLICANT_FIELDS if role == PartyRole.APPLICANT else OPPOSING_FIELDS
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise Invalid(_("An object of named text values."), field=prefix)
    unknown = sorted(str(key) for key in data if key not in allowed)
    if unknown:
        raise Invalid(_("Unknown fields: %(f)s.") % {"f": ", ".join(unknown)}, field=prefix, code="unknown_field")
    party = {}
    for key, max_length in allowed.items():
        required = role == PartyRole.APPLICANT and key == "name"
        text = _text(data.get(key), field=f"{prefix}.{key}", required=required, max_length=max_length)
        if text:
            party[key] = text
    if role == PartyRole.APPLICANT and party.get("id_number"):
        problem = identity.person_id_problem(party["id_number"])
        if problem:
            raise Invalid(problem, field="applicant.id_number", code="invalid_id_number")
        party["id_number"] = identity.normalize_id_number(party["id_number"])
    return party


def _store_party_keys(application: Application, *, role: str, party: dict) -> None:
    keys = [
        PartyKey(application=application, role=role, kind=kind, digest=value)
        for kind, value in (
            (PartyKeyKind.NAME, identity.name_digest(party.get("name", ""))),
            (PartyKeyKind.ID, identity.id_digest(party.get("id_number", ""))),
        )
        if value
    ]
    PartyKey.objects.bulk_create(keys)


def _give_number(application: Application, *, centre: Organization, year: int) -> None:
    """The centre's next number of the year, 常援申〔2026〕第0001号, under the centre's row lock
    (``give_number``); the unique constraint ``applications_application_number_unique`` backs it."""
    numbered = Application.objects.filter(centre=centre)
    give_number(application, numbered=numbered, organization=centre, mark="援申", year=year)


def _case_details(application: Application) -> dict:
    """The case task's confidential details, under the task API's keys."""
    applicant = decrypt_json(application.applicant_ciphertext)
    details = {key: applicant.get(key, "") for key in ("name", "phone", "id_number", "address")}
    with in_product_language():
        details["hardship_notes"] = str(HardshipBasis(application.hardship_basis).label)
    return {key: value for key, value in details.items() if value}


def _create_case(application: Application, *, by: User, now: datetime) -> AidTask:
    """The case as a draft aid task of the centre, one seat, approval required, holding the
    applicant's details as its confidential part.

    Created here rather than through ``task_create``, which lets only the posting organisation's
    coordinators post: a station forwarding an urgent matter (Art. 44) creates the centre's case."""
    with in_product_language():
        kind_label = str(TaskKind(application.matter_kind).label)
    title = f"{application.number} {kind_label}".strip()[:200]
    task = AidTask.objects.create(
        organization_id=application.centre_id,
        title=title,
        summary=application.summary,
        kind=application.matter_kind,
        category=application.category,
        beneficiary_group=application.beneficiary_group,
        region_id=application.region_id,
        location=application.court_or_agency[:255],
        starts_at=now,
        ends_at=now + CASE_WINDOW,
        seats=1,
        estimated_hours=CASE_ESTIMATED_HOURS[application.matter_kind],
        eligible_kinds=list(CASE_ELIGIBLE_KINDS[application.matter_kind]),
        requires_approval=True,
        status=TaskStatus.DRAFT,
        confidential_ciphertext=encrypt_json(_case_details(application)),
        search_text=search_text_for(title, application.summary),
        created_by=by,
    )
    application.case = task
    _record(application, EventKind.CASE_CREATED, by=by, at=now, note=title)
    return task


def _live_case(application: Application) -> AidTask | None:
    case = application.case
    if case is None or case.status in (TaskStatus.CANCELLED, TaskStatus.COMPLETED):
        return None
    return case


def _open_urgent_case(application: Application, *, by: User, now: datetime) -> None:
    """Art. 44: an urgent matter gets its case task as soon as the centre has it, so that it can
    be assigned before the decision; the assignment is due as after an approval."""
    task = _create_case(application, by=by, now=now)
    due = clock.assign_due(now, rules=clock.rules())
    if application.assign_due is not None and application.assign_due < due:
        due = application.assign_due
    application.assign_due = due
    Application.objects.filter(pk=application.pk).update(case=task, assign_due=due, updated_at=now)


# --- registration and forwarding --------------------------------------------------------------


def application_register(
    *,
    organization: Organization,
    values: dict,
    applicant: dict,
    opposing_party: dict | None = None,
    by: User,
    now: datetime | None = None,
) -> Application:
    """Coordinators of a legal aid centre or of a station (受理登记). A centre's application is
    under review at once, with its number; a station's is received, to be forwarded. The parties
    are stored encrypted, with keyed digests for the conflict check. An urgent matter at a centre
    gets its case task now (Art. 44); a notice (Art. 36) must be assigned within 3 days."""
    now = now or timezone.now()
    roles_of(by).require_coordinator(
        organization, detail=_("Only coordinators of the organisation register its applications.")
    )
    if organization.kind not in INTAKE_KINDS:
        raise Forbidden(
            _("Only legal aid centres and their stations register applications."), code="not_intake_organization"
        )
    channel = clean_choice(values.get("channel"), Channel, field="channel")
    matter_kind = clean_choice(values.get("matter_kind"), MatterKind, field="matter_kind")
    category = clean_choice(values.get("category"), Category, field="category")
    group = clean_choice(values.get("beneficiary_group"), BeneficiaryGroup, field="beneficiary_group")
    basis = clean_choice(values.get("hardship_basis"), HardshipBasis, field="hardship_basis")
    if basis == HardshipBasis.CRIMINAL_NOTICE and channel not in NOTICE_CHANNELS:
        raise Invalid(
            _("Only a notice from a court, procuratorate or police is a criminal notice."), field="hardship_basis"
        )
    received_at = values.get("received_at") or now
    if received_at > now:
        raise Invalid(_("The application cannot be received in the future."), field="received_at", code="future")
    region = values.get("region")
    if not isinstance(region, Region):
        raise Invalid(_("This field is required."), field="region", code="required")
    if not region_contains(organization.region, region):
        raise Invalid(_("The matter's region must be within the organisation's region."), field="region")
    summary = _text(values.get("summary"), field="summary", required=True)
    max_penalty = values.get("max_penalty") or ""
    if max_penalty:
        clean_choice(max_penalty, MaxPenalty, field="max_penalty")
        if matter_kind != MatterKind.CRIMINAL_DEFENSE:
            raise Invalid(
                _("Only a criminal defence names the heaviest possible sentence."),
                field="max_penalty",
                code="not_criminal",
            )
    court = _text(values.get("court_or_agency"), field="court_or_agency", required=False, max_length=200)
    attachments = clean_items(values.get("attachments"), field="attachments", required=False, **ITEM_LIMITS)
    applicant = _party(applicant, role=PartyRole.APPLICANT)
    opposing = _party(opposing_party, role=PartyRole.OPPOSING)

    rules = clock.rules()
    notice = channel in NOTICE_CHANNELS
    is_centre = organization.kind == OrganizationKind.LEGAL_AID_CENTER
    with transaction.atomic():
        application = Application(
            organization=organization,
            channel=channel,
            received_at=received_at,
            matter_kind=matter_kind,
            category=category,
            beneficiary_group=group,
            region=region,
            summary=summary,
            court_or_agency=court,
            hardship_basis=basis,
            urgent=bool(values.get("urgent")),
            max_penalty=max_penalty,
            attachments=attachments,
            applicant_ciphertext=encrypt_json(applicant),
            opposing_ciphertext=encrypt_json(opposing),
            status=ApplicationStatus.UNDER_REVIEW if is_centre else ApplicationStatus.RECEIVED,
            review_started_at=received_at,
            # Counted from the first receipt, also at a station (docs/applications.md).
            decision_due=clock.decision_due(received_at, notice=notice, rules=rules),
            assign_due=clock.assign_due(received_at, notice=True, rules=rules) if notice else None,
            created_by=by,
        )
        if is_centre:
            application.centre = organization
            _give_number(application, centre=organization, year=clock.local_day(received_at).year)
        application.save()
        _store_party_keys(application, role=PartyRole.APPLICANT, party=applicant)
        _store_party_keys(application, role=PartyRole.OPPOSING, party=opposing)
        _record(application, EventKind.REGISTERED, by=by, at=now)
        if is_centre and application.urgent:
            _open_urgent_case(application, by=by, now=now)
        application_events.application_changed(application)
    return application


def application_forward(*, application: Application, by: User, now: datetime | None = None) -> Application:
    """Coordinators of the station that registered it: to the legal aid centre of the station's
    region or the nearest above (409 ``no_centre`` if there is none). The centre numbers it and
    reviews it; an urgent matter gets its case task now (Art. 44)."""
    now = now or timezone.now()
    station = application.organization
    if not roles_of(by).is_coordinator_of(station) or station.kind not in STATION_KINDS:
        raise Forbidden(_("Only the station that registered the application forwards it."), code="not_station")
    if application.status != ApplicationStatus.RECEIVED:
        raise Conflict(_("The application was already forwarded."), code="already_forwarded")
    centre = centre_for_station(station)
    if centre is None:
        raise Conflict(_("No legal aid centre serves the station's region."), code="no_centre")
    with transaction.atomic():
        _give_number(application, centre=centre, year=clock.local_day(now).year)
        _move(
            application,
            from_statuses=[ApplicationStatus.RECEIVED],
            to=ApplicationStatus.UNDER_REVIEW,
            now=now,
            centre=centre,
            number=application.number,
            number_year=application.number_year,
            number_sequence=application.number_sequence,
            forwarded_at=now,
            forwarded_by=by,
        )
        _record(application, EventKind.FORWARDED, by=by, at=now, note=centre.name)
        if application.urgent:
            _open_urgent_case(application, by=by, now=now)
        application_events.application_changed(application)
    return application


# --- review ----------------------------------------------------------------------------------


def application_request_materials(
    *, application: Application, items: list, by: User, now: datetime | None = None
) -> Application:
    """The reviewing centre, while under review: the one list of missing materials of this review
    (一次性告知; 409 ``materials_already_requested`` for a second). The clock stops until they arrive."""
    now = now or timezone.now()
    _require_centre(application, by)
    items = clean_items(items, field="items", **ITEM_LIMITS)
    if application.status != ApplicationStatus.UNDER_REVIEW:
        raise Conflict(_("Materials are asked for only during the review."), code="application_not_under_review")
    if application.materials_requests.filter(requested_at__gte=application.review_started_at).exists():
        raise Conflict(
            _("The missing materials were already asked for, in one list, in this review."),
            code="materials_already_requested",
        )
    with transaction.atomic():
        _move(
            application, from_statuses=[ApplicationStatus.UNDER_REVIEW], to=ApplicationStatus.MATERIALS_PENDING, now=now
        )
        MaterialsRequest.objects.create(application=application, items=items, requested_at=now, requested_by=by)
        _record(application, EventKind.MATERIALS_REQUESTED, by=by, at=now, note="、".join(items))
        application_events.application_changed(application)
    return application


def application_materials_received(
    *, application: Application, items: list | None = None, by: User, now: datetime | None = None
) -> Application:
    """The reviewing centre, while materials are awaited: they arrived (``items``, or all asked
    for). The clock runs again: the days it stood still are added to ``paused_days`` and to the
    decision's due date."""
    now = now or timezone.now()
    _require_centre(application, by)
    items = clean_items(items, field="items", required=False, **ITEM_LIMITS)
    if application.status != ApplicationStatus.MATERIALS_PENDING:
        raise Conflict(_("No materials are awaited."), code="materials_not_pending")
    rules = clock.rules()
    with transaction.atomic():
        request = application.materials_requests.select_for_update().get(received_at__isnull=True)
        paused = clock.days_between(
            clock.local_day(request.requested_at), clock.local_day(now), counting=rules.counting
        )
        due = application.decision_due
        if due is not None:
            due = clock.shifted(due, paused, counting=rules.counting)
        _move(
            application,
            from_statuses=[ApplicationStatus.MATERIALS_PENDING],
            to=ApplicationStatus.UNDER_REVIEW,
            now=now,
            paused_days=application.paused_days + paused,
            decision_due=due,
        )
        request.received_at = now
        request.received_items = items or list(request.items)
        request.received_by = by
        request.paused_days = paused
        request.save()
        _record(application, EventKind.MATERIALS_RECEIVED, by=by, at=now, note="、".join(request.received_items))
        application_events.application_changed(application)
    return application


def application_decide(
    *, application: Application, decision: str, reasons: str = "", by: User, now: datetime | None = None
) -> Application:
    """The reviewing centre, under review (Art. 43), in writing. Approval creates the case task
    (or keeps the urgent one) and starts the 3 days to assign it; a refusal needs reasons, can be
    objected to (Art. 49), and cancels an urgent matter's case (Art. 44: aid ends if it does not
    qualify). 409 ``application_decided`` on a decided application."""
    now = now or timezone.now()
    _require_centre(application, by)
    decision = clean_choice(decision, DecisionChoice, field="decision")
    reasons = _text(reasons, field="reasons", required=decision == DecisionChoice.REFUSE)
    if application.status in (
        ApplicationStatus.APPROVED,
        ApplicationStatus.REFUSED,
        ApplicationStatus.OBJECTION_PENDING,
    ):
        raise Conflict(_("The application is already decided."), code="application_decided")
    if application.status == ApplicationStatus.MATERIALS_PENDING:
        raise Conflict(_("Materials are still awaited; record their arrival first."), code="materials_pending")
    if application.status != ApplicationStatus.UNDER_REVIEW:
        raise Conflict(_("The application is not under review."), code="application_not_under_review")
    rules = clock.rules()
    # The first decision is timed for the statistics: on time if taken by its due date then.
    first = {}
    if application.decided_at is None:
        due = application.decision_due
        first = {"decided_at": now, "decided_on_time": due is None or clock.local_day(now) <= due}
    with transaction.atomic():
        approved = decision == DecisionChoice.APPROVE
        case = None if approved else _live_case(application)
        # A refusal clears the running due dates; an approval keeps a notice's assignment due.
        cleared = {} if approved else {"assign_due": None, "objection_due": None}
        _move(
            application,
            from_statuses=[ApplicationStatus.UNDER_REVIEW],
            to=ApplicationStatus.APPROVED if approved else ApplicationStatus.REFUSED,
            now=now,
            **cleared,
            **first,
        )
        Decision.objects.create(
            application=application,
            outcome=DecisionOutcome.APPROVED if approved else DecisionOutcome.REFUSED,
            reasons=reasons,
            decided_at=now,
            decided_by=by,
        )
        _record(application, EventKind.APPROVED if approved else EventKind.REFUSED, by=by, at=now, note=reasons)
        if approved and _live_case(application) is None:
            task = _create_case(application, by=by, now=now)
            due = application.assign_due if application.is_notice else None
            due = due or clock.assign_due(now, rules=rules)
            application.assign_due = due
            Application.objects.filter(pk=application.pk).update(case=task, assign_due=due)
        elif case is not None:
            with in_product_language():
                reason = _("Legal aid was refused: %(r)s") % {"r": reasons}
            task_services.task_cancel(task=case, reason=reason, by=by, now=now)
            _record(application, EventKind.CASE_CANCELLED, by=by, at=now, note=case.title)
        application_events.application_changed(application)
    return application


# --- objections ------------------------------------------------------------------------------


def objection_register(*, application: Application, grounds: str, by: User, now: datetime | None = None) -> Objection:
    """The centre that refused, for the applicant (Art. 49): one objection per refusal, with its
    grounds. The justice bureau's 5 days count from this registration."""
    now = now or timezone.now()
    _require_centre(application, by)
    grounds = _text(grounds, field="grounds", required=True)
    if application.status == ApplicationStatus.OBJECTION_PENDING:
        raise Conflict(_("An objection is already pending."), code="objection_already_registered")
    if application.status != ApplicationStatus.REFUSED:
        raise Conflict(_("Only a refusal can be objected to."), code="application_not_refused")
    refusal = application.decisions.order_by("-decided_at", "-id").first()
    already = refusal is not None and Objection.objects.filter(decision=refusal).exists()
    if refusal is None or refusal.outcome != DecisionOutcome.REFUSED or already:
        raise Conflict(
            _("This refusal was already objected to and the bureau decided."), code="objection_already_registered"
        )
    due = clock.objection_due(now, rules=clock.rules())
    with transaction.atomic():
        _move(
            application,
            from_statuses=[ApplicationStatus.REFUSED],
            to=ApplicationStatus.OBJECTION_PENDING,
            now=now,
            objection_due=due,
        )
        objection = Objection.objects.create(
            decision=refusal, application=application, grounds=grounds, registered_at=now, registered_by=by, due=due
        )
        _record(application, EventKind.OBJECTION_REGISTERED, by=by, at=now, note=grounds)
        application_events.application_changed(application)
    return objection


def objection_decide(
    *, application: Application, upheld: bool, reasons: str, by: User, now: datetime | None = None
) -> Objection:
    """A regulator of a justice bureau whose region covers the deciding centre's (Art. 49), within
    5 days, never the person who refused. Upheld: the centre is told to correct its decision, so
    the review reopens with a new decision due date. Rejected: the refusal stands."""
    now = now or timezone.now()
    memberships = objection_bureau_memberships(by, application)
    if not memberships:
        raise Forbidden(_("Only the justice bureau over the centre decides objections."), code="not_justice_bureau")
    if not isinstance(upheld, bool):
        raise Invalid(_("Must be true or false."), field="upheld")
    reasons = _text(reasons, field="reasons", required=True)
    if application.status != ApplicationStatus.OBJECTION_PENDING:
        raise Conflict(_("No objection is pending."), code="objection_not_pending")
    objection = application.objections.select_related("decision").filter(decided_at__isnull=True).last()
    if objection is None:
        raise Conflict(_("No objection is pending."), code="objection_not_pending")
    if objection.decision.decided_by_id == by.pk:
        raise Forbidden(_("You refused this application; another person decides the objection."), code="own_decision")
    rules = clock.rules()
    with transaction.atomic():
        if upheld:
            _move(
                application,
                from_statuses=[ApplicationStatus.OBJECTION_PENDING],
                to=ApplicationStatus.UNDER_REVIEW,
                now=now,
                review_started_at=now,
                decision_due=clock.decision_due(now, notice=application.is_notice, rules=rules),
            )
        else:
            _move(
                application,
                from_statuses=[ApplicationStatus.OBJECTION_PENDING],
                to=ApplicationStatus.REFUSED,
                now=now,
            )
        changed = Objection.objects.filter(pk=objection.pk, decided_at__isnull=True).update(
            upheld=upheld, reasons=reasons, decided_at=now, decided_by=by, decided_by_org=memberships[0].organization
        )
        if changed != 1:
            raise Conflict(_("The objection was decided meanwhile; reload it."), code="application_changed")
        objection.refresh_from_db()
        kind = EventKind.OBJECTION_UPHELD if upheld else EventKind.OBJECTION_REJECTED
        _record(application, kind, by=by, at=now, note=reasons)
        application_events.application_changed(application)
    return objection


# --- identities ------------------------------------------------------------------------------


def application_reveal_identity(
    *, application: Application, by: User, via: str, required: bool = False, now: datetime | None = None
) -> dict | None:
    """The parties (``applicant``, ``opposing_party``) for coordinators of the registering
    organisation and of the reviewing centre, recording the reveal. Anyone else: None, or with
    ``required`` 403 ``identity_withheld`` (regulators never see identities)."""
    now = now or timezone.now()
    if not by.is_authenticated or not can_see_identity(by, application):
        if required:
            raise Forbidden(_("Regulators see no identities of applicants."), code="identity_withheld")
        return None
    IdentityAccess.objects.create(application=application, user=by, accessed_at=now, via=via)
    opposing = decrypt_json(application.opposing_ciphertext)
    return {"applicant": decrypt_json(application.applicant_ciphertext), "opposing_party": opposing or None}


def decision_letter_access(*, application: Application, by: User, now: datetime | None = None) -> dict:
    """The reviewing centre's coordinators and the justice bureau over it download the decision
    letter of a decided application (409 ``not_decided`` before). The letter names the applicant,
    so each download is recorded as a reveal. Returns the applicant's details for the letter."""
    now = now or timezone.now()
    is_centre = roles_of(by).coordinates_centre(application.centre_id)
    if not is_centre and not objection_bureau_memberships(by, application):
        raise Forbidden(
            _("Only the centre and the justice bureau download decision letters."), code="letter_not_allowed"
        )
    if application.status not in (
        ApplicationStatus.APPROVED,
        ApplicationStatus.REFUSED,
        ApplicationStatus.OBJECTION_PENDING,
    ):
        raise Conflict(_("The application has no decision yet."), code="not_decided")
    IdentityAccess.objects.create(application=application, user=by, accessed_at=now, via="decision_letter")
    return decrypt_json(application.applicant_ciphertext)
