"""Actions that cannot be undone ask first: their form or button carries ``data-confirm``, which
the page script turns into a confirmation dialog (no inline script: the CSP stays strict)."""

from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from marketplace.models import ClaimStatus
from tests.factories import AidTaskFactory, AnnualReviewFactory, ClaimFactory, DutyRuleFactory, HourLogFactory

pytestmark = pytest.mark.django_db


class _Forms(HTMLParser):
    """Each form's action with the confirmation texts of the form and of its submit buttons."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._open = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._open = {"action": attrs.get("action", ""), "confirm": attrs.get("data-confirm"), "buttons": {}}
            self.forms.append(self._open)
        elif tag == "button" and self._open is not None and attrs.get("type", "submit") == "submit":
            key = attrs.get("formaction") or attrs.get("value") or "submit"
            self._open["buttons"][key] = attrs.get("data-confirm")

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def forms_of(body: str) -> list[dict]:
    parser = _Forms()
    parser.feed(body)
    return parser.forms


def form_to(body: str, action: str) -> dict:
    matches = [f for f in forms_of(body) if f["action"] == action]
    assert len(matches) == 1, f"no single form posting to {action}"
    return matches[0]


def asks_first(form: dict, button: str = "submit") -> bool:
    text = form["buttons"].get(button) or form["confirm"]
    return bool(text and text.strip())


@pytest.fixture
def requested_claim(legal_aid_center, provider_volunteer):
    task = AidTaskFactory(organization=legal_aid_center, requires_approval=True)
    return ClaimFactory(task=task, volunteer=provider_volunteer, status=ClaimStatus.REQUESTED)


def test_declining_a_claim_asks_first(client_as, coordinator, requested_claim):
    body = client_as(coordinator).get(reverse("desk-task", args=[requested_claim.task_id])).content.decode()
    assert asks_first(form_to(body, reverse("desk-claim-decline", args=[requested_claim.pk])))
    # Accepting can be undone by the provider's withdrawal: it does not ask.
    assert not asks_first(form_to(body, reverse("desk-claim-accept", args=[requested_claim.pk])))


def test_completing_a_task_asks_first(client_as, coordinator, requested_claim):
    body = client_as(coordinator).get(reverse("desk-task", args=[requested_claim.task_id])).content.decode()
    assert asks_first(form_to(body, reverse("desk-task-complete", args=[requested_claim.task_id])))


def test_cancelling_a_task_asks_first(client_as, coordinator, requested_claim):
    url = reverse("desk-task-cancel", args=[requested_claim.task_id])
    body = client_as(coordinator).get(url).content.decode()
    (form,) = [f for f in forms_of(body) if f["action"] in ("", url)]
    assert asks_first(form)


@pytest.fixture
def pending_log(legal_aid_center, provider_volunteer):
    task = AidTaskFactory(organization=legal_aid_center, starts_at=timezone.now() - timedelta(days=2))
    claim = ClaimFactory(task=task, volunteer=provider_volunteer, status=ClaimStatus.ACCEPTED)
    return HourLogFactory(
        claim=claim,
        volunteer=provider_volunteer,
        date=timezone.localdate(task.starts_at),
        hours=Decimal("2"),
    )


def test_deciding_hours_in_bulk_asks_first(client_as, coordinator, pending_log):
    body = client_as(coordinator).get(reverse("desk-hours")).content.decode()
    bulk = form_to(body, reverse("desk-hours-bulk"))
    assert asks_first(bulk, "confirm") and asks_first(bulk, "decline")


def test_declining_logged_hours_asks_first_and_confirming_does_not(client_as, coordinator, pending_log):
    body = client_as(coordinator).get(reverse("desk-hours")).content.decode()
    row = form_to(body, reverse("desk-hours-confirm", args=[pending_log.pk]))
    assert asks_first(row, reverse("desk-hours-decline", args=[pending_log.pk]))
    assert not asks_first(row, "submit")


@pytest.fixture
def review_year(regions, provider_volunteer):
    year = timezone.localdate().year - 1
    DutyRuleFactory(year=year, region=regions["changzhou"], volunteer_kind="lawyer", min_hours=50, min_cases=2)
    AnnualReviewFactory(
        volunteer=provider_volunteer, year=year, region=provider_volunteer.region, opened_at=timezone.now()
    )
    return year


def test_opening_reviews_and_deciding_them_in_bulk_ask_first(
    client_as, regulator, review_year, legal_aid_center, coordinator, provider_volunteer
):
    from datetime import datetime

    from duties.services import duty_credit_case
    from tests.duties.conftest import SHANGHAI, make_case_claim

    for _ in range(2):  # two cases: the provider meets the rule, so the bulk decision has someone to decide
        claim = make_case_claim(legal_aid_center, provider_volunteer)
        duty_credit_case(claim=claim, by=coordinator, now=datetime(review_year, 11, 1, 10, tzinfo=SHANGHAI))
    client = client_as(regulator)
    url = reverse("regulator-reviews") + f"?year={review_year}&region=320400"
    body = client.get(url).content.decode()
    assert asks_first(form_to(body, reverse("regulator-reviews-open")))
    # The bulk decision is previewed first (a GET that changes nothing); the preview's decision asks.
    preview = client.get(reverse("regulator-reviews-bulk"), {"year": review_year, "region": "320400"})
    assert asks_first(form_to(preview.content.decode(), reverse("regulator-reviews-bulk")))


def test_the_page_script_turns_data_confirm_into_a_dialog():
    script = (Path(settings.BASE_DIR) / "frontend/static/frontend/ws.js").read_text()
    assert "data-confirm" in script and "window.confirm" in script
