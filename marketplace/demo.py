"""Demo data of this app, loaded by ``manage.py seed_demo`` after organisations and providers."""

from datetime import datetime


def seed(*, now: datetime) -> None:
    """Idempotent: a second run changes nothing."""
