"""Duty roster pages: a station's roster (post shifts in bulk, uncovered shifts flagged, swaps to
decide, shifts to record served) and a lawyer's shifts (hand one on). Each form calls the same
service as the API (marketplace.rosters.services)."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from frontend.roster_forms import BulkShiftsForm, RefuseForm, ServedForm, SwapForm
from frontend.views.common import (
    coordinator_required,
    posted_form,
    run_action,
    run_form_action,
    run_into_form,
    signed_in_action,
    signed_in_form,
)
from marketplace.access import access_claim
from marketplace.core.errors import Conflict
from marketplace.rosters import selectors, services
from marketplace.rosters.access import access_station, access_swap
from marketplace.rosters.models import SwapStatus
from marketplace.selectors import volunteer_of


@login_required
@require_GET
@coordinator_required(_("Duty rosters are kept by the coordinators of the organisations running stations."))
def stations(request):
    """The stations the caller's organisations run, each with its uncovered shifts of the week."""
    now = timezone.now()
    listed = list(selectors.stations_managed_by(request.user).order_by("name"))
    flagged = selectors.uncovered(selectors.shifts_visible_to(request.user), now=now)
    counts: dict[int, int] = {}
    for station_id in flagged.filter(station__in=listed).values_list("station_id", flat=True):
        counts[station_id] = counts.get(station_id, 0) + 1
    for station in listed:
        station.uncovered_count = counts.get(station.pk, 0)
    return render(request, "frontend/rosters/stations.html", {"stations": listed})


def _station_page(request, station, *, form=None, status=200):
    now = timezone.now()
    today = timezone.localdate(now)
    context = {
        "station": station,
        "form": form or BulkShiftsForm(initial={"first_day": today, "last_day": today + timedelta(weeks=4)}),
        "shifts": selectors.station_roster(station, now=now),
        "swaps": list(selectors.pending_swaps(station)),
        "to_record": list(selectors.shifts_to_record(station, now=now)),
        "refuse_form": RefuseForm(),
    }
    return render(request, "frontend/rosters/station.html", context, status=status)


@signed_in_form
def station(request, station_id: int):
    station = access_station(request.user, station_id, for_write=True)
    if request.method == "GET":
        return _station_page(request, station)
    form = BulkShiftsForm(request.POST)
    if form.is_valid():
        posted = run_into_form(form, services.shifts_post, station=station, by=request.user, **form.cleaned_data)
        if posted is not None:
            messages.success(
                request,
                _("Shifts posted: %(n)d. Skipped, already posted: %(m)d.")
                % {"n": len(posted.created), "m": len(posted.skipped)},
            )
            return redirect("roster-station", station_id=station.pk)
    return _station_page(request, station, form=form, status=400)


@signed_in_action
def swap_approve(request, swap_id: int):
    swap = access_swap(request.user, swap_id)
    run_action(request, services.swap_approve, success=_("Swap approved: the shift moved."), swap=swap, by=request.user)
    return redirect("roster-station", station_id=swap.shift.station_id)


@signed_in_action
def swap_refuse(request, swap_id: int):
    swap = access_swap(request.user, swap_id)
    run_form_action(
        request,
        RefuseForm,
        services.swap_refuse,
        success=_("Swap refused."),
        invalid=_("Say why the swap is refused."),
        swap=swap,
        by=request.user,
    )
    return redirect("roster-station", station_id=swap.shift.station_id)


@signed_in_form
def served(request, claim_id: int):
    """The station records a lawyer's shift served: the help given and the people helped."""
    claim = access_claim(request.user, claim_id)
    try:
        shift = services.shift_of(claim)
    except Conflict:
        raise Http404() from None  # not a duty shift: nothing to record here
    access_station(request.user, shift.station_id, for_write=True)
    form = ServedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record = run_into_form(form, services.shift_served_record, claim=claim, by=request.user, **form.cleaned_data)
        if record is not None:
            messages.success(request, _("Shift recorded served; %(h)s hours credited.") % {"h": record.hours})
            return redirect("roster-station", station_id=shift.station_id)
    context = {"claim": claim, "shift": shift, "form": form}
    return render(request, "frontend/rosters/served.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def my_shifts(request):
    """The lawyer's shifts to come (each with the form to hand it on), swaps and served records."""
    if volunteer_of(request.user) is None:
        raise PermissionDenied(_("Duty shifts are held by lawyers."))
    swaps = list(selectors.swaps_visible_to(request.user).order_by("-created_at", "-id")[:50])
    context = {
        "claims": list(selectors.shifts_of_provider(request.user).filter(task__starts_at__gt=timezone.now())[:50]),
        "swaps": swaps,
        # a shift already asked to be handed on shows that, not the form again (a second ask is 409)
        "asked": {swap.claim_id for swap in swaps if swap.status == SwapStatus.PENDING},
        "served": list(
            selectors.served_visible_to(request.user).filter(volunteer__user=request.user).order_by("-recorded_at")[:50]
        ),
        "swap_form": SwapForm(),
        "pending": SwapStatus.PENDING,
    }
    return render(request, "frontend/rosters/my_shifts.html", context)


@signed_in_action
def swap_request(request, claim_id: int):
    claim = access_claim(request.user, claim_id)
    form = posted_form(request, SwapForm, invalid=_("Give the licence number of the lawyer taking the shift."))
    if form is not None:
        run_action(
            request,
            services.swap_request,
            success=_("Swap asked; the station decides."),
            claim=claim,
            to_volunteer=services.provider_by_licence(form.cleaned_data["licence_number"]),
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    return redirect("provider-shifts")


@signed_in_action
def swap_cancel(request, swap_id: int):
    swap = access_swap(request.user, swap_id)
    run_action(request, services.swap_cancel, success=_("Swap withdrawn."), swap=swap, by=request.user)
    return redirect("provider-shifts")
