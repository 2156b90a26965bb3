"""Browser tests: Playwright driving Debian's Chromium against a live ASGI server.

The server is uvicorn serving ``marketplace.asgi:application`` in a background thread, on a free
port of 127.0.0.1, against the test database (a SQLite file per test process, or PostgreSQL), so
pages, htmx requests and WebSockets all run for real. Tests use ``transactional_db``: the server's
threads must see what a test writes.

Screenshots of the main pages, at desktop and phone width, go to tests/browser/screenshots/.
"""

import os
import shutil
import socket
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest

from marketplace.models import Claim, ClaimStatus, TaskStatus
from tests.factories import CaseFactory
from tests.jobs.conftest import (  # noqa: F401  (fixtures: last year's certified lawyers)
    LAST_YEAR,
    certified,
    compliant_lawyers,
    opened,
    rule_last_year,
)

SCREENSHOTS = Path(__file__).parent / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
PAGE_IS_NOT_WIDER_THAN_THE_SCREEN = "document.documentElement.scrollWidth <= window.innerWidth"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_server_url(django_db_setup, django_db_blocker):
    import uvicorn

    from marketplace.asgi import application

    port = _free_port()
    config = uvicorn.Config(
        application, host="127.0.0.1", port=port, log_level="warning", ws="websockets-sansio", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-asgi-server", daemon=True)
    with django_db_blocker.unblock():
        thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the live ASGI server did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(live_server_url):
    """Chromium for one test module. Playwright's sync API keeps an event loop in this thread
    while it runs, and Django refuses ORM calls from a thread with a running loop; the test
    code itself is plain synchronous code, so Django is told so for the module's lifetime only."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is not installed: apt-get install -y chromium")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def handled_case(centre, handler, title, *, status=TaskStatus.FILLED, days=60, hours="20", **task):
    """A case of ``centre`` that began ``days`` days ago, assigned to ``handler`` (its one seat taken)."""
    case = CaseFactory(
        organization=centre,
        title=title,
        days_ago=days,
        seats_taken=1,
        estimated_hours=Decimal(hours),
        status=status,
        **task,
    )
    claim = Claim.objects.create(
        task=case, volunteer=handler, status=ClaimStatus.ACCEPTED, is_assignment=True, decided_at=case.starts_at
    )
    return case, claim


class Session:
    """One person at one browser: a context with its own cookies, and its page."""

    def __init__(self, context, page, base_url):
        self.context = context
        self.page = page
        self.base_url = base_url
        self.console_errors: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(msg.text))
        page.on("pageerror", lambda exc: self.console_errors.append(str(exc)))

    def goto(self, path: str):
        self.page.goto(self.base_url + path)
        return self.page

    def wait_for_socket(self, name: str = "ws-board"):
        self.page.wait_for_selector(f"html[data-{name}='open']", state="attached", timeout=10_000)

    def screenshot(self, name: str) -> None:
        """The current page at desktop and at phone width, full length."""
        SCREENSHOTS.mkdir(exist_ok=True)
        size = self.page.viewport_size
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            self.page.set_viewport_size(viewport)
            self.page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
        self.page.set_viewport_size(size)

    def fits_the_phone(self) -> bool:
        """Whether the current page, at phone width, is no wider than the screen (no sideways scroll)."""
        self.page.set_viewport_size(PHONE)
        return self.page.evaluate(PAGE_IS_NOT_WIDER_THAN_THE_SCREEN)


@pytest.fixture
def open_session(browser, live_server_url, transactional_db):
    """``open_session(user=None, locale="zh-CN")``: a new browser context, signed in as ``user``."""
    from django.conf import settings
    from django.test import Client

    sessions: list[Session] = []

    def make(user=None, locale: str = "zh-CN") -> Session:
        context = browser.new_context(viewport=DESKTOP, locale=locale)
        context.set_default_timeout(10_000)
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "url": live_server_url,
                    }
                ]
            )
        session = Session(context, context.new_page(), live_server_url)
        sessions.append(session)
        return session

    yield make
    problems = [f"{msg}" for s in sessions for msg in s.console_errors if "Content Security Policy" in msg]
    for session in sessions:
        session.context.close()
    assert problems == [], f"the pages broke the Content-Security-Policy: {problems}"


@pytest.fixture
def waiting_export(regulator, regions, certified, monkeypatch):  # noqa: F811
    """The regulator's inspection export of last year, started with no worker yet: the job waits.
    Asked in Chinese, as from the pages the browser tests read: the job and its notice speak it."""
    from django.utils import translation

    from duties.jobs import INSPECTION_EXPORT, regulator_job_start
    from marketplace.core import jobs

    monkeypatch.setattr(jobs, "_enqueue", lambda job_id: None)
    with translation.override("zh-hans"):
        return regulator_job_start(
            kind=INSPECTION_EXPORT, year=LAST_YEAR, region=regions["changzhou"], format="xlsx", by=regulator
        )


def pytest_collection_modifyitems(config, items):
    # Static files reach the browser through WhiteNoise, whose file iterator is synchronous; under
    # ASGI Django consumes it in a thread and warns. A serving detail, not a defect of the pages.
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous"))
