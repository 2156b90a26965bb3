"""Read-only admin of complaints: every change goes through the services; the contact
(encrypted) is never shown here."""

from django.contrib import admin

from duties.complaints.models import Complaint


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ["id", "code", "subject", "region", "status", "filed_at", "due"]
    list_filter = ["status"]
    exclude = ["contact_ciphertext"]
    raw_id_fields = ["task", "volunteer", "filed_by", "investigated_by", "resolved_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
