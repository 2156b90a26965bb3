"""A kind of job for the killed-worker test (tests/jobs/test_killed_worker.py), imported by the
test's worker processes (``celery worker -I tests.jobs.stalling``): it counts one step, then keeps
reporting progress, holding its lease as a live run does, until its release file appears."""

import time
from pathlib import Path

from marketplace.core import jobs

STALL = "test_stall"


def _stall(job, progress):
    progress.set_total(2)
    progress.advance()
    release = Path(job.params["release"])
    deadline = time.monotonic() + 120
    while not release.exists():
        if time.monotonic() > deadline:
            raise TimeoutError("the test never released the job")
        time.sleep(0.2)
        progress.advance(0)  # a write about once a second: the lease is extended
    progress.advance()
    return jobs.JobOutput(result={"attempt": job.attempt})


jobs.register(STALL, _stall, label="Stall until released (tests)")
