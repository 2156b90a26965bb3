from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class FrontendConfig(AppConfig):
    name = "frontend"

    def ready(self):
        from frontend.templatetags.rows import regions_changed
        from organizations.models import Region

        # The board's cached filter form lists the regions (frontend/templatetags/rows.py).
        post_save.connect(regions_changed, sender=Region, dispatch_uid="frontend-regions-changed")
        post_delete.connect(regions_changed, sender=Region, dispatch_uid="frontend-regions-changed-delete")
