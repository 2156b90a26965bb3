"""Permission-checked fetches: the object, or 404 for "missing" and "not yours" alike.

A caller who may see an object but not act on it gets 403 from the service that refuses.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q
from django.utils.translation import gettext as _

from duties.models import AnnualReview, DutyEntry, DutyRule, HourLog
from duties.selectors import (
    can_see_volunteer_duty,
    entries_visible_to,
    hour_logs_visible_to,
    reviews_visible_to,
)
from marketplace.core.access import row_or_404
from marketplace.core.errors import Invalid, NotFound
from marketplace.models import Claim
from organizations.models import Organization, OrganizationKind, Region
from organizations.roles import roles_of
from volunteers.models import Volunteer


def access_claim_for_hours(user: User | AnonymousUser, claim_id: int) -> Claim:
    """The claim if the caller is its provider or coordinates the task's organisation; else 404."""
    if not user.is_authenticated:
        raise NotFound()
    condition = Q(volunteer__user=user)
    org_ids = roles_of(user).coordinated_ids
    if org_ids:
        condition |= Q(task__organization_id__in=org_ids)
    return row_or_404(Claim.objects.filter(condition).select_related("task"), claim_id)


def access_hour_log(user: User | AnonymousUser, log_id: int) -> HourLog:
    return row_or_404(hour_logs_visible_to(user), log_id)


def access_entry(user: User | AnonymousUser, entry_id: int) -> DutyEntry:
    return row_or_404(entries_visible_to(user), entry_id)


def access_review(user: User | AnonymousUser, review_id: int) -> AnnualReview:
    return row_or_404(reviews_visible_to(user), review_id)


def access_rule_for_write(user: User | AnonymousUser, rule_id: int) -> DutyRule:
    """A quota rule of the caller's jurisdiction, to correct or delete; else 404 (rules are
    public, but another region's rule is not the caller's to change, as for tasks)."""
    return row_or_404(DutyRule.objects.filter(region_id__in=roles_of(user).jurisdiction_codes()), rule_id)


def access_volunteer_duty(user: User | AnonymousUser, volunteer_id: int) -> Volunteer:
    """The provider whose duty the caller may read (self, or a regulator of the region); else 404."""
    volunteer = Volunteer.objects.select_related("region", "user").filter(pk=volunteer_id).first()
    if volunteer is None or not can_see_volunteer_duty(user, volunteer):
        raise NotFound()
    return volunteer


def access_law_firm(user: User | AnonymousUser, firm_id: int) -> Organization:
    """The law firm if ``user`` coordinates it (a coordinator or admin: Art. 16, the firm sees
    its lawyers' duty); anyone else, or an organisation that is not a law firm, 404."""
    firm = Organization.objects.filter(pk=firm_id, kind=OrganizationKind.LAW_FIRM).first()
    if firm is None or not roles_of(user).is_coordinator_of(firm):
        raise NotFound()
    return firm


def region_param(code: str | None, *, field: str = "region") -> Region:
    region = Region.objects.filter(code=code).first() if code else None
    if region is None:
        raise Invalid(_("Unknown region code."), field=field, code="invalid")
    return region
