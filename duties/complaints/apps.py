from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    """Complaints about legal aid (Art. 57-59): anyone files one, the justice bureau of the region
    investigates it and records its finding."""

    name = "duties.complaints"
    label = "complaints"
    verbose_name = _("Complaints")
