"""Load the demo data. Idempotent: running it twice changes nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from duties import demo as duties_demo
from marketplace import demo as marketplace_demo
from organizations import demo as organizations_demo
from volunteers import demo as volunteers_demo


class Command(BaseCommand):
    help = "Load the Changzhou demo data (organisations, providers, tasks, a year of duty history)."

    def handle(self, *args, **options):
        now = timezone.now()
        with transaction.atomic():
            organizations_demo.seed(now=now)
            volunteers_demo.seed(now=now)
            marketplace_demo.seed(now=now)
            duties_demo.seed(now=now)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000/login/ as:"))
        for username, role in organizations_demo.DEMO_LOGINS + volunteers_demo.DEMO_LOGINS:
            self.stdout.write(f"  {username:<18} {organizations_demo.DEMO_PASSWORD}   {role}")
