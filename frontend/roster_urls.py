"""Pages of the duty rosters: the stations' rosters and a lawyer's shifts."""

from django.urls import path

from frontend.views import rosters

urlpatterns = [
    path("rosters/", rosters.stations, name="rosters"),
    path("rosters/stations/<int:station_id>/", rosters.station, name="roster-station"),
    path("rosters/swaps/<int:swap_id>/approve/", rosters.swap_approve, name="roster-swap-approve"),
    path("rosters/swaps/<int:swap_id>/refuse/", rosters.swap_refuse, name="roster-swap-refuse"),
    path("rosters/claims/<int:claim_id>/served/", rosters.served, name="roster-served"),
    path("provider/shifts/", rosters.my_shifts, name="provider-shifts"),
    path("provider/shifts/<int:claim_id>/swap/", rosters.swap_request, name="provider-shift-swap"),
    path("provider/swaps/<int:swap_id>/cancel/", rosters.swap_cancel, name="provider-swap-cancel"),
]
