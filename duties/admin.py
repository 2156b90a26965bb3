"""Read-only admin views of the duties app: every change goes through the services."""

from django.contrib import admin

from duties.models import AnnualReview, DutyEntry, DutyRule, HourLog
from marketplace.core.admin import ReadOnlyAdmin


@admin.register(HourLog)
class HourLogAdmin(ReadOnlyAdmin):
    list_display = ["id", "volunteer", "date", "hours", "confirmed_hours", "status"]
    list_filter = ["status"]
    raw_id_fields = ["claim", "volunteer", "decided_by"]


@admin.register(DutyEntry)
class DutyEntryAdmin(ReadOnlyAdmin):
    """The ledger is append-only: the admin shows it and never offers to change it."""

    list_display = ["id", "volunteer", "year", "occurred_on", "kind", "hours", "cases", "hash"]
    list_filter = ["kind", "year"]


@admin.register(DutyRule)
class DutyRuleAdmin(ReadOnlyAdmin):
    list_display = ["year", "region", "volunteer_kind", "min_hours", "min_cases", "satisfied_by"]
    list_filter = ["year", "volunteer_kind"]


@admin.register(AnnualReview)
class AnnualReviewAdmin(ReadOnlyAdmin):
    list_display = ["year", "volunteer", "region", "status", "hours", "cases", "certificate_code"]
    list_filter = ["year", "status"]
    search_fields = ["certificate_code", "volunteer__licence_number"]
