"""Reminders on the statutory clocks, one table (docs/notices.md).

Each row: a kind, a selector of what is due at ``now`` (yielding the object, its due date and its
recipients), the notice's title and the page it links to. ``run`` walks the table; the
ReminderSent unique constraint sends each (kind, object, recipient, due date) once.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duties.models import AnnualReview, ProgressStatus
from duties.notices import services
from duties.notices.models import NoticeKind
from duties.selectors import rules_touching, with_progress
from marketplace.applications.models import Application, ApplicationStatus, FirmAssignment, FirmAssignmentStatus
from marketplace.cases.models import MATTER_END_KINDS, ClosingReport, ClosingStatus, Milestone
from marketplace.core.text import in_product_language
from marketplace.evidence.models import EvidenceRequest, EvidenceStatus
from marketplace.models import CASE_KINDS, CLAIMABLE_TASK_STATUSES, HELD_CLAIM_STATUSES, AidTask, Claim
from marketplace.rosters.selectors import uncovered_shifts
from organizations.models import REGULATOR_KINDS, Membership, Organization, OrganizationKind, Role
from volunteers.models import Volunteer


@dataclass(frozen=True)
class Due:
    obj: object
    due_on: date
    recipients: list[User]
    title: str
    url: str


@dataclass(frozen=True)
class Reminder:
    kind: str
    select: Callable[[datetime], Iterable[Due]]


def _members(org_ids: Iterable[int], roles: Iterable[str]) -> dict[int, list[User]]:
    """The active users holding one of ``roles`` in each organisation: one query."""
    out: dict[int, list[User]] = defaultdict(list)
    rows = (
        Membership.objects.filter(organization_id__in=set(org_ids), role__in=list(roles), user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )
    for m in rows:
        if m.user not in out[m.organization_id]:
            out[m.organization_id].append(m.user)
    return out


COORDINATORS = (Role.COORDINATOR, Role.ADMIN)


def decision_due(now: datetime) -> Iterator[Due]:
    """An application whose decision is due within 2 days: the centre's coordinators."""
    today = timezone.localdate(now)
    apps = list(
        Application.objects.filter(
            status__in=(ApplicationStatus.RECEIVED, ApplicationStatus.UNDER_REVIEW),
            decision_due__gte=today,
            decision_due__lte=today + timedelta(days=2),
        )
    )
    people = _members([a.centre_id or a.organization_id for a in apps], COORDINATORS)
    for a in apps:
        yield Due(
            a,
            a.decision_due,
            people[a.centre_id or a.organization_id],
            _("Application %(number)s: the decision is due by %(due)s.") % {"number": a, "due": a.decision_due},
            reverse("intake-application", args=[a.pk]),
        )


def assign_overdue(now: datetime) -> Iterator[Due]:
    """An approved matter still not assigned 2 days after the decision: the centre's coordinators."""
    apps = list(
        Application.objects.filter(
            status=ApplicationStatus.APPROVED,
            assigned_at__isnull=True,
            decided_at__lte=now - timedelta(days=2),
            centre__isnull=False,
        )
    )
    people = _members([a.centre_id for a in apps], COORDINATORS)
    for a in apps:
        yield Due(
            a,
            a.assign_due or timezone.localdate(a.decided_at) + timedelta(days=2),
            people[a.centre_id],
            _("Application %(number)s was approved but is not yet assigned.") % {"number": a},
            reverse("intake-application", args=[a.pk]),
        )


def handler_overdue(now: datetime) -> Iterator[Due]:
    """A law firm that has not named its handler by ``handler_due`` (24 h): the firm's director
    (its coordinators and administrators)."""
    rows = list(
        FirmAssignment.objects.filter(status=FirmAssignmentStatus.AWAITING_HANDLER, handler_due__lt=now).select_related(
            "task"
        )
    )
    people = _members([r.law_firm_id for r in rows], COORDINATORS)
    for r in rows:
        yield Due(
            r,
            timezone.localdate(r.handler_due),
            people[r.law_firm_id],
            _("Case %(case)s: name the handler; the 24 hours have passed.") % {"case": r.task.title},
            reverse("intake-firm"),
        )


def objection_due(now: datetime) -> Iterator[Due]:
    """An objection whose decision is due within 2 days: the reviewers of the justice bureau of
    the matter's region."""
    today = timezone.localdate(now)
    apps = list(
        Application.objects.filter(
            status=ApplicationStatus.OBJECTION_PENDING,
            objection_due__isnull=False,
            objection_due__lte=today + timedelta(days=2),
        )
    )
    bureaus = dict(
        Organization.objects.filter(
            kind=OrganizationKind.JUSTICE_BUREAU, region_id__in={a.region_id for a in apps}
        ).values_list("region_id", "id")
    )
    people = _members(bureaus.values(), (Role.REVIEWER, Role.ADMIN))
    for a in apps:
        yield Due(
            a,
            a.objection_due,
            people.get(bureaus.get(a.region_id), []),
            _("Application %(number)s: the objection is to be decided by %(due)s.")
            % {"number": a, "due": a.objection_due},
            reverse("intake-application", args=[a.pk]),
        )


def closing_overdue(now: datetime) -> Iterator[Due]:
    """A case whose matter ended more than CASE_CLOSING_DAYS ago with no closing report filed:
    its handler."""
    today = timezone.localdate(now)
    filed = ClosingReport.objects.filter(
        task=OuterRef("pk"), status__in=(ClosingStatus.PENDING, ClosingStatus.ACCEPTED)
    )
    tasks = AidTask.objects.filter(kind__in=CASE_KINDS, status__in=CLAIMABLE_TASK_STATUSES).exclude(Exists(filed))
    ended: dict[int, date] = {}
    for task_id, day in Milestone.objects.filter(task__in=tasks, kind__in=MATTER_END_KINDS).values_list(
        "task_id", "date"
    ):
        ended[task_id] = max(day, ended.get(task_id, day))
    late = {t: d + timedelta(days=settings.CASE_CLOSING_DAYS) for t, d in ended.items()}
    late = {t: due for t, due in late.items() if today > due}
    claims = Claim.objects.filter(task_id__in=late, status__in=HELD_CLAIM_STATUSES).select_related(
        "volunteer__user", "task"
    )
    for claim in claims.order_by("task_id", "id"):
        yield Due(
            claim.task,
            late[claim.task_id],
            [claim.volunteer.user],
            _("Case %(case)s: the closing report was due by %(due)s.")
            % {"case": claim.task.title, "due": late[claim.task_id]},
            reverse("case-closing", args=[claim.task_id]),
        )


def evidence_overdue(now: datetime) -> Iterator[Due]:
    """An evidence request unanswered after its due day: the department's coordinators."""
    today = timezone.localdate(now)
    rows = list(EvidenceRequest.objects.filter(status=EvidenceStatus.PENDING, due__lt=today))
    people = _members([r.department_id for r in rows], COORDINATORS)
    for r in rows:
        yield Due(
            r,
            r.due,
            people[r.department_id],
            _("Evidence request %(id)s was due by %(due)s.") % {"id": r.pk, "due": r.due},
            reverse("evidence-detail", args=[r.pk]),
        )


def shift_uncovered(now: datetime) -> Iterator[Due]:
    """A duty shift starting within ROSTER_UNCOVERED_DAYS (7) with a seat no lawyer holds: the
    coordinators of the organisation running its station, once per shift (due on its day)."""
    shifts = list(uncovered_shifts(now=now))
    people = _members([s.station.organization_id for s in shifts], COORDINATORS)
    for shift in shifts:
        yield Due(
            shift.task,
            shift.date,
            people[shift.station.organization_id],
            _("Duty shift %(shift)s has no lawyer yet.") % {"shift": shift},
            reverse("roster-station", args=[shift.station_id]),
        )


def quota_behind(now: datetime) -> Iterator[Due]:
    """At the start of the fourth quarter (from 1 October), each provider behind on the year's
    quota, once a year: the provider."""
    today = timezone.localdate(now)
    if today.month < 10:
        return
    q4 = date(today.year, 10, 1)
    behind = with_progress(
        Volunteer.objects.filter(user__is_active=True).select_related("user"), year=today.year, now=now
    ).filter(progress_status=ProgressStatus.BEHIND)
    for volunteer in behind.order_by("pk"):
        yield Due(
            volunteer,
            q4,
            [volunteer.user],
            _("The year's last quarter has begun and you are behind on your duty quota for %(year)s.")
            % {"year": today.year},
            reverse("provider-duty"),
        )


def review_ready(now: datetime) -> Iterator[Due]:
    """Last year's annual review is ready to open in a region (the year has ended, a quota rule
    applies, no review of it is open there yet): the reviewers of the region's justice bureau and
    lawyers' association, once each even when they sit in both."""
    year = timezone.localdate(now).year - 1
    regulators = Organization.objects.filter(kind__in=REGULATOR_KINDS).select_related("region").order_by("pk")
    by_region: dict[str, list[int]] = defaultdict(list)
    regions = {}
    for org in regulators:
        by_region[org.region_id].append(org.pk)
        regions[org.region_id] = org.region
    people = _members([pk for pks in by_region.values() for pk in pks], (Role.REVIEWER, Role.ADMIN))
    for code, org_ids in by_region.items():
        region = regions[code]
        reviewed = AnnualReview.objects.filter(year=year, volunteer__region__path__startswith=region.path)
        if not rules_touching(region=region, year=year).exists() or reviewed.exists():
            continue
        recipients = list({u.pk: u for pk in org_ids for u in people[pk]}.values())
        yield Due(
            region,
            date(year + 1, 1, 1),
            recipients,
            _("The annual review of %(year)s is ready to open in %(region)s.") % {"year": year, "region": region.name},
            reverse("regulator-reviews"),
        )


REMINDERS = [
    Reminder(NoticeKind.DECISION_DUE, decision_due),
    Reminder(NoticeKind.ASSIGN_OVERDUE, assign_overdue),
    Reminder(NoticeKind.HANDLER_OVERDUE, handler_overdue),
    Reminder(NoticeKind.OBJECTION_DUE, objection_due),
    Reminder(NoticeKind.CLOSING_OVERDUE, closing_overdue),
    Reminder(NoticeKind.EVIDENCE_OVERDUE, evidence_overdue),
    Reminder(NoticeKind.SHIFT_UNCOVERED, shift_uncovered),
    Reminder(NoticeKind.QUOTA_BEHIND, quota_behind),
    Reminder(NoticeKind.REVIEW_READY, review_ready),
]


def object_key(obj) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def run(*, now: datetime) -> int:
    """Sends every reminder due at ``now`` that was not sent before; returns how many."""
    sent = 0
    # Titles are written in the product's language (no per-user language is stored yet).
    with in_product_language():
        sent = _run_all(now)
    return sent


def _run_all(now: datetime) -> int:
    sent = 0
    for reminder in REMINDERS:
        for due in reminder.select(now):
            for user in due.recipients:
                if services.reminder_record(
                    kind=reminder.kind,
                    object_key=object_key(due.obj),
                    recipient=user,
                    due_on=due.due_on,
                    title=due.title,
                    body="",
                    url=due.url,
                    now=now,
                ):
                    sent += 1
    return sent
