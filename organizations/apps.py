from django.apps import AppConfig
from django.core.signals import request_started
from django.db.models.signals import post_delete, post_save


class OrganizationsConfig(AppConfig):
    name = "organizations"

    def ready(self):
        from organizations import roles
        from organizations.models import Membership, Organization, Region

        # A user's roles are kept for the request (organizations.roles): the next request, or a
        # write to what they are made of, makes every kept copy stale.
        request_started.connect(roles.request_started, dispatch_uid="roles_request_started")
        for model in (Membership, Organization, Region):
            name = model.__name__
            post_save.connect(roles.roles_changed, sender=model, dispatch_uid=f"roles_changed_save_{name}")
            post_delete.connect(roles.roles_changed, sender=model, dispatch_uid=f"roles_changed_delete_{name}")
