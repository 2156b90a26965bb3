"""Read-only admin views of subsidies: every change goes through the services (a paid line is
reversed, never edited)."""

from django.contrib import admin

from duties.subsidies.models import SubsidyBatch, SubsidyLine, SubsidyRate, SubsidySchedule
from marketplace.core.admin import ReadOnlyAdmin, ReadOnlyInline


class SubsidyRateInline(ReadOnlyInline):
    model = SubsidyRate
    extra = 0


@admin.register(SubsidySchedule)
class SubsidyScheduleAdmin(ReadOnlyAdmin):
    list_display = ["year", "region", "version", "duty_half_day", "travel_supplement", "organization", "created_at"]
    list_filter = ["year"]
    inlines = [SubsidyRateInline]


@admin.register(SubsidyLine)
class SubsidyLineAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "task", "volunteer", "year", "amount", "status", "schedule", "batch", "reverses"]
    list_filter = ["kind", "status", "year"]
    raw_id_fields = ["task", "volunteer", "schedule", "batch", "reverses", "payee_org", "organization"]


@admin.register(SubsidyBatch)
class SubsidyBatchAdmin(ReadOnlyAdmin):
    list_display = ["id", "organization", "status", "total", "created_at", "paid_at"]
    list_filter = ["status"]
