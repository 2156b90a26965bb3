"""POST/GET /api/v1/tasks/{id}/milestones/: the handler's progress and the aided person's reports."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.cases.models import Milestone
from marketplace.models import TaskKind
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def url(task) -> str:
    return f"/api/v1/tasks/{task.pk}/milestones/"


def body(**changes) -> dict:
    return {"kind": "met_client", "date": timezone.localdate().isoformat(), "note": "会见受援人，了解案情。", **changes}


def test_the_handler_records_progress(api_as, provider, case):
    response = api_as(provider).post(url(case), body(), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["source"] == "handler" and response.json()["kind"] == "met_client"
    assert Milestone.objects.get().recorded_by == provider


def test_the_centre_records_the_aided_persons_report(api_as, coordinator, case):
    response = api_as(coordinator).post(url(case), body(kind="other", source="aided_person"), format="json")

    assert response.status_code == 201 and response.json()["source"] == "aided_person"


def test_everyone_who_reads_the_file_sees_the_progress_in_date_order(
    api_as, provider, coordinator, regulator, assistant, case_with_assistant
):
    today = timezone.localdate()
    for days in (1, 5):
        api_as(provider).post(
            url(case_with_assistant), body(date=(today - timedelta(days=days)).isoformat()), format="json"
        )
    for user in (provider, coordinator, regulator, assistant):
        response = api_as(user).get(url(case_with_assistant))
        assert response.status_code == 200
        assert [m["date"] for m in response.json()["results"]] == [
            (today - timedelta(days=5)).isoformat(),
            (today - timedelta(days=1)).isoformat(),
        ]


def test_anonymous_is_401(api, case):
    assert api.post(url(case), body(), format="json").status_code == 401
    assert api.get(url(case)).status_code == 401
    assert Milestone.objects.count() == 0


@pytest.mark.parametrize("who", ["outsider", "other_regulator", "stranger"])
def test_whoever_may_not_read_the_file_gets_404(request, api_as, case, who):
    client = api_as(request.getfixturevalue(who))
    for response in (client.post(url(case), body(), format="json"), client.get(url(case))):
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert Milestone.objects.count() == 0


def test_a_missing_case_is_404(api_as, provider):
    assert api_as(provider).get("/api/v1/tasks/999999/milestones/").status_code == 404


@pytest.mark.parametrize("who", ["regulator", "assistant"])
def test_readers_who_do_not_handle_the_case_get_403(request, api_as, case_with_assistant, who):
    response = api_as(request.getfixturevalue(who)).post(url(case_with_assistant), body(), format="json")

    assert response.status_code == 403 and response.json()["code"] == "not_handler"
    assert Milestone.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "verdict"}, "kind"),
        ({"date": "2026-02-30"}, "date"),
        ({"note": "x" * 2001}, "note"),
        ({"date": (timezone.localdate() + timedelta(days=2)).isoformat()}, "date"),
        ({"date": "2001-01-01"}, "date"),
        ({"source": "aided_person"}, "source"),
    ],
)
def test_bad_input_is_400_on_its_field(api_as, provider, case, changes, field):
    response = api_as(provider).post(url(case), body(**changes), format="json")

    assert response.status_code == 400 and field in response.json()
    assert Milestone.objects.count() == 0


def test_a_hearing_may_be_entered_ahead(api_as, provider, case):
    ahead = (timezone.localdate() + timedelta(days=20)).isoformat()
    response = api_as(provider).post(url(case), body(kind="hearing", date=ahead), format="json")

    assert response.status_code == 201


def test_a_task_that_is_not_a_case_is_409(api_as, coordinator, legal_aid_center):
    task = CaseFactory(organization=legal_aid_center, kind=TaskKind.CONSULTATION)
    response = api_as(coordinator).post(url(task), body(), format="json")

    assert response.status_code == 409 and response.json()["code"] == "not_a_case"


def test_a_closed_case_takes_no_progress_409(api_as, coordinator, case):
    api_as(coordinator).post(
        f"/api/v1/tasks/{case.pk}/terminate/", {"ground": "hired_own_lawyer", "reasons": "受援人自行委托律师。"}
    )
    response = api_as(coordinator).post(url(case), body(kind="other"), format="json")

    assert response.status_code == 409 and response.json()["code"] == "case_not_in_progress"
    assert Milestone.objects.count() == 0


def test_wrong_methods_are_405(api_as, provider, case):
    for response in (api_as(provider).put(url(case), body(), format="json"), api_as(provider).delete(url(case))):
        assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"


def test_a_retry_with_the_same_idempotency_key_records_once(api_as, provider, case):
    client = api_as(provider)
    first = client.post(url(case), body(), format="json", HTTP_IDEMPOTENCY_KEY="m-1")
    again = client.post(url(case), body(), format="json", HTTP_IDEMPOTENCY_KEY="m-1")

    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Milestone.objects.count() == 1
