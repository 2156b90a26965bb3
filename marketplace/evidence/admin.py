"""Read-only admin of evidence requests: every change goes through the services."""

from django.contrib import admin

from marketplace.core.admin import ReadOnlyAdmin
from marketplace.evidence.models import EvidenceRequest


@admin.register(EvidenceRequest)
class EvidenceRequestAdmin(ReadOnlyAdmin):
    list_display = ["id", "number", "task", "department", "handler", "status", "requested_at", "due"]
    list_filter = ["status"]
    raw_id_fields = ["task", "handler", "requested_by", "answered_by"]
