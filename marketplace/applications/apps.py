from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """Legal aid applications (申请): intake, review on the statutory clock, decision, objection."""

    name = "marketplace.applications"
    label = "applications"
    verbose_name = _("Legal aid applications")
