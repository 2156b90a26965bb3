"""Every write to aid tasks and claims. Views and pages call these; nothing else changes state.

Seats: ``AidTask.seats_taken`` counts accepted claims. A claim takes its seat with one
conditional UPDATE (``_take_seat``: ``seats_taken + 1 ... WHERE status IN (open, filled) AND
seats_taken < seats``) whose row count decides accepted or not, so two claims for the last seat
cannot both take it; the coordinators' services first lock the task row (``_lock_task``) and then
read, decide and write inside one transaction. The database backs this with the check constraint
``marketplace_aidtask_not_oversold`` and the partial unique index
``marketplace_claim_one_live_per_provider``. Whoever locks a task and then a provider does it in
that order (task, then provider), so the two kinds of lock never wait on each other in a cycle.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from marketplace import confidential as confidential_schema
from marketplace import events, signals
from marketplace.applications import caseload, matching
from marketplace.applications import hooks as assignment_hooks
from marketplace.applications.models import AssignmentRefusal, RefusalRuling
from marketplace.core.crypto import decrypt_json, encrypt_json
from marketplace.core.errors import Conflict, Forbidden, Invalid, ensure_not_own_record
from marketplace.core.text import in_product_language
from marketplace.core.transitions import transition
from marketplace.models import (
    CASE_KINDS,
    CLAIMABLE_TASK_STATUSES,
    EDITABLE_TASK_STATUSES,
    HELD_CLAIM_STATUSES,
    PENDING_CLAIM_STATUSES,
    UNFINISHED_CLAIM_STATUSES,
    AidTask,
    Claim,
    ClaimStatus,
    ConfidentialAccess,
    TaskStatus,
)
from marketplace.rosters.rules import DUTY_LAWYER_KINDS, LAWYERS_ONLY, lawyers_only, require_lawyer
from marketplace.search import search_text_for
from marketplace.selectors import claim_problem, coordinator_user_ids, overlap_problem, overlapping_accepted_claim
from organizations.models import POSTING_KINDS, Organization, OrganizationKind
from organizations.roles import roles_of
from volunteers.models import Volunteer, VolunteerKind

TASK_FIELDS = (
    "title",
    "summary",
    "kind",
    "category",
    "beneficiary_group",
    "region",
    "location",
    "is_remote",
    "starts_at",
    "ends_at",
    "claim_deadline",
    "seats",
    "estimated_hours",
    "eligible_kinds",
    "requires_approval",
)


class NotEligible(Forbidden):
    code = "not_eligible"


# --- helpers ---------------------------------------------------------------------------------


def require_takes_claims(task: AidTask, *, or_draft_case: bool = False) -> None:
    """Refuse (409 task_closed) a task that no longer takes claims: not open or filled. With
    ``or_draft_case``, a case still in draft may be assigned too (the centre assigns before it
    publishes)."""
    if not (task.takes_claims or (or_draft_case and task.is_case and task.is_draft)):
        raise Conflict(_("This task no longer takes claims."), code="task_closed")


def require_free_seat(task: AidTask) -> None:
    """Refuse (409 task_full) a task whose seats are all taken (read under the task's lock)."""
    if task.seats_taken >= task.seats:
        raise Conflict(_("Every seat is taken."), code="task_full")


def _lock_task(task_id: int) -> AidTask:
    """The task row, locked until the transaction ends.

    PostgreSQL: ``SELECT ... FOR UPDATE`` makes concurrent claims on the task queue here, each
    seeing the seats the previous one took. SQLite ignores it, but the connection opens every
    transaction with ``BEGIN IMMEDIATE`` (settings), which takes the database's write lock first.
    """
    return AidTask.objects.select_for_update(of=("self",)).select_related("region", "organization").get(pk=task_id)


def _lock_task_state(task: AidTask) -> None:
    """Lock the task row and refresh ``task``'s status and seats from it (nothing else).

    ``FOR NO KEY UPDATE``, the lock an UPDATE takes: it does not block the foreign-key checks of
    claims being inserted for the task. SQLite ignores it; ``BEGIN IMMEDIATE`` serialises there.
    """
    task.status, task.seats_taken, task.seats = (
        AidTask.objects.select_for_update(no_key=True).values_list("status", "seats_taken", "seats").get(pk=task.pk)
    )


def _take_seat(task: AidTask, *, now: datetime, provider: int | None = None) -> bool:
    """One conditional UPDATE: a seat of ``task`` if it is open or filled and a seat is free.

    The row count decides: True, the seat is ours (and the task row is locked until the
    transaction ends; ``task`` carries the new seats and status); False, nothing changed (and
    nothing is locked). On PostgreSQL a concurrent UPDATE of the row waits for ours and then
    re-evaluates the WHERE against the committed row, so the last seat goes to exactly one claim;
    on SQLite the ``BEGIN IMMEDIATE`` transactions run one at a time. The status becomes filled
    exactly when the seat taken is the last one.

    ``provider``: on PostgreSQL the same statement then also locks that provider's row
    (``_lock_provider``'s lock), after the task's and only when the seat was taken, so the overlap
    check that follows costs one round trip and the lock order stays task, then provider. SQLite
    has no row locks (its transactions are serialised already).
    """
    table = AidTask._meta.db_table
    claimable = sorted(s.value for s in CLAIMABLE_TASK_STATUSES)
    update = (
        f"UPDATE {table} SET seats_taken = seats_taken + 1, "  # noqa: S608 (no user input in the names)
        "status = CASE WHEN seats_taken + 1 >= seats THEN %s ELSE %s END, updated_at = %s "
        f"WHERE id = %s AND status IN ({', '.join(['%s'] * len(claimable))}) AND seats_taken < seats "
        "RETURNING seats_taken, seats, status"
    )
    params = [
        TaskStatus.FILLED.value,
        TaskStatus.OPEN.value,
        connection.ops.adapt_datetimefield_value(now),
        task.pk,
        *claimable,
    ]
    if provider is not None and connection.vendor == "postgresql":
        # The data-modifying CTE yields its row once the UPDATE holds the task's row; only then
        # is the subquery evaluated (it refers to that row, so it runs per row, not up front),
        # which waits for and locks the provider's row.
        volunteers = Volunteer._meta.db_table
        update = (
            f"WITH seat AS ({update}) SELECT seat.seats_taken, seat.seats, seat.status, "  # noqa: S608
            f"(SELECT v.id FROM {volunteers} v WHERE v.id = %s AND seat.seats_taken > 0 FOR NO KEY UPDATE) "
            "FROM seat"
        )
        params.append(provider)
    with connection.cursor() as cursor:
        cursor.execute(update, params)
        row = cursor.fetchone()
    if row is None:
        return False
    task.seats_taken, task.seats, task.status = row[:3]
    return True


def _lock_provider(volunteer_id: int) -> None:
    """Lock the provider's row until the transaction ends, before reading their accepted claims.

    The overlap rule concerns the provider's own claims on other tasks, which no task lock covers:
    a provider claiming two overlapping tasks at once (two tabs, a double submit) would otherwise
    see neither claim in the other's check and be accepted on both. Taken after the task's lock.
    """
    list(Volunteer.objects.select_for_update(no_key=True).filter(pk=volunteer_id).values_list("pk"))


def _busy_then(task: AidTask, volunteer: Volunteer) -> bool:
    """Whether the provider holds an accepted task at ``task``'s time, read under the provider's
    lock (``_lock_provider``; the caller holds the task's)."""
    _lock_provider(volunteer.pk)
    overlapping = overlapping_accepted_claim(
        volunteer=volunteer, starts_at=task.starts_at, ends_at=task.ends_at, kind=task.kind
    )
    return overlapping is not None


def _is_one_live_claim_violation(exc: IntegrityError) -> bool:
    """Whether ``exc`` is the unique index ``marketplace_claim_one_live_per_provider``."""
    constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
    if constraint is not None:  # PostgreSQL names the constraint
        return constraint == "marketplace_claim_one_live_per_provider"
    table = Claim._meta.db_table  # SQLite names the columns
    return f"UNIQUE constraint failed: {table}.task_id, {table}.volunteer_id" in str(exc)


def _publish_claims_after_commit(claims: list[Claim], organization_id: int) -> None:
    """``claim.changed`` for each claim after commit; the coordinators are looked up then, once,
    outside any lock (a rolled-back transaction drops the callback, so nothing is looked up)."""

    def publish() -> None:
        coordinator_ids = coordinator_user_ids(organization_id)
        for claim in claims:
            events.claim_changed(claim, coordinator_ids=coordinator_ids)

    transaction.on_commit(publish)


def _status_for_seats(task: AidTask) -> str:
    if task.takes_claims:
        return TaskStatus.FILLED if task.seats_taken >= task.seats else TaskStatus.OPEN
    return task.status


def _save_seats(task: AidTask, *, now: datetime) -> None:
    task.status = _status_for_seats(task)
    AidTask.objects.filter(pk=task.pk).update(seats_taken=task.seats_taken, status=task.status, updated_at=now)


def _hold_seat(task: AidTask, claim: Claim, *, by: User, now: datetime, named_by_firm: bool = False) -> None:
    """``claim``, now accepted, holds a seat of ``task`` (locked by the caller): the count and
    status are saved, and on a case the application learns who holds it."""
    task.seats_taken += 1
    _save_seats(task, now=now)
    claim.task = task
    if task.is_case:
        assignment_hooks.case_held(task=task, claim=claim, by=by, now=now, named_by_firm=named_by_firm)


def _move_claim(claim: Claim, *, from_statuses, to: str, now: datetime, **fields) -> None:
    conflict = Conflict(_("The claim changed meanwhile; reload it."), code="claim_changed")
    transition(claim, from_statuses=from_statuses, conflict=conflict, status=to, updated_at=now, **fields)


def _move_task(task: AidTask, *, from_statuses, to: str, now: datetime, conflict: Conflict, **fields) -> None:
    transition(task, from_statuses=from_statuses, conflict=conflict, status=to, updated_at=now, **fields)


def _publish_claim(claim: Claim, coordinator_ids: list[int]) -> None:
    events.claim_changed(claim, coordinator_ids=coordinator_ids)


def _promote_waitlist(task: AidTask, *, now: datetime) -> list[Claim]:
    """Accept the oldest waitlisted claims while seats remain (the task is locked by the caller).

    A waitlisted provider who has meanwhile taken an overlapping task stays waitlisted.
    """
    promoted = []
    waiting = list(
        Claim.objects.filter(task=task, status=ClaimStatus.WAITLISTED)
        .select_related("volunteer")
        .order_by("created_at", "id")
    )
    for claim in waiting:
        if task.seats_taken >= task.seats:
            break
        if _busy_then(task, claim.volunteer):
            continue
        _move_claim(claim, from_statuses=[ClaimStatus.WAITLISTED], to=ClaimStatus.ACCEPTED, now=now, decided_at=now)
        task.seats_taken += 1
        promoted.append(claim)
    return promoted


def _refuse_conflict(task: AidTask, volunteer: Volunteer | None) -> None:
    """Before a provider holds a case: 409 ``conflict_of_interest`` if they acted for this
    matter's opposing party, naming the earlier matter by its number only (never a party)."""
    if volunteer is None or not task.is_case:
        return
    number = matching.conflict_for(task=task, volunteer=volunteer)
    if number is not None:
        raise Conflict(matching.conflict_detail(number), code="conflict_of_interest")


def _refuse_overlap(task: AidTask, volunteer: Volunteer) -> None:
    """403 ``not_eligible`` when the provider has an accepted task at that time (one query; none
    for a case)."""
    problem = overlap_problem(task=task, volunteer=volunteer)
    if problem:
        raise NotEligible(problem)


def _refuse_while_firm_names(task: AidTask) -> None:
    """A case assigned to a law firm waits for the firm to name its handler (409 ``awaiting_handler``)."""
    if task.is_case and matching.awaiting_firm(task) is not None:
        raise Conflict(
            _("A law firm is naming the handler of this case; withdraw its assignment first."),
            code="awaiting_handler",
        )


def _require_case_poster(organization: Organization, kind: str | None) -> None:
    """Only legal aid centres post cases (Art. 43: the centre assigns every matter): a station
    registers the application and forwards it (403 ``cases_for_centres``)."""
    if kind in CASE_KINDS and organization.kind != OrganizationKind.LEGAL_AID_CENTER:
        raise Forbidden(
            _(
                "Only legal aid centres post cases (criminal defence, civil representation, mediation and "
                "arbitration); register the matter as a legal aid application and forward it to the centre."
            ),
            code="cases_for_centres",
            field="kind",
        )


def _validate_task(values: dict, *, organization: Organization, now: datetime, stored: AidTask | None = None) -> None:
    """Rules across fields, each failure naming its field and reason (400).

    ``values`` are the task's values after the change; ``stored`` the task before it (None on
    create). The bounds on when a task starts, and on its claim deadline, apply to a value that
    changes, so that a task already under way keeps its past start through any other edit.
    """
    for name in ("title", "summary", "location"):
        text = values.get(name)
        limit = AidTask._meta.get_field(name).max_length
        if text is not None and len(text) > limit:
            raise Invalid(
                _("At most %(n)d characters (this has %(m)d).") % {"n": limit, "m": len(text)},
                field=name,
                code="max_length",
            )
    if "title" in values and not (values["title"] or "").strip():
        raise Invalid(_("A task needs a title."), field="title", code="required")

    def changed(name: str) -> bool:
        return values.get(name) is not None and (stored is None or getattr(stored, name) != values[name])

    starts_at, ends_at, deadline = values.get("starts_at"), values.get("ends_at"), values.get("claim_deadline")
    earliest = now - timedelta(hours=settings.TASK_START_GRACE_HOURS)
    if changed("starts_at"):
        if starts_at < earliest:
            raise Invalid(
                _("A task cannot start before %(t)s (sessions already held are entered within %(h)d hours).")
                % {"t": _local_minute(earliest), "h": settings.TASK_START_GRACE_HOURS},
                field="starts_at",
                code="starts_too_early",
            )
        latest = now + timedelta(days=settings.TASK_MAX_LEAD_DAYS)
        if starts_at > latest:
            raise Invalid(
                _("A task starts at most %(d)d days ahead, by %(t)s.")
                % {"d": settings.TASK_MAX_LEAD_DAYS, "t": _local_minute(latest)},
                field="starts_at",
                code="starts_too_late",
            )
    if starts_at and ends_at and ends_at <= starts_at:
        raise Invalid(_("The end must be after the start."), field="ends_at", code="ends_before_start")
    if (
        starts_at
        and ends_at
        and (changed("starts_at") or changed("ends_at"))
        and ends_at - starts_at > timedelta(days=settings.TASK_MAX_SPAN_DAYS)
    ):
        raise Invalid(
            _("A task lasts at most %(d)d days.") % {"d": settings.TASK_MAX_SPAN_DAYS},
            field="ends_at",
            code="too_long",
        )
    if deadline and starts_at and deadline > starts_at:
        raise Invalid(_("The claim deadline cannot be after the start."), field="claim_deadline", code="after_start")
    if changed("claim_deadline") and deadline < earliest:
        raise Invalid(
            _("The claim deadline cannot be before %(t)s.") % {"t": _local_minute(earliest)},
            field="claim_deadline",
            code="too_early",
        )
    if values.get("seats") is not None and values["seats"] < 1:
        raise Invalid(_("At least one seat."), field="seats")
    hours = values.get("estimated_hours")
    if hours is not None and Decimal(hours) <= 0:
        raise Invalid(_("Estimated hours must be positive."), field="estimated_hours")
    kinds = values.get("eligible_kinds") or []
    unknown = [k for k in kinds if k not in VolunteerKind.values]
    if unknown:
        raise Invalid(_("Unknown provider kinds: %(k)s.") % {"k": ", ".join(map(str, unknown))}, field="eligible_kinds")
    if lawyers_only(values.get("kind")) and any(k not in DUTY_LAWYER_KINDS for k in kinds):
        raise Invalid(LAWYERS_ONLY, field="eligible_kinds", code="lawyers_only")
    region = values.get("region")
    if region is not None and not region.path.startswith(organization.region.path):
        raise Invalid(_("The task's region must be within the organisation's region."), field="region")


def _local_minute(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _validate_confidential(confidential) -> None:
    if confidential is not None:
        confidential_schema.validate(confidential)


# --- tasks -----------------------------------------------------------------------------------


def task_create(
    *,
    organization: Organization,
    values: dict,
    confidential: dict | None = None,
    publish: bool = False,
    by: User,
    now: datetime | None = None,
) -> AidTask:
    """Coordinators of a posting organisation. Creates a draft (or an open task with ``publish``);
    the confidential details are stored encrypted. Publishing announces the task on the board.
    Cases only by legal aid centres (403 ``cases_for_centres``)."""
    now = now or timezone.now()
    roles_of(by).require_coordinator(
        organization, detail=_("Only coordinators of the organisation can post its tasks.")
    )
    if organization.kind not in POSTING_KINDS:
        raise Forbidden(_("This kind of organisation does not post aid tasks."), code="not_posting_organization")
    _require_case_poster(organization, values.get("kind"))
    values = {k: v for k, v in values.items() if k in TASK_FIELDS}
    values.setdefault("eligible_kinds", [])
    if lawyers_only(values.get("kind")) and not values["eligible_kinds"]:
        values["eligible_kinds"] = list(DUTY_LAWYER_KINDS)
    _validate_task(values, organization=organization, now=now)
    _validate_confidential(confidential)
    with transaction.atomic():
        task = AidTask.objects.create(
            organization=organization,
            status=TaskStatus.OPEN if publish else TaskStatus.DRAFT,
            confidential_ciphertext=encrypt_json(confidential_schema.merged({}, confidential or {})),
            search_text=search_text_for(values.get("title", ""), values.get("summary", "")),
            created_by=by,
            **values,
        )
        events.task_changed(task)
    return task


def task_update(
    *, task: AidTask, changes: dict, confidential: dict | None = None, by: User, now: datetime | None = None
) -> AidTask:
    """Coordinators of the task's organisation, while draft, open or filled. Seats may not drop
    below the accepted claims (409); more seats promote the waitlist. ``confidential`` is merged
    into the stored details (``marketplace.confidential.merged``): keys it does not name stay.
    Only a legal aid centre turns a task into a case (403 ``cases_for_centres``); a case another
    organisation posted before that rule keeps its kind through other edits."""
    now = now or timezone.now()
    roles_of(by).require_coordinator(task.organization_id)
    changes = {k: v for k, v in changes.items() if k in TASK_FIELDS}
    if changes.get("kind") not in (None, task.kind):
        _require_case_poster(task.organization, changes["kind"])
    _validate_confidential(confidential)
    with transaction.atomic():
        task = _lock_task(task.pk)
        if not task.is_editable:
            raise Conflict(_("A completed or cancelled task cannot be edited."), code="task_closed")
        merged = {name: getattr(task, name) for name in TASK_FIELDS} | changes
        _validate_task(merged, organization=task.organization, now=now, stored=task)
        if merged["seats"] < task.seats_taken:
            raise Conflict(
                ngettext(
                    "%(n)d claim is accepted; the task cannot have fewer seats.",
                    "%(n)d claims are accepted; the task cannot have fewer seats.",
                    task.seats_taken,
                )
                % {"n": task.seats_taken},
                code="seats_below_accepted",
            )
        for name, value in changes.items():
            setattr(task, name, value)
        task.search_text = search_text_for(task.title, task.summary)
        if confidential:
            stored = decrypt_json(task.confidential_ciphertext)
            task.confidential_ciphertext = encrypt_json(confidential_schema.merged(stored, confidential))
        promoted = _promote_waitlist(task, now=now)
        task.status = _status_for_seats(task)
        task.updated_at = now
        task.save()
        coordinators = coordinator_user_ids(task.organization_id) if promoted else []
        for claim in promoted:
            _publish_claim(claim, coordinators)
        events.task_changed(task)
    return task


def task_publish(*, task: AidTask, by: User, now: datetime | None = None) -> AidTask:
    """Coordinators. A draft opens on the board."""
    now = now or timezone.now()
    roles_of(by).require_coordinator(task.organization_id)
    with transaction.atomic():
        not_draft = Conflict(_("Only a draft can be published."), code="task_not_draft")
        _move_task(task, from_statuses=[TaskStatus.DRAFT], to=TaskStatus.OPEN, now=now, conflict=not_draft)
        task.refresh_from_db()
        events.task_changed(task)
    return task


def task_cancel(*, task: AidTask, reason: str, by: User, now: datetime | None = None) -> AidTask:
    """Coordinators, before completion. Cancels every live claim (their providers are told) and
    frees the seats."""
    now = now or timezone.now()
    roles_of(by).require_coordinator(task.organization_id)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say why the task is cancelled."), field="reason")
    with transaction.atomic():
        task = _lock_task(task.pk)
        was_published = not task.is_draft
        _move_task(
            task,
            from_statuses=EDITABLE_TASK_STATUSES,
            to=TaskStatus.CANCELLED,
            now=now,
            conflict=Conflict(_("The task is already completed or cancelled."), code="task_closed"),
            cancel_reason=reason[:500],
            seats_taken=0,
        )
        live = list(Claim.objects.filter(task=task, status__in=UNFINISHED_CLAIM_STATUSES).select_related("volunteer"))
        Claim.objects.filter(pk__in=[c.pk for c in live]).update(
            status=ClaimStatus.CANCELLED, reason=reason[:500], decided_by=by, decided_at=now, updated_at=now
        )
        task.refresh_from_db()
        coordinators = coordinator_user_ids(task.organization_id) if live else []
        for claim in live:
            claim.status = ClaimStatus.CANCELLED
            _publish_claim(claim, coordinators)
        if was_published:
            events.task_changed(task)
    return task


def task_complete(*, task: AidTask, by: User, now: datetime | None = None) -> AidTask:
    """Coordinators, once the task has started. Accepted claims complete; pending and waitlisted
    ones are cancelled. A case is completed only by the centre's acceptance of its closing
    (``case_close``, called by marketplace.cases): 409 ``use_closing`` here, and no case is ever
    credited by this service."""
    now = now or timezone.now()
    roles_of(by).require_coordinator(task.organization_id)
    with transaction.atomic():
        task = _lock_task(task.pk)
        if task.is_case:
            raise Conflict(
                _("A case is completed by accepting its closing report, not by this action."), code="use_closing"
            )
        if not task.can_complete:
            raise Conflict(_("Only an open or filled task can be completed."), code="task_not_open")
        if now < task.starts_at:
            raise Conflict(_("The task has not started yet."), code="task_not_started")
        AidTask.objects.filter(pk=task.pk).update(status=TaskStatus.COMPLETED, updated_at=now)
        _end_claims(task, reason=gettext_lazy("The task was completed."), by=None, now=now)
        task.refresh_from_db()
        events.task_changed(task)
    return task


def task_reveal_confidential(*, task: AidTask, by: User, via: str, now: datetime | None = None) -> dict | None:
    """The aided person's details if ``by`` may see them, recording the reveal; else None.

    May see: coordinators of the posting organisation, and providers whose claim is accepted (or
    completed) and who confirmed they have no conflict of interest.
    """
    now = now or timezone.now()
    if not task.confidential_ciphertext or not by.is_authenticated:
        return None
    allowed = (
        roles_of(by).is_coordinator_of(task.organization_id)
        or Claim.objects.filter(
            task=task,
            volunteer__user=by,
            status__in=HELD_CLAIM_STATUSES,
            no_conflict_confirmed_at__isnull=False,
        ).exists()
    )
    if not allowed:
        return None
    ConfidentialAccess.objects.create(task=task, user=by, accessed_at=now, via=via)
    return confidential_schema.normalized(decrypt_json(task.confidential_ciphertext))


# --- claims ----------------------------------------------------------------------------------


def claim_create(*, task: AidTask, volunteer: Volunteer | None, by: User, now: datetime | None = None) -> Claim:
    """Providers, for themselves. 409 ``task_closed`` unless the task is open or filled; 409
    ``already_claimed`` with a live claim; 403 ``not_eligible`` with the reason. Without approval
    the claim is accepted while seats remain, else waitlisted; with approval it is requested.

    ``task`` as the caller read it (with region and organisation). What can change meanwhile,
    and where it is decided:

    - eligibility (the provider's status, kind and region; the task's kinds, region and claim
      deadline) is judged before any lock on the task as read: a claim racing an edit of the
      task is judged as if it had come just before the edit;
    - status and seats are decided under the row lock only: the seat by ``_take_seat``'s
      conditional UPDATE, otherwise (waitlist, approval) by locking the row, so a concurrent
      cancel, completion or withdrawal either sees this claim or comes first;
    - the overlap with the provider's own accepted claims is checked once: for a seat, under the
      provider's lock that the seat's UPDATE takes with it (``_take_seat``), since only the
      provider's own other claims can change it; a clash rolls the seat back. Without a seat
      (waitlist, approval) it is checked before the task's lock, for the answer;
    - a second live claim on the task is refused by the unique index: its violation rolls the
      whole transaction back (seat included), so no SAVEPOINT is needed; nested in an outer
      transaction, ``atomic`` makes the savepoint itself.

    Under the task's lock, for an accepted claim: the overlap SELECT and the INSERT, then COMMIT
    (issue 15: the lock is held for the statements that need it, not for Python's checks).
    """
    now = now or timezone.now()
    if volunteer is not None and volunteer.user_id != by.pk:
        raise Forbidden()
    require_takes_claims(task)
    require_lawyer(task, volunteer)  # duty shifts: 403 lawyers_only, whatever eligible_kinds says
    problem = claim_problem(task=task, volunteer=volunteer, now=now, overlap=False)
    if problem:
        raise NotEligible(problem)
    _refuse_while_firm_names(task)
    _refuse_conflict(task, volunteer)
    # Cases never clash in time (selectors.overlapping_accepted_claim): no provider lock for them.
    provider = None if task.is_case else volunteer.pk
    try:
        with transaction.atomic():
            if not task.requires_approval and _take_seat(task, now=now, provider=provider):
                status = ClaimStatus.ACCEPTED
            else:
                _refuse_overlap(task, volunteer)
                _lock_task_state(task)
                require_takes_claims(task)
                if task.requires_approval:
                    status = ClaimStatus.REQUESTED
                elif task.seats_taken < task.seats and _take_seat(task, now=now, provider=provider):  # freed meanwhile
                    status = ClaimStatus.ACCEPTED
                else:
                    status = ClaimStatus.WAITLISTED
            if status == ClaimStatus.ACCEPTED:
                _refuse_overlap(task, volunteer)
            claim = Claim.objects.create(
                task=task,
                volunteer=volunteer,
                status=status,
                decided_at=now if status == ClaimStatus.ACCEPTED else None,
            )
            if status == ClaimStatus.ACCEPTED:
                events.task_changed(task)
                if task.is_case:
                    assignment_hooks.case_held(task=task, claim=claim, by=by, now=now)
            _publish_claims_after_commit([claim], task.organization_id)
    except IntegrityError as exc:
        # A completed claim on the same task also counts as live (the unique index).
        if not _is_one_live_claim_violation(exc):
            raise
        raise Conflict(_("You already have a claim on this task."), code="already_claimed") from None
    return claim


def claim_accept(*, claim: Claim, by: User, now: datetime | None = None) -> Claim:
    """Coordinators of the task's organisation: a requested or waitlisted claim takes a seat.
    403 ``own_record`` on the coordinator's own claim; 409 ``task_full`` when none is left,
    ``schedule_conflict`` when the provider is busy then."""
    now = now or timezone.now()
    roles_of(by).require_coordinator(
        claim.task.organization_id, detail=_("Only the posting organisation's coordinators accept claims.")
    )
    ensure_not_own_record(by, claim.volunteer)
    require_lawyer(claim.task, claim.volunteer)
    with transaction.atomic():
        task = _lock_task(claim.task_id)
        require_takes_claims(task)
        if not claim.awaits_decision:
            raise Conflict(_("Only a requested or waitlisted claim can be accepted."), code="claim_not_pending")
        require_free_seat(task)
        if _busy_then(task, claim.volunteer):
            raise Conflict(_("The provider has an accepted task at that time."), code="schedule_conflict")
        _refuse_conflict(task, claim.volunteer)
        _move_claim(
            claim,
            from_statuses=PENDING_CLAIM_STATUSES,
            to=ClaimStatus.ACCEPTED,
            now=now,
            decided_by=by,
            decided_at=now,
        )
        _hold_seat(task, claim, by=by, now=now)
        _publish_claims_after_commit([claim], task.organization_id)
        events.task_changed(task)
    return claim


def claim_decline(*, claim: Claim, reason: str, by: User, now: datetime | None = None) -> Claim:
    """Two callers, each only with a reason (400 on ``reason``). The coordinator declines a
    requested or waitlisted claim; the provider reads the reason. The provider refuses an
    assignment (指派) made to them: the refusal waits for the centre's ruling
    (``claim_refusal_rule``) and the provider keeps the case meanwhile; one refusal per
    assignment (409 ``refusal_recorded``)."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        task = _lock_task(claim.task_id)
        if claim.volunteer.user_id == by.pk:
            if not claim.is_assignment:
                raise Forbidden(_("Withdraw your own claim instead."), code="not_assignment")
            if not reason:
                raise Invalid(_("Say why you decline the assignment."), field="reason", code="required")
            claim.refresh_from_db(fields=["status"])
            if not claim.can_decline_assignment:
                raise Conflict(_("Only a current assignment can be declined."), code="claim_not_pending")
            if AssignmentRefusal.objects.filter(claim=claim).exists():
                raise Conflict(
                    _("You already refused this assignment; the legal aid centre rules on it."),
                    code="refusal_recorded",
                )
            AssignmentRefusal.objects.create(claim=claim, reason=reason[:500], refused_at=now)
            claim.task = task
            assignment_hooks.handler_refused(claim=claim, reason=reason, by=by, now=now)
            promoted = []
        else:
            roles_of(by).require_coordinator(task.organization_id)
            if not claim.awaits_decision:
                raise Conflict(_("Only a requested or waitlisted claim can be declined."), code="claim_not_pending")
            if not reason:
                raise Invalid(_("Say why you decline the claim."), field="reason", code="required")
            _move_claim(
                claim,
                from_statuses=PENDING_CLAIM_STATUSES,
                to=ClaimStatus.DECLINED,
                now=now,
                reason=reason[:500],
                decided_by=by,
                decided_at=now,
            )
            promoted = []
        _publish_claims_after_commit([claim, *promoted], task.organization_id)
    return claim


def claim_refusal_rule(*, claim: Claim, accepted: bool, by: User, now: datetime | None = None) -> Claim:
    """Coordinators of the legal aid centre that assigned the case rule on its handler's refusal,
    never on their own (403 ``own_record``). Accepted (a good reason): the assignment is declined,
    the seat freed and the case free to reassign, its assignment still due by the date it had.
    Rejected: the handler keeps the case and the refusal stays on the register against them
    (Legal Aid Law Art. 64). 409 ``no_refusal_pending``. Returns the claim."""
    now = now or timezone.now()
    roles = roles_of(by)
    roles.require_coordinator(claim.task.organization_id)
    roles.require_centre(claim.task.organization_id)
    if not isinstance(accepted, bool):
        raise Invalid(_("Must be true or false."), field="accepted")
    ensure_not_own_record(by, claim.volunteer)
    with transaction.atomic():
        task = _lock_task(claim.task_id)
        ruling = RefusalRuling.ACCEPTED if accepted else RefusalRuling.REJECTED
        changed = AssignmentRefusal.objects.filter(claim=claim, ruling=RefusalRuling.PENDING).update(
            ruling=ruling, ruled_by=by, ruled_at=now
        )
        if changed != 1:
            raise Conflict(_("No refusal of this assignment awaits a ruling."), code="no_refusal_pending")
        refusal = AssignmentRefusal.objects.get(claim=claim)
        promoted = []
        if accepted:
            _move_claim(
                claim,
                from_statuses=[ClaimStatus.ACCEPTED],
                to=ClaimStatus.DECLINED,
                now=now,
                reason=refusal.reason,
                declined_by_provider=True,
                decided_by=by,
                decided_at=now,
            )
            task.seats_taken -= 1
            promoted = _promote_waitlist(task, now=now)
            _save_seats(task, now=now)
            events.task_changed(task)
        claim.task = task
        claim._state.fields_cache.pop("refusal", None)
        assignment_hooks.refusal_ruled(claim=claim, accepted=accepted, by=by, now=now)
        _publish_claims_after_commit([claim, *promoted], task.organization_id)
    return claim


def claim_withdraw(*, claim: Claim, reason: str = "", by: User, now: datetime | None = None) -> Claim:
    """The claim's provider. Frees the seat of an accepted claim and promotes the oldest waitlisted
    claim. An assignment is declined with a reason instead (409 ``assignment_decline_required``)."""
    now = now or timezone.now()
    if claim.volunteer.user_id != by.pk:
        raise Forbidden(_("Only the provider can withdraw a claim."))
    with transaction.atomic():
        task = _lock_task(claim.task_id)
        if claim.status not in UNFINISHED_CLAIM_STATUSES:
            raise Conflict(_("This claim is no longer live."), code="claim_closed")
        if claim.can_decline_assignment:
            raise Conflict(
                _("An assignment is declined with a reason, not withdrawn."), code="assignment_decline_required"
            )
        was_accepted = claim.status == ClaimStatus.ACCEPTED
        _move_claim(
            claim,
            from_statuses=UNFINISHED_CLAIM_STATUSES,
            to=ClaimStatus.WITHDRAWN,
            now=now,
            reason=(reason or "")[:500],
        )
        promoted = []
        if was_accepted:
            task.seats_taken -= 1
            promoted = _promote_waitlist(task, now=now)
            _save_seats(task, now=now)
            events.task_changed(task)
        _publish_claims_after_commit([claim, *promoted], task.organization_id)
    return claim


def claim_confirm_no_conflict(*, claim: Claim, by: User, now: datetime | None = None) -> dict:
    """The accepted provider confirms having no conflict of interest; returns the task's
    confidential details, recording the reveal."""
    now = now or timezone.now()
    if claim.volunteer.user_id != by.pk:
        raise Forbidden(_("Only the claim's provider confirms no conflict."))
    with transaction.atomic():
        if not claim.can_reveal:
            raise Conflict(_("Only an accepted claim sees the confidential details."), code="claim_not_accepted")
        Claim.objects.filter(pk=claim.pk, no_conflict_confirmed_at__isnull=True).update(
            no_conflict_confirmed_at=now, updated_at=now
        )
        claim.refresh_from_db(fields=["no_conflict_confirmed_at"])
        revealed = task_reveal_confidential(task=claim.task, by=by, via="confirm_no_conflict", now=now)
    return revealed or {}


def task_assign(*, task: AidTask, volunteer: Volunteer, by: User, now: datetime | None = None) -> Claim:
    """Coordinators of a legal aid centre, on its own tasks (指派): an accepted claim for a provider
    who could claim the task (the claim deadline aside; a death or life case only to a lawyer of
    the required years, Art. 26), never the coordinator themself (403 ``own_record``). A draft
    case is assigned as it is (it leaves the draft: filled). 409 ``task_full``,
    ``already_claimed``, ``awaiting_handler`` (a law firm names the handler),
    ``conflict_of_interest`` (the provider acted for the opposing party: the earlier matter's
    number), ``case_cap_reached`` (the provider carries as many open cases as the centre's cap)."""
    now = now or timezone.now()
    roles = roles_of(by)
    roles.require_coordinator(task.organization_id)
    roles.require_centre(task.organization_id)
    ensure_not_own_record(by, volunteer)
    with transaction.atomic():
        return _assign(task=task, volunteer=volunteer, by=by, assigned_by=by, now=now)


def task_assign_named_handler(
    *, task: AidTask, volunteer: Volunteer, by: User, assigned_by: User, now: datetime
) -> Claim:
    """The handler a law firm named for a case assigned to it (marketplace.applications checks that
    ``by`` directs the firm and ``volunteer`` is one of its lawyers): the same assignment, with the
    same checks, as the centre's own, ``assigned_by`` the centre's coordinator. Inside the caller's
    transaction."""
    ensure_not_own_record(by, volunteer)
    return _assign(task=task, volunteer=volunteer, by=by, assigned_by=assigned_by, now=now, for_firm=True)


def create_assignment_claim(task: AidTask, volunteer: Volunteer, *, by: User, assigned_by: User, at: datetime) -> Claim:
    """The accepted claim an assignment leaves: ``volunteer`` holds a seat of ``task``, assigned by
    ``assigned_by`` and decided by ``by`` at ``at``. Only the row: the checks and the seat count are
    the caller's (``_assign`` for the centre and firms; the demo data, which builds past cases)."""
    return Claim.objects.create(
        task=task,
        volunteer=volunteer,
        status=ClaimStatus.ACCEPTED,
        is_assignment=True,
        assigned_by=assigned_by,
        decided_by=by,
        decided_at=at,
    )


def _assign(
    *, task: AidTask, volunteer: Volunteer, by: User, assigned_by: User, now: datetime, for_firm: bool = False
) -> Claim:
    task = _lock_task(task.pk)
    assignable_draft = task.is_case and task.is_draft
    require_takes_claims(task, or_draft_case=True)
    if Claim.objects.filter(task=task, volunteer=volunteer, status__in=UNFINISHED_CLAIM_STATUSES).exists():
        raise Conflict(_("The provider already has a claim on this task."), code="already_claimed")
    if not for_firm:
        _refuse_while_firm_names(task)
    require_lawyer(task, volunteer)
    _lock_provider(volunteer.pk)
    problem = claim_problem(task=task, volunteer=volunteer, now=now, for_assignment=True)
    if problem:
        raise NotEligible(problem)
    _refuse_conflict(task, volunteer)
    caseload.refuse_over_cap(task, volunteer.pk)  # counted under the provider's lock
    require_free_seat(task)
    try:
        with transaction.atomic():
            claim = create_assignment_claim(task, volunteer, by=by, assigned_by=assigned_by, at=now)
    except IntegrityError:
        raise Conflict(_("The provider already has a claim on this task."), code="already_claimed") from None
    if assignable_draft:
        task.status = TaskStatus.OPEN  # the seat's count decides between open and filled
    _hold_seat(task, claim, by=by, now=now, named_by_firm=for_firm)
    events.task_changed(task)
    _publish_claim(claim, coordinator_user_ids(task.organization_id))
    return claim


# --- cases: the task side of a case's closing and termination (marketplace.cases calls these) -


def case_lock(task_id: int) -> AidTask:
    """The case task's row, locked until the transaction ends (as every task service locks it)."""
    return _lock_task(task_id)


def _no_closing_in_review() -> Conflict:
    return Conflict(_("The case has no closing under review."), code="closing_not_in_review")


def case_submit_closing(*, task: AidTask, now: datetime) -> None:
    """The handler filed the closing report: a case in progress (open or filled, ``task`` locked
    by the caller) moves to ``closing_review`` and stops taking claims. marketplace.cases checks
    who files and what; 409 ``case_not_in_progress`` if the task is not a case in progress."""
    if not task.is_case:
        raise Conflict(_("Only a case files a closing."), code="not_a_case")
    not_in_progress = Conflict(_("Only a case in progress can file its closing."), code="case_not_in_progress")
    _move_task(
        task, from_statuses=CLAIMABLE_TASK_STATUSES, to=TaskStatus.CLOSING_REVIEW, now=now, conflict=not_in_progress
    )
    events.task_changed(task)


def case_return_closing(*, task: AidTask, now: datetime) -> None:
    """The centre returned the closing report: the case (locked by the caller) goes back to its
    handler, open or filled as its seats say. 409 ``closing_not_in_review`` otherwise."""
    status = TaskStatus.FILLED if task.seats_taken >= task.seats else TaskStatus.OPEN
    _move_task(task, from_statuses=[TaskStatus.CLOSING_REVIEW], to=status, now=now, conflict=_no_closing_in_review())
    events.task_changed(task)


def _end_claims(task: AidTask, *, reason: Promise, by: User | None, now: datetime) -> list[Claim]:
    """Accepted claims complete (their providers may still log the hours they worked); requested
    and waitlisted ones are cancelled with ``reason`` (lazy text, stored in the product's
    language) and ``by`` as their decider (a task's completion names none). Their events go out
    after commit."""
    with in_product_language():
        reason = str(reason)
    claims = list(Claim.objects.filter(task=task, status__in=UNFINISHED_CLAIM_STATUSES).select_related("volunteer"))
    completed = [c for c in claims if c.status == ClaimStatus.ACCEPTED]
    dropped = [c for c in claims if c.status != ClaimStatus.ACCEPTED]
    Claim.objects.filter(pk__in=[c.pk for c in completed]).update(
        status=ClaimStatus.COMPLETED, decided_at=now, updated_at=now
    )
    decider = {"decided_by": by} if by is not None else {}
    Claim.objects.filter(pk__in=[c.pk for c in dropped]).update(
        status=ClaimStatus.CANCELLED, reason=reason[:500], decided_at=now, updated_at=now, **decider
    )
    for c in completed:
        c.status = ClaimStatus.COMPLETED
    for c in dropped:
        c.status = ClaimStatus.CANCELLED
    _publish_claims_after_commit(claims, task.organization_id)
    return claims


def case_close(*, task: AidTask, lead: Claim, by: User, now: datetime) -> Claim:
    """The centre accepted the closing (``task`` locked by the caller, in ``closing_review``):
    the task completes, its accepted claims complete, and ``case_closed`` is sent once, for the
    lead handler's claim, inside this transaction (duties credits the one case and creates the
    subsidy line; a refusal there rolls everything back). 409 ``closing_not_in_review``,
    ``handler_changed`` (the lead's claim is no longer accepted). Returns the lead's claim."""
    if not Claim.objects.filter(pk=lead.pk, task=task, status=ClaimStatus.ACCEPTED).exists():
        raise Conflict(
            _("The handler who filed the closing no longer holds the case; return the closing."),
            code="handler_changed",
        )
    not_in_review = _no_closing_in_review()
    _move_task(
        task, from_statuses=[TaskStatus.CLOSING_REVIEW], to=TaskStatus.COMPLETED, now=now, conflict=not_in_review
    )
    _end_claims(task, reason=gettext_lazy("The case was closed."), by=by, now=now)
    lead = Claim.objects.select_related("task", "volunteer").get(pk=lead.pk)
    signals.case_closed.send(sender=AidTask, task=task, claim=lead, by=by, now=now)
    events.task_changed(task)
    return lead


def case_terminate(*, task: AidTask, by: User, now: datetime) -> None:
    """The centre ended the case on an Art. 48 ground (``task`` locked by the caller, a draft,
    open or filled case): the task is ``terminated``, accepted claims complete without any case
    credit, pending ones are cancelled. 409 ``case_not_in_progress`` otherwise (a closing under
    review is accepted or returned first)."""
    if not task.is_case:
        raise Conflict(_("Only a case can be terminated."), code="not_a_case")
    was_draft = task.is_draft
    not_in_progress = Conflict(_("Only a case not yet closed can be terminated."), code="case_not_in_progress")
    _move_task(task, from_statuses=EDITABLE_TASK_STATUSES, to=TaskStatus.TERMINATED, now=now, conflict=not_in_progress)
    _end_claims(task, reason=gettext_lazy("The legal aid was terminated."), by=by, now=now)
    if not was_draft:
        events.task_changed(task)
