"""Read-only admin of evidence requests: every change goes through the services."""

from django.contrib import admin

from marketplace.evidence.models import EvidenceRequest


@admin.register(EvidenceRequest)
class EvidenceRequestAdmin(admin.ModelAdmin):
    list_display = ["id", "number", "task", "department", "handler", "status", "requested_at", "due"]
    list_filter = ["status"]
    raw_id_fields = ["task", "handler", "requested_by", "answered_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
