"""POST /api/v1/applications/: registration (受理登记) at a centre or a station."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from marketplace.applications import clock
from marketplace.applications.models import Application, ApplicationEvent, PartyKey
from marketplace.core.models import IdempotencyRecord
from marketplace.models import AidTask
from tests.applications.conftest import APPLICANT, citizen_id

pytestmark = pytest.mark.django_db


def _day_received(body) -> date:
    """The local day of the answer's ``received_at``: where the clocks start."""
    return clock.local_day(datetime.fromisoformat(body["received_at"]))


def nothing_written():
    return not (Application.objects.exists() or PartyKey.objects.exists() or ApplicationEvent.objects.exists())


def test_a_centre_registers_an_application_under_review_with_its_number_and_due_date(register, coordinator):
    response = register(coordinator)

    assert response.status_code == 201
    body = response.json()
    received = _day_received(body)  # the fixture's receipt, an hour ago: yesterday just after midnight
    assert body["status"] == "under_review"
    assert body["number"] == f"常援申〔{received.year}〕第0001号"
    assert body["decision_due"] == clock.add_days(received, 7, counting="calendar").isoformat()
    assert body["assign_due"] is None and body["objection_due"] is None
    assert body["paused_days"] == 0 and body["overdue"] is False
    assert body["case"] is None
    assert body["attachments"] == ["身份证复印件", "劳动合同复印件"]
    # The answer to a write carries no party: it may be replayed from an idempotency record.
    assert "applicant" not in body and "张秘密" not in response.content.decode()


def test_numbers_run_per_centre_and_year(register, coordinator):
    numbers = [register(coordinator).json()["number"] for _ in range(3)]
    assert [n[-6:] for n in numbers] == ["第0001号", "第0002号", "第0003号"]


def test_a_station_registers_an_application_received_without_a_number(register, station_coordinator, station):
    response = register(station_coordinator, organization=station.pk)

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "received"
    assert body["number"] == "" and body["centre"] is None
    assert body["decision_due"] is not None


def test_a_court_notice_must_be_assigned_and_decided_within_three_days(register, coordinator):
    response = register(
        coordinator, channel="court_notice", hardship_basis="criminal_notice", matter_kind="criminal_defense"
    )

    body = response.json()
    due = clock.add_days(_day_received(body), 3, counting="calendar").isoformat()
    assert (body["assign_due"], body["decision_due"]) == (due, due)


def test_an_urgent_matter_gets_its_case_at_registration_and_stays_under_review(register, coordinator):
    response = register(coordinator, urgent=True)

    body = response.json()
    assert body["status"] == "under_review"
    task = AidTask.objects.get(pk=body["case"])
    assert task.status == "draft" and task.organization_id == body["organization"]
    assert body["assign_due"] == clock.add_days(timezone.localdate(), 3, counting="calendar").isoformat()


def test_the_idempotency_record_holds_no_party(register, api_as, coordinator, body):
    client, data = api_as(coordinator), body()
    first = client.post("/api/v1/applications/", data, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = client.post("/api/v1/applications/", data, format="json", HTTP_IDEMPOTENCY_KEY="k1")

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Application.objects.count() == 1
    assert "张秘密" not in str(IdempotencyRecord.objects.get().response_body)


def test_anonymous_callers_get_401(api, body):
    response = api.post("/api/v1/applications/", body(), format="json")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert nothing_written()


@pytest.mark.parametrize("who", ["regulator", "stranger", "outsider", "station_coordinator"])
def test_only_the_organisations_coordinators_register_for_it(register, who, request):
    # The outsider coordinates a trade union; the station coordinator another organisation.
    response = register(request.getfixturevalue(who))

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert nothing_written()


def test_a_justice_bureau_does_not_register_applications(register, justice_bureau):
    from tests.factories import member

    clerk = member(justice_bureau, username="bureau_clerk")

    response = register(clerk, organization=justice_bureau.pk)

    assert response.status_code == 403
    assert response.json()["code"] == "not_intake_organization"
    assert nothing_written()


def test_a_bad_check_digit_is_400_on_the_applicants_id_number(register, coordinator):
    good = APPLICANT["id_number"]
    bad = good[:17] + ("0" if good[17] != "0" else "1")

    response = register(coordinator, applicant={**APPLICANT, "id_number": bad})

    assert response.status_code == 400
    assert "applicant.id_number" in response.json()
    assert response.json()["code"] == "invalid_id_number"
    assert nothing_written()


@pytest.mark.parametrize(
    "id_number", ["3204021980010112", "3204021980X101123X", "32040219800101123", "3204021980010112345"]
)
def test_malformed_citizen_id_numbers_are_400(register, coordinator, id_number):
    response = register(coordinator, applicant={**APPLICANT, "id_number": id_number})

    assert response.status_code == 400 and "applicant.id_number" in response.json()
    assert nothing_written()


@pytest.mark.parametrize(
    "id_number",
    [
        citizen_id("11010519491231002"),
        citizen_id("44052419800101001").lower(),
        "320402800101123",  # first generation, 15 digits
        "E12345678",  # passport
        "12345678",  # Taiwan compatriot permit
    ],
)
def test_valid_id_numbers_and_other_documents_are_accepted(register, coordinator, id_number):
    assert register(coordinator, applicant={**APPLICANT, "id_number": id_number}).status_code == 201


def test_a_received_time_in_the_future_is_400(register, coordinator):
    response = register(coordinator, received_at=(timezone.now() + timedelta(hours=1)).isoformat())

    assert response.status_code == 400
    assert "received_at" in response.json()
    assert nothing_written()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("channel", "letter"),
        ("matter_kind", "duty_shift"),
        ("matter_kind", "outreach"),
        ("category", "tax"),
        ("beneficiary_group", "everyone"),
        ("hardship_basis", "rich"),
        ("hardship_basis", "criminal_notice"),  # only for a notice channel
        ("region", "320500"),  # 苏州市: outside the centre's region
        ("region", "999999"),
        ("summary", ""),
        ("summary", "x" * 2001),
        ("applicant", {"id_number": "110105194912310021"}),  # no name
        ("applicant", {"name": "x" * 101}),
        ("attachments", [""]),
        ("attachments", ["x"] * 51),
        ("organization", 10**12),
        ("urgent", "maybe"),
        ("received_at", "yesterday"),
    ],
)
def test_bad_input_is_400_on_its_field_and_writes_nothing(register, coordinator, regions, field, value):
    response = register(coordinator, **{field: value})

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert nothing_written()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_on_the_collection_are_405(api_as, coordinator, method):
    response = getattr(api_as(coordinator), method)("/api/v1/applications/", {}, format="json")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
