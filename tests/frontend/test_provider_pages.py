from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from duties.models import HourLog
from marketplace import services as market
from marketplace.models import Claim, ClaimStatus
from tests.factories import ClaimFactory, UserFactory, VolunteerFactory
from volunteers.models import Volunteer, VolunteerStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted_claim(wage_clinic, provider_volunteer):
    return market.claim_create(task=wage_clinic, volunteer=provider_volunteer, by=provider_volunteer.user)


@pytest.mark.parametrize(
    "name,args",
    [("provider-tasks", []), ("provider-duty", []), ("provider-register", [])],
)
def test_provider_pages_send_anonymous_visitors_to_sign_in(client_as, regions, name, args):
    response = client_as(None).get(reverse(name, args=args))
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


def test_claiming_from_the_task_page_accepts_and_opens_the_claim(client_as, wage_clinic, provider_volunteer):
    response = client_as(provider_volunteer.user).post(reverse("task-claim", args=[wage_clinic.pk]))
    claim = Claim.objects.get(task=wage_clinic, volunteer=provider_volunteer)
    assert claim.status == ClaimStatus.ACCEPTED
    assert response.status_code == 302 and response["Location"] == reverse("provider-claim", args=[claim.pk])
    wage_clinic.refresh_from_db()
    assert wage_clinic.seats_taken == 1


def test_a_refused_claim_is_a_message_not_an_error(client_as, wage_clinic, stranger):
    client = client_as(stranger)
    response = client.post(reverse("task-claim", args=[wage_clinic.pk]), follow=True)
    assert response.status_code == 200
    assert "register a provider profile" in response.content.decode()
    assert not Claim.objects.exists()


def test_claiming_a_draft_is_not_found(client_as, draft_task, provider):
    assert client_as(provider).post(reverse("task-claim", args=[draft_task.pk])).status_code == 404


def test_my_tasks_lists_the_claim_and_someone_elses_claim_is_not_found(client_as, accepted_claim, regions):
    other = VolunteerFactory(region=regions["tianning"])
    assert (
        accepted_claim.task.title in client_as(accepted_claim.volunteer.user).get("/provider/tasks/").content.decode()
    )
    assert client_as(other.user).get(reverse("provider-claim", args=[accepted_claim.pk])).status_code == 404


def test_withdrawing_needs_a_reason_shown_beside_the_field(client_as, accepted_claim):
    client = client_as(accepted_claim.volunteer.user)
    url = reverse("provider-claim-withdraw", args=[accepted_claim.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert 'id="id_reason_error"' in response.content.decode()
    accepted_claim.refresh_from_db()
    assert accepted_claim.status == ClaimStatus.ACCEPTED
    response = client.post(url, {"reason": "Ill that day"})
    assert response.status_code == 302
    accepted_claim.refresh_from_db()
    assert accepted_claim.status == ClaimStatus.WITHDRAWN and accepted_claim.reason == "Ill that day"


def test_the_aided_person_shows_only_after_confirming_no_conflict(
    client_as, coordinator, legal_aid_center, provider_volunteer
):
    now = timezone.now()
    task = market.task_create(
        organization=legal_aid_center,
        values={
            "title": "Work injury case",
            "kind": "consultation",
            "category": "work_injury",
            "beneficiary_group": "workers",
            "region": legal_aid_center.region,
            "starts_at": now + timedelta(days=3),
            "ends_at": now + timedelta(days=3, hours=2),
            "seats": 1,
            "estimated_hours": Decimal("2"),
        },
        confidential={"name": "张三丰"},
        publish=True,
        by=coordinator,
    )
    claim = market.claim_create(task=task, volunteer=provider_volunteer, by=provider_volunteer.user)
    client = client_as(provider_volunteer.user)
    page = client.get(reverse("provider-claim", args=[claim.pk])).content.decode()
    assert "张三丰" not in page
    response = client.post(reverse("provider-claim-no-conflict", args=[claim.pk]))
    assert response.status_code == 200 and "张三丰" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "张三丰" not in client.get(reverse("provider-claim", args=[claim.pk])).content.decode()


def test_logging_hours_in_the_future_shows_the_error_beside_the_date(client_as, accepted_claim):
    client = client_as(accepted_claim.volunteer.user)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("provider-claim-hours", args=[accepted_claim.pk]),
        {"date": tomorrow.isoformat(), "hours": "2", "note": "x"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_date_error"' in body
    assert "x</textarea>" in body
    assert not HourLog.objects.exists()


def test_logging_hours_on_a_started_task_creates_a_pending_log(client_as, legal_aid_center, provider_volunteer):
    claim = ClaimFactory(
        task__organization=legal_aid_center,
        task__starts_at=timezone.now() - timedelta(days=2),
        task__ends_at=timezone.now() + timedelta(days=1),
        volunteer=provider_volunteer,
    )
    response = client_as(provider_volunteer.user).post(
        reverse("provider-claim-hours", args=[claim.pk]), {"date": timezone.localdate().isoformat(), "hours": "2.5"}
    )
    assert response.status_code == 302
    assert HourLog.objects.get().hours == Decimal("2.50")


def test_my_duty_shows_progress_ledger_and_reviews(client_as, provider):
    response = client_as(provider).get("/provider/duty/")
    assert response.status_code == 200
    assert 'id="duty-progress"' in response.content.decode()


def test_my_duty_without_a_profile_goes_to_registration(client_as, stranger):
    response = client_as(stranger).get("/provider/duty/")
    assert response.status_code == 302 and response["Location"] == "/provider/register/"


def test_registering_without_a_licence_shows_the_error_and_keeps_the_input(client_as, stranger, regions):
    response = client_as(stranger).post(
        "/provider/register/", {"kind": "lawyer", "region": "320402", "phone": "13800000000", "languages": "zh"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_licence_number_error"' in body and 'value="13800000000"' in body
    assert not Volunteer.objects.filter(user=stranger).exists()


def test_registering_creates_a_pending_profile(client_as, regions):
    user = UserFactory(username="newcomer")
    response = client_as(user).post(
        "/provider/register/",
        {"kind": "law_student", "region": "320402", "specialties": ["labor_wages"], "languages": "zh, en"},
    )
    assert response.status_code == 302
    volunteer = Volunteer.objects.get(user=user)
    assert volunteer.status == VolunteerStatus.PENDING and volunteer.languages == ["zh", "en"]
    assert "Pending" in client_as(user).get("/provider/tasks/").content.decode()


def test_an_assignment_is_declined_with_a_reason_that_regulators_read(
    client_as, coordinator, wage_clinic, provider_volunteer, regulator
):
    claim = market.task_assign(task=wage_clinic, volunteer=provider_volunteer, by=coordinator)
    client = client_as(provider_volunteer.user)
    page = client.get(reverse("provider-claim-withdraw", args=[claim.pk])).content.decode()
    assert "Decline the assignment" in page
    response = client.post(reverse("provider-claim-withdraw", args=[claim.pk]), {"reason": "I act for the employer"})
    assert response.status_code == 302
    claim.refresh_from_db()
    # The refusal waits for the centre's ruling; the provider keeps the case meanwhile.
    assert claim.status == ClaimStatus.ACCEPTED and claim.refusal.ruling == "pending"
    assert "I act for the employer" in client_as(regulator).get("/regulator/declined/").content.decode()
