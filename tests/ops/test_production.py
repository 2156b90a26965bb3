"""The production layout: JSON log lines, reports on the replica alias, the process files."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from duties.selectors import compliance_report, compliance_rows
from marketplace.core.replica import REPLICA, ReplicaRouter, report_db
from tests.factories import ClaimFactory, DutyRuleFactory, this_year

ROOT = Path(__file__).resolve().parents[2]


def test_log_format_json_writes_one_json_object_per_line():
    env = {**os.environ, "LOG_FORMAT": "json", "DJANGO_SETTINGS_MODULE": "marketplace.settings", "DEBUG": "1"}
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('marketplace.ops').warning('disk %s full', 'documents', extra={'volume': 3})"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    line = [line for line in done.stderr.splitlines() if line.strip()][-1]
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "marketplace.ops"
    assert entry["message"] == "disk documents full"
    assert entry["volume"] == 3 and "time" in entry


def test_without_a_replica_reports_read_the_default_database():
    assert REPLICA not in settings.DATABASES
    assert report_db() == "default"


@pytest.fixture
def replica_alias(transactional_db):
    """The alias ``replica`` pointing at the test database, as DATABASE_REPLICA_URL would make it
    in tests (Django's TEST MIRROR): a second connection, so only committed rows are seen."""
    replica = {**connections["default"].settings_dict, "TEST": {"MIRROR": "default"}}
    # connections.settings is settings.DATABASES itself: the alias appears in both.
    connections.settings[REPLICA] = replica
    assert REPLICA in settings.DATABASES
    # Connect directly: the test case refuses to open connections to aliases it was not given,
    # and this one did not exist when the case was set up.
    connections[REPLICA].connect()
    try:
        yield REPLICA
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


@pytest.mark.django_db(transaction=True)
def test_the_compliance_report_reads_via_the_replica(regions, provider_volunteer, replica_alias):
    year = this_year()
    DutyRuleFactory(region=regions["changzhou"], year=year)
    ClaimFactory(volunteer=provider_volunteer)
    assert report_db() == REPLICA
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_default,
    ):
        report = compliance_report(region=regions["changzhou"], year=year, now=timezone.now())
        rows = list(compliance_rows(region=regions["changzhou"], year=year, now=timezone.now()))
    assert report["by_status"]["total"] == 1
    assert [row.volunteer_id for row in rows] == [provider_volunteer.pk]
    assert len(on_replica) >= 2
    assert not [q for q in on_default if "SELECT" in q["sql"] and "volunteers_volunteer" in q["sql"]]


def test_the_router_keeps_writes_and_migrations_on_the_primary():
    router = ReplicaRouter()
    assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) is None
    assert router.allow_migrate(REPLICA, "marketplace") is False
    assert router.allow_migrate("default", "marketplace") is True


def test_the_process_files_name_every_process():
    procfile = dict(line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if ":" in line)
    assert "uvicorn marketplace.asgi:application" in procfile["web"] and "--workers" in procfile["web"]
    assert "celery -A marketplace worker" in procfile["worker"]
    assert "celery -A marketplace beat" in procfile["beat"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in dockerfile
    assert "fonts-wqy-microhei" in dockerfile and "collectstatic" in dockerfile
    assert "\nUSER " in dockerfile and "USER root" not in dockerfile
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert {"db", "redis", "web", "worker", "beat", "migrate"} <= set(services)
    for name in ("db", "redis", "web", "worker", "beat"):
        assert "healthcheck" in services[name], name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])
