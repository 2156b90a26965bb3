"""The hash chain of the duty ledger: the canonical form of a row, and the walk that checks it.

Each row's ``hash`` is SHA-256 over its canonical content followed by ``prev_hash``, the hash
of the row before it (by id). The first row's ``prev_hash`` is ``GENESIS``. Editing a row
changes its hash; deleting or reordering rows breaks the link of the next row. Removing rows
from the end leaves no broken link, so the walk also checks that every chain head recorded
by a decided annual review is still in the chain.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

GENESIS = "0" * 64

# The columns that make up a row's content, in canonical order. verify_ledger streams exactly
# these (plus id, prev_hash and hash) with values_list, so the walk never builds model objects.
CONTENT_FIELDS = (
    "volunteer_id",
    "year",
    "occurred_on",
    "kind",
    "hours",
    "cases",
    "hour_log_id",
    "claim_id",
    "reverses_id",
    "reason",
    "created_by_id",
    "created_at",
)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(
    volunteer_id: int,
    year: int,
    occurred_on: date,
    kind: str,
    hours: Decimal,
    cases: int,
    hour_log_id: int | None,
    claim_id: int | None,
    reverses_id: int | None,
    reason: str,
    created_by_id: int | None,
    created_at: datetime,
) -> str:
    """The row's content as one unambiguous string (a JSON array; free text is JSON-escaped)."""
    return json.dumps(
        [
            volunteer_id,
            year,
            occurred_on.isoformat(),
            kind,
            f"{Decimal(hours):.2f}",
            cases,
            hour_log_id,
            claim_id,
            reverses_id,
            reason,
            created_by_id,
            _utc(created_at),
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def chain_hash(content: str, prev_hash: str) -> str:
    return hashlib.sha256(f"{content}\n{prev_hash}".encode()).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """The first row where the chain does not hold, and why."""

    entry_id: int | None
    problem: str  # "changed" | "deleted_or_reordered" | "head_missing"
    detail: str


def walk(rows: Iterable[tuple]) -> tuple[int, str, ChainBreak | None]:
    """Check rows ``(id, prev_hash, hash, *CONTENT_FIELDS)`` in id order.

    Returns (rows checked, last hash, first break or None). A row whose content no longer
    gives its stored hash was changed; a row whose ``prev_hash`` is not the previous row's
    hash follows a deleted or reordered row.
    """
    expected_prev = GENESIS
    count = 0
    sha256 = hashlib.sha256
    dumps = json.dumps
    for row in rows:
        entry_id, prev_hash, stored_hash = row[0], row[1], row[2]
        (
            volunteer_id,
            year,
            occurred_on,
            kind,
            hours,
            cases,
            hour_log_id,
            claim_id,
            reverses_id,
            reason,
            created_by_id,
            created_at,
        ) = row[3:]
        if prev_hash != expected_prev:
            return (
                count,
                expected_prev,
                ChainBreak(
                    entry_id,
                    "deleted_or_reordered",
                    f"entry {entry_id} links to {prev_hash[:12]}…, but the entry before it has hash "
                    f"{expected_prev[:12]}…: an entry before it was deleted or the rows were reordered",
                ),
            )
        # Inlined canonical() and chain_hash(): this loop is the hot path of verify_ledger.
        content = dumps(
            [
                volunteer_id,
                year,
                occurred_on.isoformat(),
                kind,
                f"{hours:.2f}",
                cases,
                hour_log_id,
                claim_id,
                reverses_id,
                reason,
                created_by_id,
                _utc(created_at),
            ],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        if sha256(f"{content}\n{prev_hash}".encode()).hexdigest() != stored_hash:
            return (
                count,
                expected_prev,
                ChainBreak(entry_id, "changed", f"entry {entry_id} no longer matches its hash: it was changed"),
            )
        expected_prev = stored_hash
        count += 1
    return count, expected_prev, None


def iter_rows(queryset, chunk_size: int = 5000) -> Iterator[tuple]:
    return queryset.order_by("id").values_list("id", "prev_hash", "hash", *CONTENT_FIELDS).iterator(chunk_size)


@dataclass(frozen=True)
class Verification:
    checked: int
    head: str
    problem: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(chunk_size: int = 5000) -> Verification:
    """Walk the whole ledger, then check that every recorded chain head is still in it."""
    from duties.models import AnnualReview, DutyEntry

    checked, head, problem = walk(iter_rows(DutyEntry.objects.all(), chunk_size))
    if problem is not None:
        return Verification(checked, head, problem)
    anchors = set(
        AnnualReview.objects.exclude(ledger_head_hash__in=["", GENESIS]).values_list("ledger_head_hash", flat=True)
    )
    if anchors:
        found = set(DutyEntry.objects.filter(hash__in=anchors).values_list("hash", flat=True))
        missing = anchors - found
        if missing:
            return Verification(
                checked,
                head,
                ChainBreak(
                    None,
                    "head_missing",
                    f"a decided review recorded chain head {sorted(missing)[0][:12]}…, which is no longer in the "
                    "ledger: entries at the end of the chain were deleted",
                ),
            )
    return Verification(checked, head, None)
