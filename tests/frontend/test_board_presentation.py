"""The board as people read it: pager links, seats filter, dates and hours that tell the truth."""

import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from marketplace.models import TaskStatus
from tests.factories import AidTaskFactory, ClaimFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _hrefs(body: str, rel: str) -> list[str]:
    return re.findall(rf'<a href="([^"]*)"[^>]*rel="{rel}"', body)


def test_the_board_pager_links_to_page_two_with_a_single_question_mark(client_as, legal_aid_center):
    AidTaskFactory.create_batch(25, organization=legal_aid_center)
    body = client_as(None).get("/").content.decode()
    assert _hrefs(body, "next") == ["?page=2"]
    assert "??" not in body


def test_the_board_pager_keeps_every_other_filter_once(client_as, legal_aid_center):
    AidTaskFactory.create_batch(25, organization=legal_aid_center, category="labor_wages")
    body = client_as(None).get("/", {"category": "labor_wages", "page": "2"}).content.decode()
    assert _hrefs(body, "prev") == ["?category=labor_wages&amp;page=1"]
    assert 'hx-get="?category=labor_wages&amp;page=1"' in body


def test_the_board_pager_link_opens_page_two(client_as, legal_aid_center):
    AidTaskFactory.create_batch(25, organization=legal_aid_center)
    client = client_as(None)
    link = _hrefs(client.get("/").content.decode(), "next")[0]
    assert "Page 2 of 2" in client.get("/" + link).content.decode()


def test_the_htmx_results_carry_the_same_pager_links(client_as, legal_aid_center):
    AidTaskFactory.create_batch(25, organization=legal_aid_center)
    body = client_as(None).get("/", {"kind": "consultation"}, headers={"HX-Request": "true"}).content.decode()
    assert _hrefs(body, "next") == ["?kind=consultation&amp;page=2"]


def test_the_shared_pager_of_list_pages_has_a_single_question_mark(client_as, regulator, regions):
    VolunteerFactory.create_batch(51, region=regions["tianning"], status="pending")
    body = client_as(regulator).get("/regulator/providers/", {"status": "pending"}).content.decode()
    assert _hrefs(body, "next") == ["?status=pending&amp;page=2"]


def test_the_compliance_legend_links_have_a_single_question_mark(client_as, regulator, provider_volunteer):
    body = client_as(regulator).get("/regulator/compliance/", {"region": "320400"}).content.decode()
    assert "??" not in body
    assert re.search(r'href="\?[^"]*status=met"', body)


# --- only tasks with seats left ----------------------------------------------------------------


@pytest.fixture
def free_and_full(legal_aid_center):
    free = AidTaskFactory(organization=legal_aid_center, title="Free seats clinic", seats=2, seats_taken=1)
    full = AidTaskFactory(
        organization=legal_aid_center, title="Full clinic", seats=1, seats_taken=1, status=TaskStatus.FILLED
    )
    return free, full


def test_the_board_hides_full_tasks_by_default_and_ticks_the_box(client_as, free_and_full):
    body = client_as(None).get("/").content.decode()
    assert "Free seats clinic" in body and "Full clinic" not in body
    assert re.search(r'<input type="checkbox" name="has_seats" value="true"[^>]*checked', body)


def test_unticking_the_box_shows_full_tasks_too(client_as, free_and_full):
    # An unticked box sends only the hidden "false" placed before it.
    body = client_as(None).get("/", {"has_seats": "false"}).content.decode()
    assert "Free seats clinic" in body and "Full clinic" in body
    assert not re.search(r'<input type="checkbox" name="has_seats" value="true"[^>]*checked', body)


def test_a_ticked_box_sends_false_then_true_and_true_wins(client_as, free_and_full):
    body = client_as(None).get("/?has_seats=false&has_seats=true").content.decode()
    assert "Free seats clinic" in body and "Full clinic" not in body


def test_the_hidden_false_comes_before_the_checkbox(client_as, regions):
    body = client_as(None).get("/").content.decode()
    hidden = body.index('<input type="hidden" name="has_seats" value="false">')
    assert hidden < body.index('<input type="checkbox" name="has_seats"')


def test_the_pager_leaves_the_default_out_and_keeps_an_untick_once(client_as, legal_aid_center):
    AidTaskFactory.create_batch(25, organization=legal_aid_center)
    client = client_as(None)
    body = client.get("/?kind=consultation&has_seats=false&has_seats=true").content.decode()
    assert _hrefs(body, "next") == ["?kind=consultation&amp;page=2"]
    body = client.get("/", {"kind": "consultation", "has_seats": "false"}).content.decode()
    assert _hrefs(body, "next") == ["?kind=consultation&amp;has_seats=false&amp;page=2"]


def test_a_board_of_full_tasks_offers_to_show_them(client_as, legal_aid_center):
    AidTaskFactory(organization=legal_aid_center, seats=1, seats_taken=1, status=TaskStatus.FILLED)
    body = client_as(None).get("/").content.decode()
    assert 'href="?has_seats=false"' in body


# --- when, and how long -------------------------------------------------------------------------


def _at(day: int, hour: int) -> datetime:
    return datetime(2099, 5, day, hour, 0, tzinfo=SHANGHAI)


def test_a_three_hour_session_shows_its_span_and_the_estimate_labelled_as_such(client_as, legal_aid_center):
    task = AidTaskFactory(
        organization=legal_aid_center,
        starts_at=_at(1, 14),
        ends_at=_at(1, 17),
        claim_deadline=_at(1, 8),
        estimated_hours=Decimal("15.00"),
    )
    body = client_as(None).get("/").content.decode()
    card = body[body.index(f'data-task-id="{task.pk}"') :]
    assert "2099-05-01 14:00</time>–<time" in card
    assert "3 h session" in card
    assert "Estimated work: 15 h" in card
    assert "about 15" not in card


def test_a_session_as_long_as_its_estimate_says_the_hours_once(client_as, legal_aid_center):
    AidTaskFactory(organization=legal_aid_center, starts_at=_at(1, 9), ends_at=_at(1, 12), claim_deadline=None)
    body = client_as(None).get("/").content.decode()
    assert "3 h session" in body and "Estimated work" not in body


def test_a_multi_day_task_shows_its_end_date(client_as, legal_aid_center):
    task = AidTaskFactory(organization=legal_aid_center, starts_at=_at(1, 9), ends_at=_at(3, 17), claim_deadline=None)
    body = client_as(None).get("/").content.decode()
    assert "2099-05-01 09:00</time> – <time" in body
    assert "2099-05-03 17:00</time>" in body
    assert "session" not in body[body.index(f'data-task-id="{task.pk}"') :]


def test_the_pages_of_a_multi_day_task_show_its_end_date(client_as, legal_aid_center, coordinator, provider_volunteer):
    task = AidTaskFactory(organization=legal_aid_center, starts_at=_at(1, 9), ends_at=_at(20, 17), claim_deadline=None)
    claim = ClaimFactory(task=task, volunteer=provider_volunteer)
    pages = [
        (None, reverse("task-detail", args=[task.pk])),
        (coordinator, reverse("desk-task", args=[task.pk])),
        (provider_volunteer.user, reverse("provider-claim", args=[claim.pk])),
        (provider_volunteer.user, reverse("provider-tasks")),
    ]
    for user, url in pages:
        body = client_as(user).get(url).content.decode()
        assert "2099-05-20 17:00</time>" in body, url
