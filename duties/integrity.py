"""Checks that the stored facts still hold together, for ``manage.py check_integrity``.

- The ledger's hash chain and the chain heads recorded by decided reviews (``ledger.verify``).
- Every decided review: its chain head is in the ledger, and the hours and cases it recorded
  are the ledger's totals for the provider's year up to that head, of the credit kinds its rule
  counts. Entries appended after the
  decision (a regulator's reversal) do not count: the review keeps what it decided on.
- Every ledger row hashed before credit kinds existed: its credit kind is its task's.
- Every task: ``seats_taken`` equals its accepted and completed claims.

Each check reads with one query, whatever the number of rows, and yields every problem it
finds rather than stopping at the first.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from duties import ledger
from duties.models import CREDIT_KIND_OF_TASK, DEFAULT_COUNTED_TEXT, AnnualReview, DutyEntry, ReviewStatus
from duties.selectors import entry_counted
from marketplace.models import HELD_CLAIM_STATUSES, AidTask

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Problem:
    check: str  # "ledger" | "review" | "seats"
    subject: str  # "entry 12", "review 3", "task 7"
    detail: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.detail}"


def ledger_problems(chunk_size: int = 10000) -> tuple[ledger.Verification, list[Problem]]:
    result = ledger.verify(chunk_size=chunk_size)
    if result.ok:
        return result, []
    problem = result.problem
    subject = f"entry {problem.entry_id}" if problem.entry_id else "the end of the chain"
    return result, [Problem("ledger", subject, f"{problem.problem}: {problem.detail}")]


def review_problems() -> Iterator[Problem]:
    """Decided reviews whose chain head left the ledger or whose totals differ from it."""
    head = DutyEntry.objects.filter(hash=OuterRef("ledger_head_hash")).values("id")[:1]
    upto_head = (
        DutyEntry.objects.filter(volunteer_id=OuterRef("volunteer_id"), year=OuterRef("year"), id__lte=OuterRef("head"))
        .filter(entry_counted(OuterRef("counted_kinds")))
        .order_by()
        .values("volunteer_id")
    )
    reviews = (
        AnnualReview.objects.exclude(status=ReviewStatus.OPEN)
        # What the review's rule counts (without one, the forms of legal aid), as ``_decide`` did.
        .annotate(
            head=Subquery(head, output_field=IntegerField()),
            counted_kinds=Coalesce(F("rule__credit_kinds"), Value(DEFAULT_COUNTED_TEXT), output_field=CharField()),
        )
        .annotate(
            ledger_hours=Subquery(
                upto_head.annotate(s=Sum("hours")).values("s"),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            ),
            ledger_cases=Subquery(upto_head.annotate(s=Sum("cases")).values("s"), output_field=IntegerField()),
        )
        .order_by("id")
        .values_list("id", "ledger_head_hash", "head", "hours", "cases", "ledger_hours", "ledger_cases")
    )
    for pk, head_hash, head_id, hours, cases, ledger_hours, ledger_cases in reviews.iterator(2000):
        subject = f"review {pk}"
        if head_id is None and head_hash != ledger.GENESIS:
            yield Problem(
                "review",
                subject,
                f"its recorded chain head {head_hash[:12] or '(empty)'}… is not in the ledger",
            )
            continue
        expected_hours = Decimal(str(ledger_hours or 0)).quantize(TWO_PLACES)
        expected_cases = int(ledger_cases or 0)
        if hours is None or Decimal(hours).quantize(TWO_PLACES) != expected_hours:
            yield Problem(
                "review", subject, f"recorded hours {hours}, the ledger up to its chain head gives {expected_hours}"
            )
        if cases is None or cases != expected_cases:
            yield Problem(
                "review", subject, f"recorded cases {cases}, the ledger up to its chain head gives {expected_cases}"
            )


def legacy_credit_kind_problems() -> Iterator[Problem]:
    """Rows hashed before credit kinds (``hash_version`` 1), whose hash does not cover the credit
    kind the migration gave them, and whose credit kind is not the one their task's kind gives
    (a reversal without a claim: the one of the entry it reverses). Newer rows need no such check:
    their hash covers it."""
    of_task = Case(
        *(When(claim__task__kind=task_kind, then=Value(str(kind))) for task_kind, kind in CREDIT_KIND_OF_TASK.items()),
        default=Value(""),
        output_field=CharField(),
    )
    rows = (
        DutyEntry.objects.filter(hash_version=1)
        .annotate(
            expected=Case(
                When(claim__isnull=False, then=of_task),
                default=Coalesce(F("reverses__credit_kind"), Value("")),
                output_field=CharField(),
            )
        )
        .exclude(credit_kind=F("expected"))
        .order_by("id")
        .values_list("id", "credit_kind", "expected")
    )
    for pk, found, expected in rows.iterator(2000):
        yield Problem(
            "ledger",
            f"entry {pk}",
            f"credit kind {found or '(none)'}, but its task gives {expected or '(none)'}: changed after the migration",
        )


def seat_problems() -> Iterator[Problem]:
    """Tasks whose ``seats_taken`` is not the number of their accepted and completed claims."""
    held = Q(claims__status__in=HELD_CLAIM_STATUSES)
    tasks = (
        AidTask.objects.annotate(held=Count("claims", filter=held))
        .exclude(seats_taken=F("held"))
        .order_by("id")
        .values_list("id", "seats_taken", "held")
    )
    for pk, taken, count in tasks.iterator(2000):
        yield Problem("seats", f"task {pk}", f"seats_taken {taken}, but {count} accepted or completed claims")
