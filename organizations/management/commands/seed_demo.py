"""Load the demo data. Idempotent: running it twice changes nothing."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from organizations.demo import DEMO_PASSWORD


def demo_modules():
    """Each installed app's ``demo`` module, in INSTALLED_APPS order: an app's demo data builds on
    the apps below it. Found by name, so this command imports no app above its own."""
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if find_spec(config.name) is not None and find_spec(name) is not None:
            yield import_module(name)


class Command(BaseCommand):
    help = "Load the Changzhou demo data (organisations, providers, tasks, a year of duty history)."

    def handle(self, *args, **options):
        now = timezone.now()
        modules = list(demo_modules())
        with transaction.atomic():
            for module in modules:
                module.seed(now=now)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000/login/ as:"))
        for module in modules:
            for username, role in getattr(module, "DEMO_LOGINS", []):
                self.stdout.write(f"  {username:<18} {DEMO_PASSWORD}   {role}")
