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

        from duties.notices import receivers  # noqa: F401  (Celery's task_failure -> FailedJob)

        # The embedded broker's folders: the web process queues jobs there, the worker takes them.
        options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
        if settings.CELERY_BROKER_URL == "filesystem://":
            for key in ("data_folder_in", "data_folder_out", "processed_folder"):
                if options.get(key):
                    Path(options[key]).mkdir(parents=True, exist_ok=True)
