"""Permission-checked fetches of the rosters: the object, or 404 for "missing" and "not yours"."""

from django.contrib.auth.models import AnonymousUser, User

from marketplace.core.access import row_or_404
from marketplace.rosters.models import DutyStation, ShiftSwap
from marketplace.rosters.selectors import stations_managed_by, stations_visible_to, swaps_visible_to


def access_station(user: User | AnonymousUser, station_id, *, for_write: bool = False) -> DutyStation:
    """The station (public); with ``for_write`` only if the caller coordinates its organisation:
    another organisation's coordinator gets 404, as for a missing station."""
    qs = stations_managed_by(user) if for_write else stations_visible_to(user)
    return row_or_404(qs, station_id)


def access_swap(user: User | AnonymousUser, swap_id) -> ShiftSwap:
    """The swap if the caller is one of its lawyers or runs the shift's station; else 404."""
    return row_or_404(swaps_visible_to(user), swap_id)
