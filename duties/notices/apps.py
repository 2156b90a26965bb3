from pathlib import Path

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    """Notices: the notification centre, email and text messages, and the reminders on the
    statutory clocks, run by the background engine (docs/notices.md)."""

    name = "duties.notices"
    label = "notices"
    verbose_name = _("Notices")

    def ready(self) -> None:
        from django.conf import settings
        from rest_framework import serializers

        from duties.notices import receivers  # noqa: F401  (Celery's task_failure -> FailedJob)
        from duties.notices.selectors import unread_count
        from marketplace.core import me

        # GET /api/v1/me/ says how many notices are unread (one count query), through the
        # kernel's extension point: organizations, which serves /me/, may not import notices.
        me.register(
            "unread_notifications",
            value=unread_count,
            field=serializers.IntegerField,
            help_text="How many of the caller's notices are unread (the nav's count).",
        )

        # The embedded broker's folders: the web process queues jobs there, the worker takes them.
        options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
        if settings.CELERY_BROKER_URL == "filesystem://":
            for key in ("data_folder_in", "data_folder_out", "processed_folder"):
                if options.get(key):
                    Path(options[key]).mkdir(parents=True, exist_ok=True)
