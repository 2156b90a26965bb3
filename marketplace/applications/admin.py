"""Read-only admin views of applications: every change goes through the services, and the
parties (encrypted) are never shown here."""

from django.contrib import admin

from marketplace.applications.models import Application, ApplicationEvent, Decision, IdentityAccess, Objection
from marketplace.core.admin import ReadOnlyAdmin


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["id", "number", "organization", "centre", "status", "received_at", "decision_due", "urgent"]
    list_filter = ["status", "channel", "urgent"]
    exclude = ["applicant_ciphertext", "opposing_ciphertext"]
    raw_id_fields = ["case", "created_by", "forwarded_by"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["id", "application", "outcome", "decided_at", "decided_by"]
    list_filter = ["outcome"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["id", "application", "registered_at", "due", "upheld", "decided_at"]


@admin.register(IdentityAccess)
class IdentityAccessAdmin(ReadOnlyAdmin):
    list_display = ["id", "application", "user", "accessed_at", "via"]


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "application", "kind", "at", "by"]
    list_filter = ["kind"]
