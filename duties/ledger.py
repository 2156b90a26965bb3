"""The hash chain of the duty ledger: the canonical form of a row, and the walk that checks it.

Each row's ``hash`` is SHA-256 over its canonical content followed by ``prev_hash``, the hash
of the row before it (by id). The first row's ``prev_hash`` is ``GENESIS``. Editing a row
changes its hash; deleting or reordering rows breaks the link of the next row. Removing rows
from the end leaves no broken link, so the walk also checks that every chain head recorded
by a decided annual review is still in the chain.

The canonical content has two versions, named by the row's ``hash_version``. Version 1, of the
rows appended before credit kinds existed, leaves the credit kind out: the migration that gave
those rows theirs could not rehash them without breaking every recorded chain head. Version 2
ends with it, so that a new row's credit kind cannot change silently. A row's version decides
its content, so changing the version breaks the chain like any other edit.

The canonical form is built from plain text and integers so that the walk is cheap: on
PostgreSQL the database hands over dates, decimals and timestamps already as text and integers
and Python only joins and hashes (``verify_ledger`` targets 100,000 entries a second).
"""

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import connection

GENESIS = "0" * 64
# The canonical form new rows are hashed with (see above); ``DutyEntry.hash_version`` defaults to it.
LEDGER_HASH_VERSION = 2
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_EMPTY_REASON = json.dumps("")

# The fields of a ledger row that its hash covers, in the order ``canonical`` takes them. The
# append service, both ways of reading the chain back and the bench seeder take this tuple.
HASHED_FIELDS = (
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
    "credit_kind",
)


def epoch_us(value: datetime) -> int:
    """An aware datetime as whole microseconds since 1970 (exact integer arithmetic)."""
    return (value - _EPOCH) // _MICROSECOND


# How the Python value of a hashed field becomes the text or integer ``canonical`` takes; the
# other fields go as they are. ``_PG_AS_TEXT`` has PostgreSQL render the same.
_AS_TEXT = {"occurred_on": date.isoformat, "hours": lambda value: f"{Decimal(value):.2f}", "created_at": epoch_us}
_CONVERTERS = tuple(_AS_TEXT.get(name) for name in HASHED_FIELDS)


def canonical(
    volunteer_id: int,
    year: int,
    occurred_on: str,
    kind: str,
    hours: str,
    cases: int,
    hour_log_id: int | None,
    claim_id: int | None,
    reverses_id: int | None,
    reason: str,
    created_by_id: int | None,
    created_at_us: int,
    credit_kind: str,
    hash_version: int = LEDGER_HASH_VERSION,
) -> str:
    """The row's content as one unambiguous string.

    Every field but the reason is a number, an ISO date, a fixed-point decimal or a code word,
    none of which contains ``|`` or ``"``; the reason comes JSON-escaped (ending in ``"``), then,
    from version 2 on, ``|`` and the credit kind: a version 1 content never equals a version 2 one.
    """
    content = (
        f"{volunteer_id}|{year}|{occurred_on}|{kind}|{hours}|{cases}|{hour_log_id or ''}|{claim_id or ''}|"
        f"{reverses_id or ''}|{created_by_id or ''}|{created_at_us}|"
        f"{json.dumps(reason, ensure_ascii=False) if reason else _EMPTY_REASON}"
    )
    return content if hash_version == 1 else f"{content}|{credit_kind}"


def canonical_values(values: Sequence) -> tuple:
    """A row's Python values, in the order of ``HASHED_FIELDS``, as ``canonical`` takes them."""
    return tuple(
        value if convert is None else convert(value) for convert, value in zip(_CONVERTERS, values, strict=True)
    )


def content_of(row: Mapping[str, object]) -> str:
    """``canonical`` of a row given as Python values by field name (at least ``HASHED_FIELDS``;
    without ``hash_version``, the current one), as the bench seeder holds them."""
    version = row.get("hash_version", LEDGER_HASH_VERSION)
    return canonical(*canonical_values([row[name] for name in HASHED_FIELDS]), hash_version=version)


def entry_content(entry) -> str:
    """``canonical`` of a ``DutyEntry`` about to be appended (duties.services)."""
    values = canonical_values([getattr(entry, name) for name in HASHED_FIELDS])
    return canonical(*values, hash_version=entry.hash_version)


def chain_hash(content: str, prev_hash: str) -> str:
    return hashlib.sha256(f"{content}\n{prev_hash}".encode()).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """The first row where the chain does not hold, and why."""

    entry_id: int | None
    problem: str  # "changed" | "deleted_or_reordered" | "head_missing"
    detail: str


def walk(rows) -> tuple[int, str, ChainBreak | None]:
    """Check rows ``(id, prev_hash, hash, *canonical fields as text and integers, hash_version)``
    in id order.

    Returns (rows checked, last hash, first break or None). A row whose content no longer
    gives its stored hash was changed; a row whose ``prev_hash`` is not the previous row's
    hash follows a deleted or reordered row.
    """
    expected_prev = GENESIS
    count = 0
    sha256 = hashlib.sha256
    dumps = json.dumps
    empty = _EMPTY_REASON
    for (
        entry_id,
        prev_hash,
        stored_hash,
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
        created_at_us,
        credit_kind,
        hash_version,
    ) in rows:
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
        # canonical() and chain_hash() inlined: this loop is the hot path of verify_ledger. The
        # names unpacked above are HASHED_FIELDS (tests/duties/test_ledger_fields.py checks it).
        content = (
            f"{volunteer_id}|{year}|{occurred_on}|{kind}|{hours}|{cases}|{hour_log_id or ''}|{claim_id or ''}|"
            f"{reverses_id or ''}|{created_by_id or ''}|{created_at_us}|"
            f"{dumps(reason, ensure_ascii=False) if reason else empty}"
            f"{'' if hash_version == 1 else '|' + credit_kind}\n{prev_hash}"
        )
        if sha256(content.encode()).hexdigest() != stored_hash:
            return (
                count,
                expected_prev,
                ChainBreak(entry_id, "changed", f"entry {entry_id} no longer matches its hash: it was changed"),
            )
        expected_prev = stored_hash
        count += 1
    return count, expected_prev, None


# On PostgreSQL the database renders each field exactly as ``canonical_values`` does: dates as
# ISO text, numeric(…, 2) as fixed-point text, timestamps as integer microseconds since 1970
# (timestamptz is stored as exactly that). Text and integers are the cheapest types to fetch.
_PG_AS_TEXT = {
    "occurred_on": "to_char(occurred_on, 'YYYY-MM-DD')",
    "hours": "to_char(hours, 'FM999999990.00')",
    "created_at": "(extract(epoch from created_at) * 1000000)::bigint",
}
_PG_SELECT = (
    f"SELECT id, prev_hash, hash, {', '.join(_PG_AS_TEXT.get(name, name) for name in HASHED_FIELDS)}"  # noqa: S608
    ", hash_version FROM duties_dutyentry ORDER BY id"
)


def _rows_postgresql(chunk_size: int) -> Iterator[tuple]:
    # A server-side cursor streams the table in chunks: memory stays flat however long the chain.
    from django.db import transaction

    with transaction.atomic(), connection.connection.cursor(name="duties_verify_ledger") as cursor:
        cursor.itersize = chunk_size
        cursor.execute(_PG_SELECT)
        while rows := cursor.fetchmany(chunk_size):
            yield from rows


def _rows_orm(chunk_size: int) -> Iterator[tuple]:
    from duties.models import DutyEntry

    rows = (
        DutyEntry.objects.order_by("id")
        .values_list("id", "prev_hash", "hash", *HASHED_FIELDS, "hash_version")
        .iterator(chunk_size)
    )
    for entry_id, prev_hash, stored_hash, *values, hash_version in rows:
        yield (entry_id, prev_hash, stored_hash, *canonical_values(values), hash_version)


def ledger_rows(chunk_size: int = 10000) -> Iterator[tuple]:
    """Every ledger row in id order, as ``walk`` takes them."""
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        return _rows_postgresql(chunk_size)
    return _rows_orm(chunk_size)


@dataclass(frozen=True)
class Verification:
    checked: int
    head: str
    problem: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(chunk_size: int = 10000) -> Verification:
    """Walk the whole ledger, then check that every recorded chain head is still in it."""
    from duties.models import AnnualReview, DutyEntry

    checked, head, problem = walk(ledger_rows(chunk_size))
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
