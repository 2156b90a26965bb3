"""The admin's read-only views: records that change only through their services."""

from django.contrib import admin

from marketplace.core.models import Job


class ReadOnly:
    """Adding, changing and deleting the records is left to the services (their rules, history
    and events): the admin only shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    """Lists and shows a model's records."""


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    """Shows a model's records as rows in the admin of the record they belong to."""


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    """Every background job, for the site administrators (a failed one also lands in the failure
    list, /admin/notices/failedjob/)."""

    list_display = ["id", "kind", "owner", "status", "done", "total", "attempt", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    search_fields = ["owner__username"]
