"""What the duties app does when the marketplace announces something (marketplace.signals)."""

from django.dispatch import receiver

from duties.selectors import shortfall_by_volunteer
from duties.services import duty_credit_case
from marketplace import signals


@receiver(signals.case_claim_completed, dispatch_uid="duties.credit_case_on_completion")
def credit_case_on_completion(sender, *, claim, by, now, **kwargs) -> None:
    duty_credit_case(claim=claim, by=by, now=now)


signals.quota_shortfall.register(shortfall_by_volunteer)
