"""A law firm's page: its lawyers' duty progress and the firm's totals (Legal Aid Law Art. 16)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from duties.access import access_law_firm
from duties.selectors import firm_progress, year_has_ended
from frontend.params import query_int, query_recent_year
from frontend.views.common import domain_errors_as_http, role_required
from marketplace.core.errors import Forbidden
from marketplace.core.ids import MAX_ID
from organizations.models import OrganizationKind
from organizations.roles import roles_of


def _law_firms(roles) -> list:
    return [org for org in roles.coordinated_organizations if org.kind == OrganizationKind.LAW_FIRM]


def _require_firm(roles) -> None:
    if not _law_firms(roles):
        raise Forbidden(_("This page is for the directors of law firms."))


@login_required
@domain_errors_as_http
@role_required(_require_firm)
def progress(request):
    """``?firm=`` (one of the firms the user directs; the first by default) and ``?year=``."""
    firms = _law_firms(roles_of(request.user))
    firm = access_law_firm(request.user, query_int(request, "firm", default=firms[0].pk, min_value=1, max_value=MAX_ID))
    year, years = query_recent_year(request)
    context = {
        "firm": firm,
        "firms": firms,
        "year": year,
        "years": years,
        "progress": firm_progress(firm, year),
        "year_ended": year_has_ended(year, timezone.now()),
    }
    return render(request, "frontend/firm/progress.html", context)
