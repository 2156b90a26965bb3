from django.contrib import admin

from duties.notices.models import FailedJob, Notification, ReminderSent


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user"]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["kind", "object_key", "recipient", "due_on", "sent_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient", "notification"]


@admin.register(FailedJob)
class FailedJobAdmin(admin.ModelAdmin):
    list_display = ["task_name", "task_id", "exception", "failed_at"]
    readonly_fields = ["task_name", "task_id", "arguments", "exception", "failed_at"]
