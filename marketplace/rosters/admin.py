"""Read-only admin of the rosters: every change goes through the services (docs/rosters.md)."""

from django.contrib import admin

from marketplace.core.admin import ReadOnlyAdmin
from marketplace.rosters.models import DutyShift, DutyStation, ServedShift, ShiftSwap


@admin.register(DutyStation)
class DutyStationAdmin(ReadOnlyAdmin):
    list_display = ["id", "name", "kind", "organization", "region"]
    list_filter = ["kind"]


@admin.register(DutyShift)
class DutyShiftAdmin(ReadOnlyAdmin):
    list_display = ["id", "station", "date", "half_day", "task"]
    list_filter = ["half_day"]
    raw_id_fields = ["task"]


@admin.register(ShiftSwap)
class ShiftSwapAdmin(ReadOnlyAdmin):
    list_display = ["id", "shift", "from_volunteer", "to_volunteer", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["shift", "claim", "from_volunteer", "to_volunteer", "new_claim"]


@admin.register(ServedShift)
class ServedShiftAdmin(ReadOnlyAdmin):
    list_display = ["id", "shift", "volunteer", "people_helped", "hours", "recorded_at"]
    raw_id_fields = ["claim", "shift", "volunteer"]
