from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    verbose_name = "Marketplace"
    name = "marketplace"
