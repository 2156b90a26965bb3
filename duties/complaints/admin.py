"""Read-only admin of complaints: every change goes through the services; the contact
(encrypted) is never shown here."""

from django.contrib import admin

from duties.complaints.models import Complaint
from marketplace.core.admin import ReadOnlyAdmin


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["id", "code", "subject", "region", "status", "filed_at", "due"]
    list_filter = ["status"]
    exclude = ["contact_ciphertext"]
    raw_id_fields = ["task", "volunteer", "filed_by", "investigated_by", "resolved_by"]
