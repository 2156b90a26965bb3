"""The board counts its tasks only up to ``BOARD_COUNT_CAP``: past it the page says "more than N"
instead of walking every open task for an exact figure (docs/bench.md: the COUNT was most of the
page at province scale). Below the cap the figure is exact."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.factories import AidTaskFactory

pytestmark = pytest.mark.django_db


@override_settings(BOARD_COUNT_CAP=3, LANGUAGE_CODE="en")
def test_past_the_cap_the_board_says_more_than_the_cap_and_still_pages_on(client_as, legal_aid_center):
    AidTaskFactory.create_batch(5, organization=legal_aid_center)
    client = client_as(None)
    with translation.override("en"), CaptureQueriesContext(connection) as queries:
        page = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert "More than 3 tasks found" in page.content.decode()
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 4" in sql for sql in counts)


@override_settings(BOARD_COUNT_CAP=3)
def test_at_or_below_the_cap_the_figure_is_exact(client_as, legal_aid_center):
    AidTaskFactory.create_batch(3, organization=legal_aid_center)
    page = client_as(None).get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert "3 tasks found" in page.content.decode()
    assert "More than" not in page.content.decode()


@override_settings(BOARD_COUNT_CAP=21, BOARD_CARD_CACHE_SECONDS=0)
def test_the_page_past_the_cap_still_lists_every_task_on_it(client_as, legal_aid_center):
    AidTaskFactory.create_batch(25, organization=legal_aid_center)
    page = client_as(None).get("/?page=2", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert [t.name for t in page.templates].count("frontend/partials/task_card.html") == 5
