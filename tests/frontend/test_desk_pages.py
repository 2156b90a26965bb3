from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from duties import services as duty_services
from duties.models import DutyEntry, HourLog, HourLogStatus
from marketplace import services as market
from marketplace.models import AidTask, Claim, ClaimStatus, TaskStatus
from tests.factories import AidTaskFactory, ClaimFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


def _form(region="320400", **overrides):
    start = timezone.localtime() + timedelta(days=5)
    data = {
        "title": "Migrant wage clinic",
        "summary": "Saturday clinic",
        "kind": "consultation",
        "category": "labor_wages",
        "beneficiary_group": "migrant_workers",
        "region": region,
        "location": "天宁区",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "seats": "2",
        "estimated_hours": "3",
        "eligible_kinds": ["lawyer"],
        "aided_name": "李四",
    }
    data.update(overrides)
    return data


@pytest.fixture
def logged_hours(legal_aid_center, provider_volunteer):
    claim = ClaimFactory(
        task__organization=legal_aid_center,
        task__starts_at=timezone.now() - timedelta(days=3),
        task__ends_at=timezone.now(),
        volunteer=provider_volunteer,
    )
    return duty_services.hours_log(
        claim=claim, date=timezone.localdate() - timedelta(days=1), hours=Decimal("3"), by=provider_volunteer.user
    )


def test_the_desk_is_for_coordinators_only(client_as, coordinator, provider, regions):
    assert client_as(coordinator).get("/desk/").status_code == 200
    assert client_as(provider).get("/desk/").status_code == 403
    assert client_as(None).get("/desk/").status_code == 302


def test_the_desk_pages_through_its_tasks(client_as, coordinator, legal_aid_center, monkeypatch):
    from frontend.views import coordinator as desk_pages

    monkeypatch.setattr(desk_pages, "DESK_PAGE", 2)
    now = timezone.now()
    titles = [AidTaskFactory(organization=legal_aid_center, starts_at=now + timedelta(days=d)).title for d in (1, 2, 3)]
    client = client_as(coordinator)

    first = client.get("/desk/").content.decode()
    last = client.get("/desk/", {"page": 2}).content.decode()

    assert titles[0] in first and titles[1] in first and titles[2] not in first
    assert "?page=2" in first and "3 tasks" in first
    assert titles[2] in last and titles[0] not in last


def test_the_hours_page_counts_every_log_and_shows_the_earliest(
    client_as, coordinator, provider_volunteer, logged_hours, monkeypatch
):
    from frontend.views import coordinator as desk_pages

    later = duty_services.hours_log(
        claim=logged_hours.claim,
        date=logged_hours.date + timedelta(days=1),
        hours=Decimal("2"),
        by=provider_volunteer.user,
    )
    monkeypatch.setattr(desk_pages, "HOURS_SHOWN", 1)

    body = client_as(coordinator).get(reverse("desk-hours")).content.decode()

    assert "2 hour logs to confirm." in body and "The earliest is shown; confirming it brings up the next." in body
    assert f'value="{logged_hours.pk}"' in body and f'value="{later.pk}"' not in body


def test_another_organisations_task_is_not_found_on_the_desk(client_as, wage_clinic, outsider):
    for name in ("desk-task", "desk-task-edit", "desk-task-cancel"):
        assert client_as(outsider).get(reverse(name, args=[wage_clinic.pk])).status_code == 404
    assert client_as(outsider).post(reverse("desk-task-publish", args=[wage_clinic.pk])).status_code == 404


def test_posting_and_publishing_a_task_puts_it_on_the_board(client_as, coordinator, legal_aid_center):
    client = client_as(coordinator)
    response = client.post("/desk/tasks/new/", _form(organization=legal_aid_center.pk, publish="1"))
    task = AidTask.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("desk-task", args=[task.pk])
    assert task.status == TaskStatus.OPEN and task.eligible_kinds == ["lawyer"]
    assert "Migrant wage clinic" in client_as(None).get("/").content.decode()


def test_a_draft_is_published_from_its_desk_page(client_as, coordinator, legal_aid_center):
    client = client_as(coordinator)
    client.post("/desk/tasks/new/", _form(organization=legal_aid_center.pk, publish="0"))
    task = AidTask.objects.get()
    assert task.status == TaskStatus.DRAFT
    client.post(reverse("desk-task-publish", args=[task.pk]))
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_an_end_before_the_start_shows_the_error_beside_the_end(client_as, coordinator, legal_aid_center):
    data = _form(organization=legal_aid_center.pk, publish="1")
    data["ends_at"], data["starts_at"] = data["starts_at"], data["ends_at"]
    response = client_as(coordinator).post("/desk/tasks/new/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_ends_at_error"' in body and 'value="Migrant wage clinic"' in body
    assert not AidTask.objects.exists()


def test_editing_a_task_keeps_the_confidential_details_when_left_empty(client_as, coordinator, legal_aid_center):
    client = client_as(coordinator)
    client.post("/desk/tasks/new/", _form(organization=legal_aid_center.pk, publish="1"))
    task = AidTask.objects.get()
    response = client.post(
        reverse("desk-task-edit", args=[task.pk]),
        _form(organization=legal_aid_center.pk, title="Renamed", aided_name=""),
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title == "Renamed"
    assert market.task_reveal_confidential(task=task, by=coordinator, via="test") == {"name": "李四"}


def test_cancelling_needs_a_reason(client_as, coordinator, wage_clinic):
    client = client_as(coordinator)
    assert client.post(reverse("desk-task-cancel", args=[wage_clinic.pk]), {"reason": ""}).status_code == 400
    client.post(reverse("desk-task-cancel", args=[wage_clinic.pk]), {"reason": "Venue closed"})
    wage_clinic.refresh_from_db()
    assert wage_clinic.status == TaskStatus.CANCELLED


def test_accepting_and_declining_requested_claims(client_as, coordinator, legal_aid_center, regions):
    task = AidTaskFactory(organization=legal_aid_center, requires_approval=True)
    first = ClaimFactory(task=task, status=ClaimStatus.REQUESTED, volunteer__region=regions["tianning"])
    second = ClaimFactory(task=task, status=ClaimStatus.REQUESTED, volunteer__region=regions["tianning"])
    client = client_as(coordinator)
    page = client.get(reverse("desk-task", args=[task.pk])).content.decode()
    assert f'data-claim-id="{first.pk}"' in page
    client.post(reverse("desk-claim-accept", args=[first.pk]))
    client.post(reverse("desk-claim-decline", args=[second.pk]), {"reason": "Full"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (ClaimStatus.ACCEPTED, ClaimStatus.DECLINED)


def test_assignment_lists_ranked_candidates_and_assigns(client_as, coordinator, wage_clinic, provider_volunteer):
    client = client_as(coordinator)
    page = client.get(reverse("desk-task", args=[wage_clinic.pk])).content.decode()
    assert provider_volunteer.display_name in page and "Specialises in" in page
    client.post(reverse("desk-task-assign", args=[wage_clinic.pk]), {"volunteer": provider_volunteer.pk})
    claim = Claim.objects.get(task=wage_clinic)
    assert claim.is_assignment and claim.status == ClaimStatus.ACCEPTED


def test_assigning_someone_not_listed_changes_nothing(client_as, coordinator, wage_clinic, regions):
    stranger_volunteer = VolunteerFactory(region=regions["suzhou"])
    client_as(coordinator).post(
        reverse("desk-task-assign", args=[wage_clinic.pk]), {"volunteer": stranger_volunteer.pk}
    )
    assert not Claim.objects.exists()


def test_hours_are_confirmed_in_part_with_a_comment(client_as, coordinator, logged_hours):
    client = client_as(coordinator)
    assert f'data-log-id="{logged_hours.pk}"' in client.get("/desk/hours/").content.decode()
    client.post(reverse("desk-hours-confirm", args=[logged_hours.pk]), {"hours": "2", "comment": "One hour was travel"})
    logged_hours.refresh_from_db()
    assert logged_hours.status == HourLogStatus.CONFIRMED and logged_hours.confirmed_hours == Decimal("2.00")
    assert DutyEntry.objects.get().hours == Decimal("2.00")


def test_hours_are_confirmed_in_bulk(client_as, coordinator, logged_hours):
    response = client_as(coordinator).post("/desk/hours/bulk/", {"ids": [logged_hours.pk], "action": "confirm"})
    assert response.status_code == 302
    assert HourLog.objects.get().status == HourLogStatus.CONFIRMED


def test_another_organisations_coordinator_cannot_confirm_hours(client_as, outsider, logged_hours):
    response = client_as(outsider).post(reverse("desk-hours-confirm", args=[logged_hours.pk]), {})
    assert response.status_code == 404
    assert HourLog.objects.get().status == HourLogStatus.PENDING


def test_completing_a_started_task_completes_its_claims(client_as, coordinator, legal_aid_center, provider_volunteer):
    task = AidTaskFactory(organization=legal_aid_center, starts_at=timezone.now() - timedelta(hours=4))
    claim = ClaimFactory(task=task, volunteer=provider_volunteer, status=ClaimStatus.ACCEPTED)
    client_as(coordinator).post(reverse("desk-task-complete", args=[task.pk]))
    task.refresh_from_db()
    claim.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED and claim.status == ClaimStatus.COMPLETED


def test_completing_a_task_before_it_starts_is_refused_with_a_message(client_as, coordinator, wage_clinic):
    response = client_as(coordinator).post(reverse("desk-task-complete", args=[wage_clinic.pk]), follow=True)
    assert response.status_code == 200 and "not started yet" in response.content.decode()
    wage_clinic.refresh_from_db()
    assert wage_clinic.status == TaskStatus.OPEN
