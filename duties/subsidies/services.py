"""Writes to subsidy lines."""

from datetime import datetime

from duties.subsidies.models import SubsidyKind, SubsidyLine, SubsidyStatus
from marketplace.models import Claim


def subsidy_line_for_case(*, claim: Claim, now: datetime) -> SubsidyLine:
    """Who: the receiver of ``case_closed`` (the centre accepted the closing), in its transaction.
    Precondition: ``claim`` is the lead handler's completed claim on the case.
    Change: one unpriced ``case`` line for the case and the handler; idempotent per case."""
    line, _ = SubsidyLine.objects.get_or_create(
        task_id=claim.task_id,
        kind=SubsidyKind.CASE,
        defaults={"volunteer_id": claim.volunteer_id, "status": SubsidyStatus.UNPRICED, "created_at": now},
    )
    return line
