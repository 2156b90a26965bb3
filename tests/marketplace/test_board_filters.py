"""One home for the board's filters: ``marketplace.filters`` serves the API's list and the page."""

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.test import RequestFactory

from marketplace.filters import board_tasks
from marketplace.models import TaskStatus
from marketplace.selectors import tasks_on_board
from tests.factories import AidTaskFactory

pytestmark = pytest.mark.django_db


def request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_board_lists_visible_tasks_the_first_to_start_first(coordinator, outsider, legal_aid_center, now):
    later = AidTaskFactory(organization=legal_aid_center, starts_at=now + timedelta(days=9))
    sooner = AidTaskFactory(organization=legal_aid_center, starts_at=now + timedelta(days=2))
    draft = AidTaskFactory(organization=legal_aid_center, starts_at=now + timedelta(days=1), status=TaskStatus.DRAFT)

    assert list(tasks_on_board(outsider)) == [sooner, later]
    assert list(tasks_on_board(coordinator)) == [draft, sooner, later]


def test_the_page_and_the_api_filter_alike(api, stranger, legal_aid_center, other_org, now):
    for org in (legal_aid_center, other_org):
        AidTaskFactory(organization=org, starts_at=now + timedelta(days=3))
    AidTaskFactory(organization=other_org, starts_at=now + timedelta(days=4), status=TaskStatus.FILLED)
    AidTaskFactory(organization=other_org, starts_at=now + timedelta(days=5), status=TaskStatus.COMPLETED)

    for query in ("", "has_seats=true", f"organization={other_org.pk}", "status=completed", "ordering=-starts_at"):
        page = board_tasks(QueryDict(query), request=request_of(stranger))
        answer = api.get(f"/api/v1/tasks/?{query}").json()["results"]
        assert [t.pk for t in page] == [t["id"] for t in answer], query


def test_a_value_the_api_refuses_is_left_out_on_the_page(api, stranger, legal_aid_center, now):
    task = AidTaskFactory(organization=legal_aid_center, starts_at=now + timedelta(days=3))

    assert api.get("/api/v1/tasks/?has_seats=maybe").status_code == 400
    assert list(board_tasks(QueryDict("has_seats=maybe"), request=request_of(stranger))) == [task]
