"""POST /api/v1/tasks/{id}/terminate/: the centre ends the aid on an Art. 48 ground."""

import pytest

from duties.models import DutyEntry
from marketplace.cases.models import Termination
from marketplace.models import AidTask, Claim, ClaimStatus, TaskStatus

pytestmark = pytest.mark.django_db

BODY = {"ground": "no_longer_in_hardship", "reasons": "受援人经济状况好转，不再符合经济困难标准。"}


def url(task) -> str:
    return f"/api/v1/tasks/{task.pk}/terminate/"


def assert_untouched(task):
    assert AidTask.objects.get(pk=task.pk).status == TaskStatus.FILLED
    assert Termination.objects.count() == 0
    assert Claim.objects.get(task=task).status == ClaimStatus.ACCEPTED


def test_the_centre_terminates_and_the_handler_is_told(
    api_as, coordinator, provider, case, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr("marketplace.cases.events.to_users", lambda users, event: sent.append((set(users), event)))
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(coordinator).post(url(case), BODY, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == TaskStatus.TERMINATED and response.json()["ground"] == BODY["ground"]
    assert AidTask.objects.get(pk=case.pk).status == TaskStatus.TERMINATED
    # The handler keeps a completed claim (hours worked stay loggable); no case is credited.
    assert Claim.objects.get(task=case).status == ClaimStatus.COMPLETED and DutyEntry.objects.count() == 0
    case_events = [(users, e) for users, e in sent if e["type"] == "case.changed"]
    assert case_events and provider.pk in case_events[0][0]
    assert case_events[0][1]["case"] == {"task": case.pk, "status": "terminated", "action": "terminated"}


def test_anonymous_is_401(api, case):
    assert api.post(url(case), BODY, format="json").status_code == 401
    assert_untouched(case)


@pytest.mark.parametrize("who", ["outsider", "other_regulator", "stranger"])
def test_other_organisations_get_404(request, api_as, case, who):
    assert api_as(request.getfixturevalue(who)).post(url(case), BODY, format="json").status_code == 404
    assert_untouched(case)


@pytest.mark.parametrize("who", ["provider", "regulator"])
def test_only_the_centre_terminates_403(request, api_as, case, who):
    response = api_as(request.getfixturevalue(who)).post(url(case), BODY, format="json")

    assert response.status_code == 403 and response.json()["code"] == "not_centre"
    assert_untouched(case)


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"ground": "bored"}, "ground"), ({"reasons": ""}, "reasons"), ({"reasons": "x" * 2001}, "reasons")],
)
def test_bad_input_is_400(api_as, coordinator, case, changes, field):
    response = api_as(coordinator).post(url(case), {**BODY, **changes}, format="json")

    assert response.status_code == 400 and field in response.json()
    assert_untouched(case)


def test_terminating_twice_is_409(api_as, coordinator, case):
    api_as(coordinator).post(url(case), BODY, format="json")
    response = api_as(coordinator).post(url(case), BODY, format="json")

    assert response.status_code == 409 and response.json()["code"] == "case_not_in_progress"
    assert Termination.objects.count() == 1


def test_a_closing_under_review_is_decided_first_409(api_as, coordinator, in_review):
    response = api_as(coordinator).post(url(in_review), BODY, format="json")

    assert response.status_code == 409 and response.json()["code"] == "case_not_in_progress"
    assert AidTask.objects.get(pk=in_review.pk).status == TaskStatus.CLOSING_REVIEW


def test_wrong_method_is_405(api_as, coordinator, case):
    assert api_as(coordinator).get(url(case)).status_code == 405


def test_the_grounds_are_those_of_article_48(api_as, coordinator, case):
    from marketplace.cases.models import TerminationGround

    assert set(TerminationGround.values) == {
        "no_longer_in_hardship",
        "aid_no_longer_needed",
        "hired_own_lawyer",
        "deception_found",
        "person_asked_to_end",
        "other_by_law",
    }
