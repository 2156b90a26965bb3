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


def credit_kinds() -> tuple[Callable[[str], str], frozenset[str]]:
    """The credit kind of work on a task of a kind (duties.models.credit_kind_for), and the credit
    kinds a rule counts unless it says otherwise (duties.models.LEGAL_AID_CREDIT_KINDS)."""
    from duties.models import LEGAL_AID_CREDIT_KINDS, credit_kind_for

    SOURCES["credit_kinds"] = "duties.models.credit_kind_for, LEGAL_AID_CREDIT_KINDS"
    return (lambda kind: str(credit_kind_for(kind))), frozenset(str(kind) for kind in LEGAL_AID_CREDIT_KINDS)


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


# --- the grown product (tests/bench/seed_grown.py) -----------------------------------------


def encrypt_details() -> Callable[[dict], str]:
    """A party's details as intake stores them (marketplace.core.crypto.encrypt_json)."""
    from marketplace.core.crypto import encrypt_json

    SOURCES["encrypted_details"] = "marketplace.core.crypto.encrypt_json"
    return encrypt_json


def party_digests() -> tuple[Callable[[str], str], Callable[[str], str]]:
    """The keyed digests of a party's name and ID number (marketplace.applications.identity)."""
    from marketplace.applications import identity

    SOURCES["party_digests"] = "marketplace.applications.identity"
    return identity.name_digest, identity.id_digest


class IntakeClock:
    """The statutory due dates of an application (marketplace.applications.clock), with this
    installation's rules."""

    def __init__(self):
        from django.utils import timezone

        from marketplace.applications import clock

        SOURCES["intake_clock"] = "marketplace.applications.clock"
        self._clock = clock
        self._rules = clock.rules()
        self.tz = timezone.get_default_timezone()

    def decision_due(self, received, *, notice: bool):
        return self._clock.decision_due(received, notice=notice, rules=self._rules)

    def assign_due(self, start, *, notice: bool):
        return self._clock.assign_due(start, notice=notice, rules=self._rules)


def intake_clock() -> IntakeClock:
    return IntakeClock()


def subsidy_rate_keys() -> list[tuple[str, str]]:
    """The (case kind, criminal stage) rates a schedule sets (duties.subsidies.models.RATE_KEYS)."""
    from duties.subsidies.models import RATE_KEYS

    return list(RATE_KEYS)


def subsidy_pricer() -> Callable[[dict, list[dict], dict], object]:
    """A line's amount under a schedule, priced by duties.subsidies.services.subsidy_amount from
    the seeder's rows (as unsaved model instances: the pricing reads only their fields)."""
    from duties.subsidies.models import SubsidyLine, SubsidyRate, SubsidySchedule
    from duties.subsidies.services import subsidy_amount

    SOURCES["subsidy_amount"] = "duties.subsidies.services.subsidy_amount"
    schedule_fields = {f.attname for f in SubsidySchedule._meta.concrete_fields}
    line_fields = {f.attname for f in SubsidyLine._meta.concrete_fields}

    def price(schedule: dict, rates: list[dict], line: dict):
        obj = SubsidySchedule(**{k: v for k, v in schedule.items() if k in schedule_fields})
        obj._prefetched_objects_cache = {"rates": [SubsidyRate(**rate) for rate in rates]}
        return subsidy_amount(obj, SubsidyLine(**{k: v for k, v in line.items() if k in line_fields}))

    return price
