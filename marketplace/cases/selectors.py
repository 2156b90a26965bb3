"""Reads about cases, each starting from what the caller may see (access.py checks who)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import DateField, Exists, F, Max, OuterRef, QuerySet, Subquery
from django.utils import timezone

from marketplace.cases.models import (
    MATTER_END_KINDS,
    CaseDocument,
    ClosingReport,
    ClosingStatus,
    Evaluation,
    Milestone,
    MilestoneKind,
)
from marketplace.models import CASE_KINDS, CLAIMABLE_TASK_STATUSES, HELD_CLAIM_STATUSES, AidTask, Claim, TaskStatus
from organizations.roles import roles_of


def lead_claim(task: AidTask) -> Claim | None:
    """The lead handler's claim (承办人): of the claims holding a seat (accepted or completed), an
    assignment by the centre before a claim the provider made, then the earliest decided. The
    other holders assist. One query."""
    return (
        Claim.objects.filter(task=task, status__in=HELD_CLAIM_STATUSES)
        .select_related("volunteer__user")
        .order_by("-is_assignment", F("decided_at").asc(nulls_last=True), "created_at", "id")
        .first()
    )


def matter_ended_on(task: AidTask) -> date | None:
    """The day the matter ended: its last judgment or agreement milestone, if any."""
    return Milestone.objects.filter(task=task, kind__in=MATTER_END_KINDS).aggregate(day=Max("date"))["day"]


def closing_due_after(ended: date | None) -> date | None:
    """Art. 50: the closing report is due CASE_CLOSING_DAYS after the matter ended."""
    return ended + timedelta(days=settings.CASE_CLOSING_DAYS) if ended else None


def closing_due_for(task: AidTask) -> date | None:
    """A case's ``closing_due``; None for a task that is not a case or a matter not yet ended."""
    if not task.is_case:
        return None
    return closing_due_after(matter_ended_on(task))


def milestones_of(task: AidTask) -> QuerySet[Milestone]:
    return Milestone.objects.filter(task=task).select_related("recorded_by").order_by("date", "id")


def documents_of(task: AidTask) -> QuerySet[CaseDocument]:
    return CaseDocument.objects.filter(task=task).select_related("uploaded_by").order_by("uploaded_at", "id")


def closing_reports_of(task: AidTask) -> QuerySet[ClosingReport]:
    return (
        ClosingReport.objects.filter(task=task)
        .select_related("handler__user", "review")
        .prefetch_related("documents")
        .order_by("filed_at", "id")
    )


def pending_report(task: AidTask) -> ClosingReport | None:
    return ClosingReport.objects.filter(task=task, status=ClosingStatus.PENDING).select_related("claim").first()


def evaluations_of(task: AidTask) -> QuerySet[Evaluation]:
    return (
        Evaluation.objects.filter(task=task)
        .select_related("volunteer__user", "evaluator_organization")
        .order_by("evaluated_on", "id")
    )


# --- the centre's lists ----------------------------------------------------------------------


def _end_day_subquery() -> Subquery:
    ended = (
        Milestone.objects.filter(task=OuterRef("pk"), kind__in=MATTER_END_KINDS)
        .order_by()
        .values("task")
        .annotate(day=Max("date"))
        .values("day")
    )
    return Subquery(ended, output_field=DateField())


def _last_milestone(field: str, today: date) -> Subquery:
    """The last milestone up to today (a hearing entered ahead is not news yet)."""
    return Subquery(
        Milestone.objects.filter(task=OuterRef("pk"), date__lte=today).order_by("-date", "-id").values(field)[:1]
    )


@dataclass(frozen=True)
class CaseRow:
    """A case in progress on the centre's list: where it stands and how long since it moved."""

    task: AidTask
    handler: str
    last_kind: str | None
    last_kind_label: str
    last_date: date | None
    days_since: int | None
    closing_due: date | None
    overdue: bool


@dataclass(frozen=True)
class QueueRow:
    """A closing report awaiting the centre's review, with how long it has waited."""

    report: ClosingReport
    task: AidTask
    handler: str
    filed_at: datetime
    days_waiting: int
    closing_due: date | None
    filed_late: bool


def centre_cases(user: User | AnonymousUser) -> QuerySet[AidTask]:
    """Case tasks of the organisations the user coordinates."""
    return AidTask.objects.filter(organization_id__in=roles_of(user).coordinated_ids, kind__in=CASE_KINDS)


def cases_in_progress_for(user: User | AnonymousUser, *, today: date, overdue_only: bool = False) -> QuerySet[AidTask]:
    """Cases being handled (open or filled, with a handler), the longest silent first, each
    annotated with its last milestone (``last_kind``, ``last_date``) and the day its service
    ended (``ended``); with ``overdue_only``, those whose closing is overdue. ``case_rows`` makes
    the rows of a page of them."""
    held = Claim.objects.filter(task=OuterRef("pk"), status__in=HELD_CLAIM_STATUSES)
    qs = (
        centre_cases(user)
        .filter(status__in=CLAIMABLE_TASK_STATUSES)
        .filter(Exists(held))
        .annotate(
            ended=_end_day_subquery(),
            last_kind=_last_milestone("kind", today),
            last_date=_last_milestone("date", today),
        )
        .select_related("region")
    )
    if overdue_only:
        qs = qs.filter(ended__lt=today - timedelta(days=settings.CASE_CLOSING_DAYS))
    return qs.order_by(F("last_date").asc(nulls_first=True), "id")


def case_rows(tasks: Iterable[AidTask], *, today: date) -> list[CaseRow]:
    """The rows of ``tasks`` (from ``cases_in_progress_for``): each case's handler, its last
    milestone and the days since, and its closing due. One query, whatever the count."""
    tasks = list(tasks)
    handlers = _handler_names([t.pk for t in tasks])
    labels = dict(MilestoneKind.choices)
    rows = []
    for task in tasks:
        due = closing_due_after(task.ended)
        rows.append(
            CaseRow(
                task=task,
                handler=handlers.get(task.pk, ""),
                last_kind=task.last_kind,
                last_kind_label=str(labels.get(task.last_kind, "")) if task.last_kind else "",
                last_date=task.last_date,
                days_since=(today - task.last_date).days if task.last_date else None,
                closing_due=due,
                overdue=due is not None and today > due,
            )
        )
    return rows


def _handler_names(task_ids: list[int]) -> dict[int, str]:
    """The lead handler's name of each task (lead_claim's order), in one query."""
    names: dict[int, str] = {}
    claims = (
        Claim.objects.filter(task_id__in=task_ids, status__in=HELD_CLAIM_STATUSES)
        .select_related("volunteer__user")
        .order_by("task_id", "-is_assignment", F("decided_at").asc(nulls_last=True), "created_at", "id")
    )
    for claim in claims:
        names.setdefault(claim.task_id, claim.volunteer.display_name)
    return names


def closing_queue_for(user: User | AnonymousUser) -> QuerySet[ClosingReport]:
    """Closing reports awaiting review on the user's organisations' cases, the longest waiting
    first; ``queue_rows`` makes the rows of those shown."""
    return (
        ClosingReport.objects.filter(
            status=ClosingStatus.PENDING,
            task__organization_id__in=roles_of(user).coordinated_ids,
            task__status=TaskStatus.CLOSING_REVIEW,
        )
        .select_related("task__region", "handler__user")
        .order_by("filed_at", "id")
    )


def queue_rows(reports: Iterable[ClosingReport], *, today: date) -> list[QueueRow]:
    return [
        QueueRow(
            report=report,
            task=report.task,
            handler=report.handler.display_name,
            filed_at=report.filed_at,
            days_waiting=(today - timezone.localdate(report.filed_at)).days,
            closing_due=report.closing_due,
            filed_late=report.filed_late,
        )
        for report in reports
    ]


# --- quality ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeRow:
    task_id: int
    kind: str
    grade: str
    evaluated_on: date


def quality_grades_for(volunteer, year: int) -> list[GradeRow]:
    """The quality grades a provider's cases received in ``year`` (by the day of evaluation), for
    the case subsidy and the annual review."""
    return [
        GradeRow(*row)
        for row in Evaluation.objects.filter(
            volunteer=volunteer, evaluated_on__gte=date(year, 1, 1), evaluated_on__lte=date(year, 12, 31)
        )
        .order_by("evaluated_on", "id")
        .values_list("task_id", "kind", "grade", "evaluated_on")
    ]
