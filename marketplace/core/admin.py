"""The admin's read-only views: records that change only through their services."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists and shows a model's records; adding, changing and deleting them is left to the
    services (their rules, history and events)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
