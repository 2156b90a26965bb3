"""A real Celery worker for the tests that need one (tests/notices, tests/jobs)."""

import time
from contextlib import contextmanager
from pathlib import Path

from celery.contrib.testing.worker import start_worker

from marketplace.celery import app


@contextmanager
def real_worker(settings):
    """A worker thread on the configured broker (the embedded filesystem one, whose folders the
    pytest env puts under /tmp and which is emptied of stale messages first, or Redis when
    REDIS_URL is set), with eager execution off while it runs."""
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None)
    if options:
        for stale in Path(options["data_folder_in"]).glob("*"):
            stale.unlink()
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.task_always_eager = saved


def wait_until(condition, *, seconds: float = 20) -> None:
    """Poll ``condition`` until it holds or ``seconds`` pass (the caller asserts afterwards)."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
