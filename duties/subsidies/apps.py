from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidiesConfig(AppConfig):
    """Case subsidies (办案补贴, Art. 52): one line per accepted closing, priced by issue 13's schedules."""

    name = "duties.subsidies"
    label = "subsidies"
    verbose_name = _("Case subsidies")
