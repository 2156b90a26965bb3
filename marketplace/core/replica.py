"""Reads for reports and exports from a PostgreSQL replica (``DATABASE_REPLICA_URL``).

Explicit, not by a router's guess: the report and export selectors take their database from
``report_db()`` (``qs.using(report_db())``, ``connections[report_db()]``); everything else,
claims above all, reads and writes the primary, so nothing that decides reads a lagging
replica. Without the variable ``report_db()`` is ``default``. ``ReplicaRouter`` only keeps
writes and migrations off the replica.
"""

from django.conf import settings
from django.db import connections

REPLICA = "replica"


def report_db() -> str:
    """The database alias reports and exports read: the replica when one is configured."""
    return REPLICA if REPLICA in settings.DATABASES else "default"


def report_connection():
    return connections[report_db()]


class ReplicaRouter:
    """Writes and migrations go to the primary only; reads follow ``.using()`` (default otherwise)."""

    def db_for_read(self, model, **hints):
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
