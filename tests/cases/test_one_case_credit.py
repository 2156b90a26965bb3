"""A case counts once, for the lead handler, when the centre accepts its closing (DOMAIN: never
on assignment, never once per seat); the assistant's hours on it are credited as case handling."""

from decimal import Decimal

import pytest
from django.utils import timezone

from duties import services as duty_services
from duties.models import DutyEntry, EntryKind, HourLog
from marketplace.models import ClaimStatus

pytestmark = pytest.mark.django_db


def test_a_two_seat_case_credits_exactly_one_case_to_the_lead_handler(
    api_as, provider, provider_volunteer, assistant_volunteer, case_with_assistant, file_closing, coordinator
):
    case = case_with_assistant
    assert DutyEntry.objects.count() == 0  # assignment credits nothing
    file_closing(provider, case, summary="调解结案。")

    accepted = api_as(coordinator).post(
        f"/api/v1/tasks/{case.pk}/closing/review/", {"accepted": True, "quality": "good"}, format="json"
    )

    assert accepted.status_code == 200, accepted.content
    cases = DutyEntry.objects.filter(kind=EntryKind.CASE)
    assert [(e.volunteer_id, e.cases, e.credit_kind) for e in cases] == [(provider_volunteer.pk, 1, "case")]
    assert set(case.claims.values_list("volunteer_id", "status")) == {
        (provider_volunteer.pk, ClaimStatus.COMPLETED),
        (assistant_volunteer.pk, ClaimStatus.COMPLETED),
    }
    assert not DutyEntry.objects.filter(volunteer=assistant_volunteer).exists()

    # The assistant's hours on the case still count, as case handling.
    claim = case.claims.get(volunteer=assistant_volunteer)
    log = HourLog.objects.create(
        claim=claim, volunteer=assistant_volunteer, date=timezone.localdate(), hours=Decimal("3.00")
    )
    duty_services.hours_confirm(log=log, by=coordinator)
    entry = DutyEntry.objects.get(hour_log=log)
    assert (entry.kind, entry.cases, entry.credit_kind) == (EntryKind.HOURS, 0, "case")
