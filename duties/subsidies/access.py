"""Who may read and write subsidies, and permission-checked fetches (404 for "missing" and
"not yours" alike).

- Schedules: written by reviewers and admins of a justice bureau whose region covers the
  schedule's; read by regulators and legal aid centres.
- Lines and batches: the coordinators of the legal aid centre that pays them (its own cases),
  and reviewers of a justice bureau for lines of their region (read only).
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from duties.subsidies.models import SubsidyBatch, SubsidyLine, SubsidySchedule
from marketplace.core.access import row_or_404
from marketplace.core.errors import Forbidden
from organizations.models import OrganizationKind, Region
from organizations.roles import Roles, roles_of
from organizations.selectors import within_regions


def require_schedule_reader(user: User | AnonymousUser) -> Roles:
    roles = roles_of(user)
    if not (roles.is_regulator or roles.is_centre_coordinator):
        raise Forbidden(_("Subsidy schedules are for regulators and legal aid centres."))
    return roles


def require_schedule_writer(user: User | AnonymousUser, region: Region):
    """The justice bureau of ``region`` (403 for any other role, 400 on ``region`` outside its
    jurisdiction); returns the bureau."""
    roles = roles_of(user)
    roles.require_regulator(
        region,
        kind=OrganizationKind.JUSTICE_BUREAU,
        detail=_("Only a justice bureau sets subsidy schedules."),
        code="not_justice_bureau",
    )
    return roles.regulating(region, kind=OrganizationKind.JUSTICE_BUREAU)[0].organization


def require_line_reader(user: User | AnonymousUser) -> Roles:
    roles = roles_of(user)
    if not (roles.is_centre_coordinator or roles.regions_regulated_as(OrganizationKind.JUSTICE_BUREAU)):
        raise Forbidden(_("Subsidies are for legal aid centres and justice bureaus."))
    return roles


def require_centre(user: User | AnonymousUser) -> Roles:
    roles = roles_of(user)
    if not roles.is_centre_coordinator:
        raise Forbidden(_("Only a legal aid centre batches and pays subsidies."), code="not_legal_aid_center")
    return roles


def schedules_visible_to(user: User | AnonymousUser) -> QuerySet[SubsidySchedule]:
    """Schedules are rules, not personal data: every regulator and centre reads them all."""
    roles = roles_of(user)
    if not (roles.is_regulator or roles.is_centre_coordinator):
        return SubsidySchedule.objects.none()
    return SubsidySchedule.objects.select_related("region").prefetch_related("rates")


def _paid_by_or_within(roles: Roles, *, region_field: str) -> Q:
    """Paid by one of the caller's centres, or (``region_field``) in its justice bureaus' regions."""
    bureaus = roles.regions_regulated_as(OrganizationKind.JUSTICE_BUREAU)
    return Q(organization_id__in=roles.centre_ids) | within_regions(bureaus, field=region_field)


def lines_visible_to(user: User | AnonymousUser) -> QuerySet[SubsidyLine]:
    return SubsidyLine.objects.filter(_paid_by_or_within(roles_of(user), region_field="region"))


def batches_visible_to(user: User | AnonymousUser) -> QuerySet[SubsidyBatch]:
    return SubsidyBatch.objects.filter(_paid_by_or_within(roles_of(user), region_field="organization__region"))


def _paid_by_caller(user: User | AnonymousUser, record, refusal: str) -> None:
    """``record`` (a line or a batch) is changed by the centre that pays it only (403
    ``not_legal_aid_center``)."""
    if record.organization_id not in roles_of(user).centre_ids:
        raise Forbidden(refusal, code="not_legal_aid_center")


def access_schedule(user: User | AnonymousUser, schedule_id: int) -> SubsidySchedule:
    return row_or_404(schedules_visible_to(user), schedule_id)


def access_line(user: User | AnonymousUser, line_id: int, *, for_write: bool = False) -> SubsidyLine:
    """The line if the caller may see it (404 otherwise); to change it, the caller must be its
    centre (403 ``not_legal_aid_center``)."""
    line = row_or_404(lines_visible_to(user), line_id)
    if for_write:
        _paid_by_caller(user, line, _("Only the paying legal aid centre changes a subsidy line."))
    return line


def access_batch(user: User | AnonymousUser, batch_id: int, *, for_write: bool = False) -> SubsidyBatch:
    """As ``access_line``, for a payment batch."""
    batch = row_or_404(batches_visible_to(user), batch_id)
    if for_write:
        _paid_by_caller(user, batch, _("Only the paying legal aid centre pays a batch."))
    return batch
