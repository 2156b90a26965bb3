"""A refusal always says why: a coordinator declining a claim, or hours, gives a reason that the
provider reads on their pages and in the API."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from duties import services as duty_services
from duties.models import HourLog, HourLogStatus
from marketplace.core.errors import Invalid
from marketplace.models import AidTask, Claim, ClaimStatus
from marketplace.services import claim_decline
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def snapshot():
    return list(AidTask.objects.order_by("pk").values()), list(Claim.objects.order_by("pk").values())


@pytest.fixture
def requested(wage_clinic, provider_volunteer):
    return ClaimFactory(task=wage_clinic, volunteer=provider_volunteer, status=ClaimStatus.REQUESTED)


@pytest.mark.parametrize("reason", ["", "   "])
def test_the_coordinator_cannot_decline_without_a_reason(coordinator, requested, reason):
    before = snapshot()
    with pytest.raises(Invalid) as caught:
        claim_decline(claim=requested, reason=reason, by=coordinator)
    assert (caught.value.field, caught.value.code) == ("reason", "required")
    assert snapshot() == before


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "  "}])
def test_the_api_answers_a_decline_without_reason_with_400_on_reason(api_as, coordinator, requested, body):
    before = snapshot()
    response = api_as(coordinator).post(f"/api/v1/claims/{requested.pk}/decline/", body, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    assert snapshot() == before


def test_the_provider_reads_the_reason_in_the_api(api_as, coordinator, provider, requested):
    api_as(coordinator).post(f"/api/v1/claims/{requested.pk}/decline/", {"reason": "经验不符"}, format="json")
    data = api_as(provider).get(f"/api/v1/claims/{requested.pk}/").json()
    assert (data["status"], data["reason"], data["declined_by_provider"]) == ("declined", "经验不符", False)


def test_the_desk_form_requires_a_reason_and_declines_nothing_without_one(client_as, coordinator, requested):
    client = client_as(coordinator)
    page = client.get(reverse("desk-task", args=[requested.task_id])).content.decode()
    assert f'id="reason-{requested.pk}"' in page
    field = page.split(f'id="reason-{requested.pk}"', 1)[1].split(">", 1)[0]
    assert "required" in field
    before = snapshot()
    response = client.post(reverse("desk-claim-decline", args=[requested.pk]), {"reason": ""}, follow=True)
    assert snapshot() == before
    assert "Say why you decline the claim." in response.content.decode()


def test_the_provider_sees_the_reason_on_my_tasks_and_on_the_claim(client_as, coordinator, requested):
    client_as(coordinator).post(reverse("desk-claim-decline", args=[requested.pk]), {"reason": "Needs a labour lawyer"})
    requested.refresh_from_db()
    assert requested.status == ClaimStatus.DECLINED
    client = client_as(requested.volunteer.user)
    assert "Needs a labour lawyer" in client.get(reverse("provider-tasks")).content.decode()
    assert "Needs a labour lawyer" in client.get(reverse("provider-claim", args=[requested.pk])).content.decode()


# --- hours: decline takes {"comment"}, required on the API and the pages -------------------------


@pytest.fixture
def pending_log(legal_aid_center, provider_volunteer):
    start = timezone.now() - timedelta(days=3)
    claim = ClaimFactory(
        task__organization=legal_aid_center,
        task__starts_at=start,
        task__ends_at=start + timedelta(days=2),
        volunteer=provider_volunteer,
    )
    return duty_services.hours_log(
        claim=claim, date=timezone.localdate(start), hours=Decimal("3"), by=provider_volunteer.user
    )


@pytest.mark.parametrize("body", [{}, {"comment": ""}, {"comment": "  "}])
def test_declining_hours_without_a_comment_is_400_on_comment(api_as, coordinator, pending_log, body):
    response = api_as(coordinator).post(f"/api/v1/hours/{pending_log.pk}/decline/", body, format="json")
    assert response.status_code == 400 and "comment" in response.json()
    assert HourLog.objects.get().status == HourLogStatus.PENDING


def test_declining_hours_on_the_page_without_a_comment_declines_nothing(client_as, coordinator, pending_log):
    response = client_as(coordinator).post(
        reverse("desk-hours-decline", args=[pending_log.pk]), {"comment": ""}, follow=True
    )
    assert HourLog.objects.get().status == HourLogStatus.PENDING
    assert "Say why the hours are declined." in response.content.decode()


def test_declining_hours_in_bulk_without_a_comment_declines_nothing(client_as, coordinator, pending_log):
    client_as(coordinator).post(reverse("desk-hours-bulk"), {"action": "decline", "ids": [pending_log.pk]})
    assert HourLog.objects.get().status == HourLogStatus.PENDING
