"""The apps' own functions the seeder must agree with: password hashing, search text, ledger hash.

Each is imported from the app that owns it, so seeded rows are the rows the product would write.
``SOURCES`` records where each came from; the results print it.
"""

from __future__ import annotations

from collections.abc import Callable

SOURCES: dict[str, str] = {}
GENESIS = "0" * 64


def password_hash(password: str) -> str:
    """One hash for every seeded user (hashing 50,000 passwords would dominate the seeding time)."""
    from django.contrib.auth.hashers import make_password

    SOURCES["password"] = "django.contrib.auth.hashers.make_password (computed once)"
    return make_password(password)


def search_text_function() -> Callable[[str, str], str]:
    from marketplace import search

    SOURCES["search_text"] = "marketplace.search"
    return search.search_text_for


def ledger_hasher() -> Callable[[dict], str]:
    """A function of a ledger row (column name -> value, including ``prev_hash``) to its hash."""
    global GENESIS
    from duties import ledger

    SOURCES["ledger_hash"] = "duties.ledger"
    GENESIS = ledger.GENESIS
    chain_hash = ledger.chain_hash
    content_of = ledger.content_of

    def hasher(row: dict) -> str:
        # content_of takes the Python values the append service holds (duties.services).
        return chain_hash(content_of(row), row["prev_hash"])

    return hasher


def ledger_hashed_fields() -> tuple[str, ...]:
    """The ledger columns the hash covers, in their order (duties.ledger.HASHED_FIELDS)."""
    from duties import ledger

    return ledger.HASHED_FIELDS


def case_kinds() -> frozenset[str]:
    """The task kinds that are cases (marketplace.models.CASE_KINDS)."""
    from marketplace.models import CASE_KINDS

    SOURCES["case_kinds"] = "marketplace.models.CASE_KINDS"
    return frozenset(kind.value for kind in CASE_KINDS)


def certified_review_statuses() -> frozenset[str]:
    """The review decisions that carry a certificate (duties.models.CERTIFIED_REVIEW_STATUSES)."""
    from duties.models import CERTIFIED_REVIEW_STATUSES

    SOURCES["certified_reviews"] = "duties.models.CERTIFIED_REVIEW_STATUSES"
    return frozenset(status.value for status in CERTIFIED_REVIEW_STATUSES)
