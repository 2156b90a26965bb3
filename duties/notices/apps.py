from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    """Notices: the notification centre, email and text messages, and the reminders on the
    statutory clocks, run by the background engine (docs/notices.md)."""

    name = "duties.notices"
    label = "notices"
    verbose_name = _("Notices")

    def ready(self) -> None:
        from duties.notices import receivers  # noqa: F401  (Celery's task_failure -> FailedJob)
