"""What the duties app does when the marketplace announces something (marketplace.signals)."""

from django.dispatch import receiver

from duties.selectors import shortfall_by_volunteer
from duties.services import duty_credit_case
from duties.subsidies.services import subsidy_line_for_case
from marketplace import signals


@receiver(signals.case_closed, dispatch_uid="duties.credit_case_on_closing")
def credit_case_on_closing(sender, *, claim, by, now, **kwargs) -> None:
    """The centre accepted a case's closing: one case to the lead handler, one subsidy line.
    Both in the acceptance's transaction: a refused credit (own record, a locked year) undoes it."""
    duty_credit_case(claim=claim, by=by, now=now)
    subsidy_line_for_case(claim=claim, now=now)


signals.quota_shortfall.register(shortfall_by_volunteer)
