"""Assigning a case to a law firm (Art. 43), and the firm naming its handler within 24 hours.

The centre assigns a case to a provider (``marketplace.services.task_assign``) or to a law firm
(``firm_assign``). A firm's assignment waits for its director (an admin or coordinator of the
firm) to name the handler, a verified lawyer practising at the firm, by ``handler_due``
(``LEGAL_AID_HANDLER_HOURS`` after the assignment); the handler's claim is then an assignment as
any other, checked the same way (eligibility, Art. 26 experience, the conflict check). Until then
nobody else is assigned the case nor takes it by a claim (409 ``awaiting_handler``); the centre may
withdraw the firm's assignment (``firm_withdraw``) and assign anew.

Transitions of a ``FirmAssignment``: awaiting_handler -> handler_named (``firm_name_handler``),
awaiting_handler -> withdrawn (``firm_withdraw``); each a conditional UPDATE whose row count is
checked, after the case's row is locked (the order every task service locks in).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace import services as task_services
from marketplace.applications import hooks
from marketplace.applications.models import FirmAssignment, FirmAssignmentStatus
from marketplace.core.errors import Conflict, Invalid, NotFound
from marketplace.core.events import to_users
from marketplace.core.ids import id_or_404
from marketplace.models import AidTask, Claim
from marketplace.selectors import coordinator_user_ids, region_eligible
from organizations.models import Organization, OrganizationKind
from organizations.roles import roles_of
from volunteers.models import Volunteer, VolunteerKind

MAX_REASON = 500


def _lock_case(task_id: int) -> AidTask:
    return AidTask.objects.select_for_update(of=("self",)).select_related("region", "organization").get(pk=task_id)


def _publish(assignment: FirmAssignment) -> None:
    """``firm_assignment.changed`` after commit to the firm's directors and the centre's coordinators."""
    event = {
        "type": "firm_assignment.changed",
        "firm_assignment": {"id": assignment.pk, "task": assignment.task_id, "status": assignment.status},
    }

    def publish() -> None:
        user_ids = coordinator_user_ids(assignment.law_firm_id) + coordinator_user_ids(assignment.task.organization_id)
        if user_ids:
            to_users(user_ids, event)

    transaction.on_commit(publish)


# --- reads -----------------------------------------------------------------------------------


def firm_assignments_visible_to(user: User | AnonymousUser) -> QuerySet[FirmAssignment]:
    """The assignments of the firms the user directs, and those of the cases of the centres the
    user coordinates. Never a party: the task's title carries the number and the kind only."""
    ids = roles_of(user).coordinated_ids
    if not ids:
        return FirmAssignment.objects.none()
    return FirmAssignment.objects.filter(Q(law_firm_id__in=ids) | Q(task__organization_id__in=ids)).select_related(
        "task", "task__organization", "task__region", "task__application", "law_firm", "handler__user"
    )


@dataclass(frozen=True)
class FirmDesk:
    awaiting: list[FirmAssignment]
    done: list[FirmAssignment]


def firm_desk(user: User | AnonymousUser, *, firm_ids: list[int], done_limit: int) -> FirmDesk:
    """The law firm's page: every case of ``firm_ids`` still waiting for the firm to name its
    handler, the first due first (however old), then the latest ``done_limit`` others."""
    theirs = firm_assignments_visible_to(user).filter(law_firm_id__in=firm_ids)
    waiting = Q(status=FirmAssignmentStatus.AWAITING_HANDLER)
    return FirmDesk(
        awaiting=list(theirs.filter(waiting).order_by("handler_due", "id")),
        done=list(theirs.exclude(waiting).order_by("-assigned_at", "-id")[:done_limit]),
    )


def access_directed_assignment(user: User | AnonymousUser, task_id) -> FirmAssignment:
    """The latest assignment of case ``task_id`` to a law firm the user directs; 404 otherwise
    (the case is the centre's: nobody else learns that it exists)."""
    ids = roles_of(user).coordinated_ids
    assignment = (
        FirmAssignment.objects.filter(task_id=id_or_404(task_id), law_firm_id__in=ids)
        .select_related("task", "law_firm", "assigned_by")
        .order_by("-assigned_at", "-id")
        .first()
    )
    if assignment is None:
        raise NotFound()
    return assignment


# --- writes ----------------------------------------------------------------------------------


def firm_assign(*, task: AidTask, law_firm: Organization, by: User, now: datetime | None = None) -> FirmAssignment:
    """Coordinators of the legal aid centre whose case it is assign it to a law firm (Art. 43): a
    case (409 ``not_a_case``) that is a draft or takes claims, with its seat free (409
    ``task_full``), not already with a firm (409 ``awaiting_handler``). 400 on ``law_firm`` when
    it is not a law firm or lies outside the case's region. The firm's directors are told; the
    matter counts as assigned from now."""
    now = now or timezone.now()
    roles = roles_of(by)
    roles.require_coordinator(task.organization_id)
    roles.require_centre(task.organization_id)
    if law_firm.kind != OrganizationKind.LAW_FIRM:
        raise Invalid(_("Choose a law firm."), field="law_firm", code="not_law_firm")
    if not region_eligible(task.region, law_firm.region):
        raise Invalid(
            _("The law firm is in %(firm)s, outside the case's region %(region)s.")
            % {"firm": law_firm.region.name, "region": task.region.name},
            field="law_firm",
            code="outside_region",
        )
    if not task.is_case:
        raise Conflict(_("Only a case is assigned to a law firm."), code="not_a_case")
    try:
        with transaction.atomic():
            task = _lock_case(task.pk)
            task_services.require_takes_claims(task, or_draft_case=True)
            if FirmAssignment.objects.filter(task=task, status=FirmAssignmentStatus.AWAITING_HANDLER).exists():
                raise Conflict(_("A law firm is already naming the handler of this case."), code="awaiting_handler")
            task_services.require_free_seat(task)
            assignment = FirmAssignment.objects.create(
                task=task,
                law_firm=law_firm,
                status=FirmAssignmentStatus.AWAITING_HANDLER,
                assigned_at=now,
                assigned_by=by,
                handler_due=now + timedelta(hours=settings.LEGAL_AID_HANDLER_HOURS),
            )
            hooks.firm_assigned(task=task, firm_name=law_firm.name, by=by, now=now)
            _publish(assignment)
    except IntegrityError:  # applications_firmassignment_one_awaiting_per_task
        raise Conflict(_("A law firm is already naming the handler of this case."), code="awaiting_handler") from None
    return assignment


def firm_name_handler(*, task_id, volunteer: Volunteer, by: User, now: datetime | None = None) -> Claim:
    """A director of the law firm the case was assigned to (an admin or coordinator of the firm;
    404 for anyone else) names its handler: a verified lawyer practising at the firm (400 on
    ``volunteer``, ``not_of_firm``; 403 ``not_eligible`` for anyone but a lawyer, or a lawyer the
    case's rules exclude), never the director themself (403 ``own_record``). 409
    ``handler_already_named``, ``firm_assignment_withdrawn``, ``conflict_of_interest`` (the
    earlier matter's number). Returns the handler's claim: an accepted assignment."""
    now = now or timezone.now()
    assignment = access_directed_assignment(by, task_id)
    if volunteer.practice_org_id != assignment.law_firm_id:
        raise Invalid(
            _("%(name)s does not practise at %(firm)s.")
            % {"name": volunteer.display_name, "firm": assignment.law_firm.name},
            field="volunteer",
            code="not_of_firm",
        )
    if volunteer.kind != VolunteerKind.LAWYER:
        raise task_services.NotEligible(_("A law firm names one of its lawyers as the handler."))
    with transaction.atomic():
        _lock_case(assignment.task_id)
        status = FirmAssignment.objects.filter(pk=assignment.pk).values_list("status", flat=True).get()
        if status == FirmAssignmentStatus.HANDLER_NAMED:
            raise Conflict(_("The firm already named the handler of this case."), code="handler_already_named")
        if status == FirmAssignmentStatus.WITHDRAWN:
            raise Conflict(
                _("The legal aid centre withdrew this assignment from the firm."), code="firm_assignment_withdrawn"
            )
        claim = task_services.task_assign_named_handler(
            task=assignment.task, volunteer=volunteer, by=by, assigned_by=assignment.assigned_by, now=now
        )
        changed = FirmAssignment.objects.filter(pk=assignment.pk, status=FirmAssignmentStatus.AWAITING_HANDLER).update(
            status=FirmAssignmentStatus.HANDLER_NAMED, handler=volunteer, claim=claim, named_at=now, named_by=by
        )
        if changed != 1:
            raise Conflict(_("The assignment changed meanwhile; reload it."), code="firm_assignment_changed")
        assignment.status = FirmAssignmentStatus.HANDLER_NAMED
        _publish(assignment)
    return claim


def firm_withdraw(*, task: AidTask, reason: str, by: User, now: datetime | None = None) -> FirmAssignment:
    """Coordinators of the centre withdraw a case's assignment from a law firm that has not named
    its handler (after ``handler_due``, or earlier), with a reason (400 on ``reason``); the case
    is free to assign again. 409 ``no_firm_assignment`` when no firm is naming a handler."""
    now = now or timezone.now()
    roles = roles_of(by)
    roles.require_coordinator(task.organization_id)
    roles.require_centre(task.organization_id)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say why the assignment is withdrawn."), field="reason", code="required")
    if len(reason) > MAX_REASON:
        raise Invalid(_("At most %(n)d characters.") % {"n": MAX_REASON}, field="reason", code="max_length")
    with transaction.atomic():
        task = _lock_case(task.pk)
        assignment = FirmAssignment.objects.filter(task=task, status=FirmAssignmentStatus.AWAITING_HANDLER).first()
        changed = (
            0
            if assignment is None
            else FirmAssignment.objects.filter(pk=assignment.pk, status=FirmAssignmentStatus.AWAITING_HANDLER).update(
                status=FirmAssignmentStatus.WITHDRAWN, withdrawn_reason=reason
            )
        )
        if changed != 1:
            raise Conflict(_("No law firm is naming the handler of this case."), code="no_firm_assignment")
        assignment.status, assignment.withdrawn_reason = FirmAssignmentStatus.WITHDRAWN, reason
        hooks.firm_withdrawn(task=task, reason=reason, by=by, now=now)
        _publish(assignment)
    return assignment
