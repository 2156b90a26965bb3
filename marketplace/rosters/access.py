"""Permission-checked fetches of the rosters: the object, or 404 for "missing" and "not yours"."""

from django.contrib.auth.models import AnonymousUser, User

from marketplace.core.errors import NotFound
from marketplace.core.ids import id_or_404
from marketplace.rosters.models import DutyStation, ShiftSwap
from marketplace.rosters.selectors import stations_managed_by, stations_visible_to, swaps_visible_to


def access_station(user: User | AnonymousUser, station_id, *, for_write: bool = False) -> DutyStation:
    """The station (public); with ``for_write`` only if the caller coordinates its organisation:
    another organisation's coordinator gets 404, as for a missing station."""
    qs = stations_managed_by(user) if for_write else stations_visible_to(user)
    try:
        return qs.get(pk=id_or_404(station_id))
    except DutyStation.DoesNotExist:
        raise NotFound() from None


def access_swap(user: User | AnonymousUser, swap_id) -> ShiftSwap:
    """The swap if the caller is one of its lawyers or runs the shift's station; else 404."""
    try:
        return swaps_visible_to(user).get(pk=id_or_404(swap_id))
    except ShiftSwap.DoesNotExist:
        raise NotFound() from None
