from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    verbose_name = _("Marketplace")
    name = "marketplace"
