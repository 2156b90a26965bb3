"""A centre's cap on open cases per handler, and the load it is measured against.

A lawyer carries many cases at once for months, so a case never blocks other work by time
overlap (DOMAIN); a legal aid centre may cap the number of open cases one handler carries instead
(``CaseLoadCap``, data the centre sets). A handler's open cases are the cases they hold an
accepted claim on, from any centre: assigned, named by their firm or claimed, until the closing is
accepted or the case ends. Assignment respects the cap of the centre whose case it is: the ranked
candidates at the cap are shown unavailable with the reason, and assigning one is 409
``case_cap_reached`` (``marketplace.services``, with the provider's row locked, so two
assignments at once cannot both pass the count).
"""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from marketplace.applications.models import CaseLoadCap
from marketplace.core.errors import Conflict, Invalid, NotFound
from marketplace.core.ids import parse_id
from marketplace.models import CASE_KINDS, AidTask, Claim, ClaimStatus
from organizations.models import Organization
from organizations.roles import roles_of

CASE_CAP_REACHED = "case_cap_reached"
MAX_CAP = 1000


def case_cap_of(centre_id: int) -> int | None:
    """The centre's cap on open cases per handler, or None when it set none."""
    return CaseLoadCap.objects.filter(centre_id=centre_id).values_list("max_open_cases", flat=True).first()


def case_cap_record(centre_id: int) -> CaseLoadCap | None:
    return CaseLoadCap.objects.filter(centre_id=centre_id).first()


def access_centre(user: User | AnonymousUser, centre_id: int) -> Organization:
    """The legal aid centre ``centre_id`` if ``user`` coordinates it: 404 otherwise."""
    pk = parse_id(centre_id)
    if pk is None or not roles_of(user).coordinates_centre(pk):
        raise NotFound()
    return Organization.objects.get(pk=pk)


def open_cases_of(volunteer_ids: Iterable[int]) -> dict[int, int]:
    """How many open cases each provider handles (those with none are left out). One query."""
    ids = list(volunteer_ids)
    if not ids:
        return {}
    rows = (
        Claim.objects.filter(volunteer_id__in=ids, status=ClaimStatus.ACCEPTED, task__kind__in=CASE_KINDS)
        .order_by()
        .values("volunteer_id")
        .annotate(n=Count("id"))
        .values_list("volunteer_id", "n")
    )
    return dict(rows)


def cap_reason(open_cases: int, cap: int) -> str:
    return ngettext(
        "At the centre's cap: %(n)d open case, the cap is %(cap)d per handler.",
        "At the centre's cap: %(n)d open cases, the cap is %(cap)d per handler.",
        open_cases,
    ) % {"n": open_cases, "cap": cap}


def refuse_over_cap(task: AidTask, volunteer_id: int) -> None:
    """409 ``case_cap_reached`` when ``task`` is a case of a centre with a cap that the provider's
    open cases already reach. The caller holds the provider's row lock."""
    if not task.is_case:
        return
    cap = case_cap_of(task.organization_id)
    if cap is None:
        return
    count = open_cases_of([volunteer_id]).get(volunteer_id, 0)
    if count >= cap:
        raise Conflict(cap_reason(count, cap), code=CASE_CAP_REACHED)


@transaction.atomic
def case_cap_set(
    *, centre: Organization, max_open_cases: int | None, by: User, now: datetime | None = None
) -> CaseLoadCap | None:
    """Set (or, with None, lift) the centre's cap on open cases per handler.

    Who: a coordinator or admin of the legal aid centre (403 otherwise). Precondition: a whole
    number from 1 to ``MAX_CAP`` (400 on ``max_open_cases``). Handlers above a lowered cap keep
    their cases; they are only not assigned new ones. Returns the cap, None when lifted.
    """
    now = now or timezone.now()
    roles = roles_of(by)
    roles.require_coordinator(centre.pk)
    roles.require_centre(centre.pk)
    if max_open_cases is None:
        CaseLoadCap.objects.filter(centre=centre).delete()
        return None
    if isinstance(max_open_cases, bool) or not isinstance(max_open_cases, int) or not 1 <= max_open_cases <= MAX_CAP:
        raise Invalid(
            _("Give a whole number from 1 to %(max)d.") % {"max": MAX_CAP}, field="max_open_cases", code="invalid"
        )
    cap, _created = CaseLoadCap.objects.update_or_create(
        centre=centre, defaults={"max_open_cases": max_open_cases, "set_by": by, "set_at": now}
    )
    return cap
