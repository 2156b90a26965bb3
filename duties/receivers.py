"""What the duties app does when the marketplace announces something (marketplace.signals)."""

from django.dispatch import receiver

from duties.selectors import shortfall_by_volunteer
from duties.services import duty_credit_case, hours_credit_served_shift
from duties.subsidies.services import subsidy_line_for_case, subsidy_line_for_shift
from marketplace import signals


@receiver(signals.case_closed, dispatch_uid="duties.credit_case_on_closing")
def credit_case_on_closing(sender, *, claim, by, now, **kwargs) -> None:
    """The centre accepted a case's closing: one case to the lead handler, one subsidy line.
    Both in the acceptance's transaction: a refused credit (own record, a locked year) undoes it."""
    duty_credit_case(claim=claim, by=by, now=now)
    subsidy_line_for_case(claim=claim, now=now)


@receiver(signals.shift_served, dispatch_uid="duties.credit_served_shift")
def credit_served_shift(sender, *, served, organization, region, by, now, **kwargs) -> None:
    """A station recorded a duty shift served: its hours through a confirmed hour log, and one
    subsidy line per served half-day (Art. 52). In the record's transaction: a refused credit (own
    record, a locked year) undoes the record."""
    claim, shift = served.claim, served.shift
    hours_credit_served_shift(claim=claim, date=shift.date, hours=served.hours, note=str(shift), by=by, now=now)
    subsidy_line_for_shift(
        organization=organization,
        volunteer=claim.volunteer,
        region=region,
        served_on=shift.date,
        reference=f"shift-claim:{claim.pk}",
        task=claim.task,
        now=now,
    )


signals.quota_shortfall.register(shortfall_by_volunteer)
