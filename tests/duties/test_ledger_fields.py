"""The ledger's hashed fields have one home, ``duties.ledger.HASHED_FIELDS``: the append service,
both ways of reading the chain back and the bench seeder take it."""

import inspect
from datetime import date

import pytest

from duties import ledger, services
from duties.models import DutyEntry
from tests.bench import hooks
from tests.duties.conftest import YEAR, make_log

pytestmark = pytest.mark.django_db


# canonical() takes the creation time as integer microseconds; every other field by its name.
CANONICAL_NAMES = tuple("created_at_us" if name == "created_at" else name for name in ledger.HASHED_FIELDS)


def test_canonical_takes_the_hashed_fields_in_their_order_then_the_version():
    params = list(inspect.signature(ledger.canonical).parameters)
    assert params == [*CANONICAL_NAMES, "hash_version"]
    assert ledger.HASHED_FIELDS[-1] == "credit_kind"


def test_the_chain_walk_unpacks_the_hashed_fields_in_their_order():
    # walk() inlines canonical() for speed; its loop variables must follow the same fields.
    names = ledger.walk.__code__.co_varnames
    start = names.index("entry_id")
    unpacked = names[start : start + 4 + len(ledger.HASHED_FIELDS)]
    assert unpacked == ("entry_id", "prev_hash", "stored_hash", *CANONICAL_NAMES, "hash_version")


def test_the_bench_seeder_hashes_and_copies_the_same_fields():
    assert hooks.ledger_hashed_fields() is ledger.HASHED_FIELDS


def test_an_appended_entry_gives_its_hash_from_its_stored_fields(claim, coordinator, midyear_now):
    log = make_log(claim, on=date(YEAR, 4, 1), hours="2.50")
    services.hours_confirm(log=log, by=coordinator, now=midyear_now)
    entry = DutyEntry.objects.get(hour_log=log)
    row = {name: getattr(entry, name) for name in ledger.HASHED_FIELDS}
    # The seeder's way (a row by field name) and the service's way (the entry) agree.
    assert ledger.content_of(row) == ledger.entry_content(entry)
    assert ledger.chain_hash(ledger.content_of(row), entry.prev_hash) == entry.hash
    # And the walk over the rows read back from the database (ORM or PostgreSQL) checks it.
    checked, head, problem = ledger.walk(ledger.ledger_rows())
    assert (checked, head, problem) == (1, entry.hash, None)
