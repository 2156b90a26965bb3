"""A worker killed in the middle of a job (SIGKILL: no shutdown, no acknowledgement, no
cleanup) loses nothing: the job stays running while its lease lasts, no second run starts
beside a live one, and once the lease has run out the sweep queues it again and another worker
finishes it as its second attempt (docs/jobs.md, "Runs, failures, dead workers").

Real worker processes on a real broker: the embedded filesystem one (which removes a message when
a worker takes it, so the killed worker's message is gone) and Redis when REDIS_URL is set (where
it stays unacknowledged). The processes share the test's database: PostgreSQL, or the SQLite
file the tests use."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from marketplace.core.models import Job, JobStatus
from tests.jobs.stalling import STALL
from tests.worker import wait_until

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 3


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _environment(broker: str, folder: Path) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_DATA_DIR": str(folder),
        "JOBS_LEASE_SECONDS": str(LEASE_SECONDS),
        "PYTHONPATH": str(ROOT),
    }
    env["CELERY_BROKER_URL"] = "filesystem://" if broker == "filesystem" else os.environ["REDIS_URL"]
    return env


def _python(env: dict, code: str) -> None:
    """Run ``code`` with Django set up, in a process of its own on the workers' broker."""
    setup = "import django; django.setup()\n"
    subprocess.run([sys.executable, "-c", setup + code], env=env, cwd=ROOT, check=True, timeout=60)


def _worker(env: dict, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "marketplace.celery", "worker", "--pool", "solo"]
    command += ["-I", "tests.jobs.stalling", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    with log.open("ab") as out:
        return subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("broker", ["filesystem", pytest.param("redis", marks=pytest.mark.redis)])
def test_a_job_whose_worker_is_killed_is_finished_by_another_worker(broker, regulator, tmp_path):
    env = _environment(broker, tmp_path / "celery")
    log = tmp_path / "workers.log"
    release = tmp_path / "release"
    now = timezone.now()
    job = Job.objects.create(
        kind=STALL, owner=regulator, params={"release": str(release)}, created_at=now, queued_at=now
    )
    workers = [_worker(env, log)]
    try:
        _python(env, f"from marketplace.core.tasks import run_job; run_job.delay({job.pk})")
        wait_until(lambda: Job.objects.get(pk=job.pk).done == 1, seconds=60)
        running = Job.objects.get(pk=job.pk)
        assert (running.status, running.attempt) == (JobStatus.RUNNING, 1), log.read_text()

        # While the run lives, its progress keeps the lease: a sweep queues nothing.
        time.sleep(LEASE_SECONDS + 1)
        _python(env, "from marketplace.core.jobs import jobs_sweep; assert jobs_sweep()['requeued'] == 0")
        assert Job.objects.get(pk=job.pk).attempt == 1

        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(timeout=10)

        # What the killed worker left: the job running, its first attempt, until the lease ends.
        wait_until(lambda: Job.objects.get(pk=job.pk).lease_until < timezone.now(), seconds=LEASE_SECONDS + 5)
        left = Job.objects.get(pk=job.pk)
        assert (left.status, left.attempt, left.done) == (JobStatus.RUNNING, 1, 1)

        release.touch()
        workers.append(_worker(env, log))
        _python(env, "from marketplace.core.jobs import jobs_sweep; assert jobs_sweep()['requeued'] == 1")
        wait_until(lambda: Job.objects.get(pk=job.pk).status == JobStatus.DONE, seconds=60)
    finally:
        release.touch()
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=30)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, log.read_text()
    assert (job.attempt, job.done, job.total, job.result) == (2, 2, 2, {"attempt": 2})
    assert settings.CELERY_TASK_ALWAYS_EAGER  # the test process itself never ran the job
