from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RostersConfig(AppConfig):
    """Duty-lawyer rosters (值班律师排班): legal aid stations at courts, procuratorates and
    detention centres post dated half-day shifts; lawyers hold them, swap them with the station's
    approval, and the station records each shift served (Legal Aid Law Art. 14, 30)."""

    name = "marketplace.rosters"
    label = "rosters"
    verbose_name = _("Duty rosters")
