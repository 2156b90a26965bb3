"""How the marketplace tells the apps above it what happened, without importing them (DESIGN.md:
dependencies point one way). Higher apps connect in their ``AppConfig.ready()``."""

from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal

from django.dispatch import Signal

# Sent inside ``case_close``'s transaction when the legal aid centre accepts a case's closing
# report, once per case, with ``task``, ``claim`` (the lead handler's, now completed), ``by`` (the
# reviewer) and ``now``. The only way a case is credited: duties credits one case to the lead
# handler and creates the subsidy line. Receivers run in that transaction: one that raises (a
# refused credit) rolls the whole acceptance back, so send it with ``send``, never ``send_robust``.
case_closed = Signal()

# Sent inside ``shift_served_record``'s transaction (marketplace.rosters) when a station records
# a duty shift served, once per claim, with ``served`` (the ServedShift: claim, shift, hours,
# volunteer), ``organization`` (the legal aid centre paying for the station), ``region``, ``by``
# (the station's coordinator) and ``now``. duties credits the hours through a confirmed hour log
# and creates the subsidy line; a receiver that raises (a locked year) rolls the record back.
shift_served = Signal()


class QuotaShortfall:
    """One explicit hook: the hours each provider is short of this year's quota, which ranks
    assignment candidates. The duties app, which owns the ledger and the rules, registers the
    answer; without it nobody is short."""

    def __init__(self) -> None:
        self._answer: Callable[..., dict[int, Decimal]] | None = None

    def register(self, answer: Callable[..., dict[int, Decimal]]) -> None:
        self._answer = answer

    def __call__(self, volunteer_ids: Iterable[int], *, now: datetime) -> dict[int, Decimal]:
        if self._answer is None:
            return {}
        return self._answer(volunteer_ids=list(volunteer_ids), year=now.year, now=now)


quota_shortfall = QuotaShortfall()
