"""What the marketplace's claim and assignment services tell an application about its case, inside
their transactions: a provider now holds it (the first assignment is timed for the statistics), a
handler refused it, the centre ruled. Each records an ``ApplicationEvent`` and sends
``application.changed`` after commit; a task without an application is left alone.
"""

from datetime import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from marketplace.applications import events as application_events
from marketplace.applications.matching import matter_of
from marketplace.applications.models import Application, ApplicationEvent, EventKind
from marketplace.models import AidTask, Claim


def _record(application: Application, kind: str, *, by: User | None, at: datetime, note: str = "") -> None:
    ApplicationEvent.objects.create(application=application, kind=kind, by=by, at=at, note=note[:500])
    application_events.application_changed(application)


def first_assignment(application: Application, *, now: datetime) -> None:
    """The first assignment of the matter (to a provider or a law firm), timed against ``assign_due``
    once: a later reassignment does not change whether the centre assigned on time."""
    if application.assigned_at is not None:
        return
    on_time = application.assign_due is None or timezone.localdate(now) <= application.assign_due
    Application.objects.filter(pk=application.pk, assigned_at__isnull=True).update(
        assigned_at=now, assigned_on_time=on_time
    )
    application.assigned_at, application.assigned_on_time = now, on_time


def case_held(*, task: AidTask, claim: Claim, by: User | None, now: datetime, named_by_firm: bool = False) -> None:
    """A provider holds the case: assigned by the centre, named by a law firm, or a claim accepted."""
    application = matter_of(task)
    if application is None:
        return
    first_assignment(application, now=now)
    kind = EventKind.HANDLER_NAMED if named_by_firm else EventKind.ASSIGNED
    _record(application, kind, by=by, at=now, note=claim.volunteer.display_name)


def firm_assigned(*, task: AidTask, firm_name: str, by: User, now: datetime) -> None:
    application = matter_of(task)
    if application is None:
        return
    first_assignment(application, now=now)
    _record(application, EventKind.ASSIGNED_TO_FIRM, by=by, at=now, note=firm_name)


def firm_withdrawn(*, task: AidTask, reason: str, by: User, now: datetime) -> None:
    application = matter_of(task)
    if application is not None:
        _record(application, EventKind.FIRM_ASSIGNMENT_WITHDRAWN, by=by, at=now, note=reason)


def handler_refused(*, claim: Claim, reason: str, by: User, now: datetime) -> None:
    application = matter_of(claim.task)
    if application is not None:
        _record(application, EventKind.HANDLER_REFUSED, by=by, at=now, note=reason)


def refusal_ruled(*, claim: Claim, accepted: bool, by: User, now: datetime) -> None:
    application = matter_of(claim.task)
    if application is not None:
        kind = EventKind.REFUSAL_ACCEPTED if accepted else EventKind.REFUSAL_REJECTED
        _record(application, kind, by=by, at=now, note=claim.volunteer.display_name)
